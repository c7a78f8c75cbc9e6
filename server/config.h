#pragma once

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>

#include "escalation/rules.h"
#include "logging/log.h"

namespace sitrep {

// Everything sitrepd can be told, with the defaults the README documents. A plain value:
// tests build one directly; main() gets one from ParseFlags.
struct Config {
  std::string listen = "127.0.0.1:7443";          // gRPC address; port 0 picks a free one
  std::string metrics_listen = "127.0.0.1:9464";  // Prometheus /metrics; empty: no endpoint
  std::filesystem::path data_dir = "var";         // embedded cluster, admin.token, database.url
  // Empty: run the embedded PostgreSQL cluster under data_dir/postgres.
  std::string database_url;
  std::filesystem::path pg_bin_dir;  // empty: the newest /usr/lib/postgresql/<N>/bin
  size_t db_pool_size = 16;

  // TLS: both set → TLS; tls_client_ca set as well → clients must present a certificate
  // signed by it (mutual TLS).
  std::filesystem::path tls_cert, tls_key, tls_client_ca;

  size_t max_message_bytes = 8 << 20;  // gRPC receive limit, set explicitly
  // The group-commit writer: threads (each commits one group at a time) and the byte budget
  // of queued batches beyond which Push streams stop being read.
  int ingest_writers = 2;
  size_t ingest_queue_bytes = 64u << 20;
  // Audit entries of calls finished while the database is away wait in memory, up to this
  // many entries and bytes, and are written when it returns; beyond that they are dropped
  // (and counted).
  size_t audit_buffer_entries = 10'000;
  size_t audit_buffer_bytes = 16u << 20;
  // How often PostgreSQL is probed for health and, when embedded, its postmaster checked.
  std::chrono::milliseconds health_interval{1000};
  LogLevel log_level = LogLevel::kInfo;

  // Automatic escalation (SPEC §5): whether the rules run, their deadlines and the KEV
  // notices' priority; and the known-exploited CVE list in CISA's format, re-read on SIGHUP.
  // Empty kev_file: the KEV rule is idle (ParseFlags fills in kDefaultKevFile when it exists).
  escalation::EscalationRules escalation;
  std::filesystem::path kev_file;

  // The HTTP edge (JSON API, SSE watches, console). Empty here so that servers built from a
  // plain Config (tests) never fight over one port; ParseFlags defaults it to kDefaultHttpListen.
  // TLS follows tls_cert/tls_key.
  std::string http_listen;
  std::filesystem::path console_dir;  // the web console's files, served at /; empty: none
  size_t http_max_connections = 512;
  size_t http_max_body_bytes = 4u << 20;
  std::chrono::milliseconds http_request_timeout{10'000};  // first byte to last, and per write
  std::chrono::milliseconds http_idle_timeout{60'000};     // kept-alive connection, no request
};

inline constexpr const char* kDefaultHttpListen = "127.0.0.1:8080";

// Where ParseFlags looks for the KEV catalog when --kev-file is not given: the shared data
// set beside the checkout, relative to the working directory.
inline constexpr const char* kDefaultKevFile =
    "../shared/datasets/kev/known_exploited_vulnerabilities.json";

// Parses sitrepd's flags (and SITREP_DATABASE_URL from the environment); every flag may also
// be given in the INI/TOML file named by --config (`name = value`, the flag's name without its
// dashes; flags on the command line win). On --help prints usage and returns nullopt with
// `exit_code` 0; on a bad flag or config file prints one line saying why and returns nullopt
// with `exit_code` 2.
[[nodiscard]] std::optional<Config> ParseFlags(int argc, char** argv, int& exit_code);

}  // namespace sitrep
