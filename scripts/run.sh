#!/usr/bin/env bash
# The README's run command: installs what is missing, builds (release), starts sitrepd on its
# embedded PostgreSQL under ./var, loads the demo registry, and stays in the foreground until
# Ctrl-C, which stops sitrepd and its database cleanly.
#   scripts/run.sh [extra sitrepd flags]
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh
cmake --preset release >/dev/null
cmake --build --preset release -j "$(nproc)" --target sitrepd sitrep

data_dir=var
mkdir -p "$data_dir"
# As root the embedded cluster runs as the postgres user, which must reach var/.
chmod 755 "$data_dir"
bin=build/release
"$bin/server/sitrepd" --data-dir "$data_dir" "$@" &
sitrepd=$!
trap 'kill -TERM $sitrepd 2>/dev/null; wait $sitrepd' INT TERM

sitrep=("$bin/cli/sitrep" --token-file "$data_dir/admin.token")
for _ in $(seq 1 120); do
  if [ -s "$data_dir/admin.token" ] && "${sitrep[@]}" health >/dev/null 2>&1; then break; fi
  if ! kill -0 $sitrepd 2>/dev/null; then echo "run.sh: sitrepd did not start" >&2; exit 1; fi
  sleep 0.5
done

"${sitrep[@]}" demo seed --tokens-dir "$data_dir/tokens"

cat <<MSG

sitrepd is running on 127.0.0.1:7443 (metrics: http://127.0.0.1:9464/metrics).
The admin token is in $data_dir/admin.token; demo tokens of every role are in $data_dir/tokens/.
Try, in another terminal:
  $bin/cli/sitrep --token-file $data_dir/admin.token enterprises list
  $bin/cli/sitrep --token-file $data_dir/tokens/guangdong-regulator.token enterprises list
  $bin/cli/sitrep --token-file $data_dir/admin.token audit list
Ctrl-C stops sitrepd and its database.
MSG
wait $sitrepd
