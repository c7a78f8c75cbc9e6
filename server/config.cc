#include "server/config.h"

#include <CLI/CLI.hpp>
#include <cstdint>
#include <cstdlib>
#include <iostream>
#include <map>
#include <optional>

namespace sitrep {
namespace {

// Durations such as "90m", "2h" or "3d", converted to seconds; a bare number is refused, so
// that "2" cannot silently mean two seconds.
CLI::Validator DurationInSeconds() {
  return CLI::AsNumberWithUnit(
      std::map<std::string, int64_t>{{"s", 1}, {"m", 60}, {"h", 3600}, {"d", 86400}},
      static_cast<CLI::AsNumberWithUnit::Options>(CLI::AsNumberWithUnit::CASE_SENSITIVE |
                                                  CLI::AsNumberWithUnit::UNIT_REQUIRED),
      "DURATION");
}

const std::map<std::string, v1::Severity> kSeverityWords = {{"I", v1::SEVERITY_I},
                                                            {"II", v1::SEVERITY_II},
                                                            {"III", v1::SEVERITY_III},
                                                            {"IV", v1::SEVERITY_IV}};

// An option whose empty value turns something off. CLI11 counts `--flag ""` as a missing
// value and `--flag=` as "use the default", so both are read as the empty string here; the
// default stays in the help text.
CLI::Option* AddDisablable(CLI::App& app, const std::string& name, std::string& value,
                           const std::string& description) {
  return app.add_option(name, value, description + " (default " + value + ")")
      ->expected(0, 1)
      ->default_str("");
}

}  // namespace

std::optional<Config> ParseFlags(int argc, char** argv, int& exit_code) {
  Config config;
  if (const char* url = std::getenv("SITREP_DATABASE_URL")) config.database_url = url;

  CLI::App app{"sitrepd — the national industrial-Internet security situation server"};
  std::string log_level = "info";
  std::string data_dir = config.data_dir.string();
  std::string pg_bin_dir, tls_cert, tls_key, tls_client_ca;
  app.add_option("--listen", config.listen, "gRPC address (host:port)")->capture_default_str();
  AddDisablable(app, "--metrics-listen", config.metrics_listen,
                "Prometheus /metrics address; empty disables it");
  config.http_listen = kDefaultHttpListen;
  AddDisablable(app, "--http-listen", config.http_listen,
                "HTTP address of the JSON API and console; empty disables it");
  std::optional<std::string> console_dir;
  app.add_option("--console-dir", console_dir,
                 "the web console's files (default: web/dist of the source tree when built); "
                 "empty: no console")
      ->expected(0, 1)
      ->default_str("");
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
  app.add_option("--audit-buffer-entries", config.audit_buffer_entries,
                 "audit entries kept in memory while the database is away")
      ->capture_default_str()
      ->check(CLI::Range(size_t{1}, size_t{10'000'000}));
  size_t audit_buffer_mib = config.audit_buffer_bytes >> 20;
  app.add_option("--audit-buffer-mib", audit_buffer_mib,
                 "MiB of audit entries kept in memory while the database is away")
      ->capture_default_str()
      ->check(CLI::Range(1, 4096));
  app.add_option("--log-level", log_level, "debug, info, warn or error")
      ->capture_default_str()
      ->check(CLI::IsMember({"debug", "info", "warn", "error"}));

  app.set_config("--config", "", "read flags from this INI/TOML file (name = value)");
  // A misspelt name in the file is an error, not a setting silently left at its default.
  app.allow_config_extras(CLI::config_extras_mode::error);
  std::string escalation = config.escalation.enabled ? "on" : "off";
  app.add_option("--escalation", escalation,
                 "raise notices by the rules of SPEC §5 (on) or not (off)")
      ->capture_default_str()
      ->check(CLI::IsMember({"on", "off"}));
  const char* grade_flags[] = {"--deadline-i", "--deadline-ii", "--deadline-iii", "--deadline-iv"};
  const char* grade_names[] = {"I", "II", "III", "IV"};
  int64_t deadline_seconds[4];
  for (int i = 0; i < 4; ++i) {
    deadline_seconds[i] = config.escalation.deadlines[i].count();
    app.add_option(grade_flags[i], deadline_seconds[i],
                   std::string("response deadline of a grade ") + grade_names[i] +
                       " notice (e.g. 90m, 2h, 3d; default " +
                       std::to_string(deadline_seconds[i] / 3600) + "h)")
        ->transform(DurationInSeconds())
        ->check(CLI::Range(int64_t{1}, int64_t{366} * 86400));
  }
  std::string kev_file;
  app.add_option("--kev-file", kev_file,
                 std::string("known-exploited CVE list in CISA's KEV JSON format, re-read on "
                             "SIGHUP (default ") +
                     kDefaultKevFile + " when it exists)");
  std::string kev_priority = "III";
  app.add_option("--kev-priority", kev_priority,
                 "priority (and so deadline) of a known-exploited CVE notice: I, II, III or IV")
      ->capture_default_str()
      ->check(CLI::IsMember({"I", "II", "III", "IV"}));

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
  if (console_dir) {
    config.console_dir = *console_dir;
  } else if (std::filesystem::is_directory(SITREP_SOURCE_DIR "/web/dist")) {
    config.console_dir = SITREP_SOURCE_DIR "/web/dist";
  }
  config.ingest_queue_bytes = queue_mib << 20;
  config.audit_buffer_bytes = audit_buffer_mib << 20;
  config.tls_cert = tls_cert;
  config.tls_key = tls_key;
  config.tls_client_ca = tls_client_ca;
  config.log_level = *ParseLogLevel(log_level);
  config.escalation.enabled = escalation == "on";
  for (int i = 0; i < 4; ++i)
    config.escalation.deadlines[i] = std::chrono::seconds(deadline_seconds[i]);
  config.escalation.kev_priority = kSeverityWords.at(kev_priority);
  if (!kev_file.empty()) {
    config.kev_file = kev_file;
  } else if (std::filesystem::exists(kDefaultKevFile)) {
    config.kev_file = kDefaultKevFile;
  }
  exit_code = 0;
  return config;
}

}  // namespace sitrep
