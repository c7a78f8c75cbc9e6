#include "server/config.h"

#include <CLI/CLI.hpp>
#include <cstdlib>
#include <iostream>

namespace sitrep {

std::optional<Config> ParseFlags(int argc, char** argv, int& exit_code) {
  Config config;
  if (const char* url = std::getenv("SITREP_DATABASE_URL")) config.database_url = url;

  CLI::App app{"sitrepd — the national industrial-Internet security situation server"};
  std::string log_level = "info";
  std::string data_dir = config.data_dir.string();
  std::string pg_bin_dir, tls_cert, tls_key, tls_client_ca;
  app.add_option("--listen", config.listen, "gRPC address (host:port)")->capture_default_str();
  app.add_option("--metrics-listen", config.metrics_listen,
                 "Prometheus /metrics address; empty disables it")
      ->capture_default_str();
  app.add_option("--data-dir", data_dir,
                 "directory for the embedded PostgreSQL cluster, admin.token and database.url")
      ->capture_default_str();
  app.add_option("--database-url", config.database_url,
                 "use this PostgreSQL instead of the embedded cluster (env SITREP_DATABASE_URL)");
  app.add_option("--pg-bin-dir", pg_bin_dir, "PostgreSQL server binaries for the embedded cluster");
  app.add_option("--db-pool-size", config.db_pool_size, "database connections")
      ->capture_default_str()
      ->check(CLI::Range(1, 500));
  app.add_option("--tls-cert", tls_cert, "PEM certificate chain: serve TLS")
      ->check(CLI::ExistingFile);
  app.add_option("--tls-key", tls_key, "PEM private key of --tls-cert")->check(CLI::ExistingFile);
  app.add_option("--tls-client-ca", tls_client_ca,
                 "PEM CA bundle: require client certificates signed by it (mutual TLS)")
      ->check(CLI::ExistingFile);
  app.add_option("--ingest-writers", config.ingest_writers,
                 "group-commit writer threads of the ingest path")
      ->capture_default_str()
      ->check(CLI::Range(1, 16));
  size_t queue_mib = config.ingest_queue_bytes >> 20;
  app.add_option("--ingest-queue-mib", queue_mib,
                 "MiB of pushed batches queued before streams stop being read")
      ->capture_default_str()
      ->check(CLI::Range(1, 4096));
  app.add_option("--log-level", log_level, "debug, info, warn or error")
      ->capture_default_str()
      ->check(CLI::IsMember({"debug", "info", "warn", "error"}));

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& help) {
    exit_code = app.exit(help);
    return std::nullopt;
  } catch (const CLI::ParseError& error) {
    std::cerr << "sitrepd: " << error.what() << " (see --help)\n";
    exit_code = 2;
    return std::nullopt;
  }
  if (tls_cert.empty() != tls_key.empty()) {
    std::cerr << "sitrepd: --tls-cert and --tls-key go together\n";
    exit_code = 2;
    return std::nullopt;
  }
  if (!tls_client_ca.empty() && tls_cert.empty()) {
    std::cerr << "sitrepd: --tls-client-ca needs --tls-cert and --tls-key\n";
    exit_code = 2;
    return std::nullopt;
  }
  config.data_dir = data_dir;
  config.pg_bin_dir = pg_bin_dir;
  config.ingest_queue_bytes = queue_mib << 20;
  config.tls_cert = tls_cert;
  config.tls_key = tls_key;
  config.tls_client_ca = tls_client_ca;
  config.log_level = *ParseLogLevel(log_level);
  exit_code = 0;
  return config;
}

}  // namespace sitrep
