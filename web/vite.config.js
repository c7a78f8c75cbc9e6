// Builds the console into web/dist, which sitrepd serves at / (--console-dir). Relative asset
// paths keep the files servable from any prefix; no file is fetched from outside at run time.
import { defineConfig } from 'vite';

export default defineConfig({
  base: './',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 900,
    reportCompressedSize: true,
  },
  server: {
    // `npm run dev` against a running sitrepd: the API and sessions go to its HTTP listener.
    proxy: {
      '^/(sitrep\\.v1\\.|session)': { target: 'http://127.0.0.1:8080', changeOrigin: false },
    },
  },
});
