#include "collector/collector_config.h"

#include <CLI/CLI.hpp>
#include <map>

#include "collector/provinces.h"
#include "collector/pusher.h"

namespace sitrep::collector {
namespace {

std::string OnOneLine(std::string text) {
  for (char& c : text) {
    if (c == '\n') c = ' ';
  }
  while (!text.empty() && text.back() == ' ') text.pop_back();
  return text;
}

CLI::Validator Share() {
  return CLI::Validator(
      [](std::string& input) -> std::string {
        double value = -1;
        if (CLI::detail::lexical_cast(input, value) && value >= 0 && value <= 1) {
          return std::string();
        }
        return "'" + input + "' is not a share between 0 and 1";
      },
      "");
}

}  // namespace

const char* FormatName(InputFormat format) {
  switch (format) {
    case InputFormat::kJsonl:
      return "jsonl";
    case InputFormat::kCsaf:
      return "csaf";
    case InputFormat::kAdvisories:
      return "advisories";
    case InputFormat::kAttack:
      return "attack";
    case InputFormat::kStix:
      return "stix";
    case InputFormat::kTaxii:
      return "taxii";
    case InputFormat::kDemo:
      return "demo";
  }
  return "?";
}

std::optional<CollectorConfig> ParseCollectorFlags(int argc, const char* const* argv,
                                                   std::ostream& out, std::ostream& err,
                                                   int& exit_code) {
  CollectorConfig config;
  CLI::App app(
      "sitrep-collector — spools industrial security records durably and pushes them to sitrepd",
      "sitrep-collector");
  app.footer(
      "Without INPUT, pushes what an earlier run left in the spool. Rerunning with the same\n"
      "INPUT continues where the last run stopped (see --reread).\n"
      "Environment: SITREP_SERVER, SITREP_TOKEN_FILE (or SITREP_TOKEN holding the token itself).\n"
      "Exit codes: 0 everything spooled was acknowledged, 1 fatal error, 2 usage error,\n"
      "128+N stopped by signal N (what is unacknowledged stays in the spool).");

  const std::map<std::string, InputFormat> formats = {{"jsonl", InputFormat::kJsonl},
                                                      {"csaf", InputFormat::kCsaf},
                                                      {"advisories", InputFormat::kAdvisories},
                                                      {"attack", InputFormat::kAttack},
                                                      {"stix", InputFormat::kStix},
                                                      {"taxii", InputFormat::kTaxii},
                                                      {"demo", InputFormat::kDemo}};
  std::string format = "jsonl";
  app.add_option("INPUT", config.inputs,
                 "files to read; a folder of CSAF files for csaf; - for stdin (jsonl)");
  app.add_option("--format", format,
                 "jsonl: sitrep.v1.Record per line in proto JSON; csaf: CSAF 2.0 advisory files, "
                 "pushed as advisories; advisories: ICS Advisory Project CSV, pushed as advisory "
                 "stubs; attack: ATT&CK for ICS STIX bundle; "
                 "stix: STIX 2.1 bundle files (incidents, indicators, vulnerabilities); "
                 "taxii: a remote TAXII 2.1 collection (--url, --collection); "
                 "demo: generated records")
      ->type_name("FORMAT")
      ->check(CLI::IsMember({"jsonl", "csaf", "advisories", "attack", "stix", "taxii", "demo"}))
      ->capture_default_str();
  CLI::Option* province =
      app.add_option("--province", config.province,
                     "this collector's GB/T 2260 province code (required for a provincial "
                     "token); without it records are spread over all 32 provinces")
          ->type_name("CODE")
          ->check(CLI::Validator(
              [](std::string& input) -> std::string {
                uint32_t code = 0;
                if (CLI::detail::lexical_cast(input, code) && IsProvinceCode(code)) return "";
                return "'" + input + "' is not a provincial code such as 440000";
              },
              ""));
  static_cast<void>(province);
  app.add_flag("--reread", config.reread,
               "ignore input checkpoints and read every INPUT from its start again");
  CLI::Option* count =
      app.add_option("--count", config.count, "demo: records to generate")->capture_default_str();
  CLI::Option* seed =
      app.add_option("--seed", config.seed, "demo: generator seed")->capture_default_str();
  CLI::Option* assets = app.add_option("--demo-assets", config.demo_assets, "demo: share of assets")
                            ->check(Share())
                            ->capture_default_str();
  CLI::Option* duplicates = app.add_option("--demo-duplicates", config.demo_duplicates,
                                           "demo: share of records repeated verbatim")
                                ->check(Share())
                                ->capture_default_str();
  CLI::Option* invalid = app.add_option("--demo-invalid", config.demo_invalid,
                                        "demo: share of records with a deliberate mistake")
                             ->check(Share())
                             ->capture_default_str();
  CLI::Option* url =
      app.add_option("--url", config.taxii_url,
                     "taxii: the remote TAXII 2.1 API root, e.g. https://peer/taxii2/api1/")
          ->type_name("URL");
  CLI::Option* collection =
      app.add_option("--collection", config.taxii_collection, "taxii: the collection id to follow")
          ->type_name("ID");
  CLI::Option* user = app.add_option("--user", config.taxii_user,
                                     "taxii: USER:PASSWORD for the remote server (basic auth)")
                          ->type_name("USER:PASSWORD")
                          ->envname("SITREP_TAXII_USER");
  CLI::Option* bearer =
      app.add_option("--token", config.taxii_token, "taxii: bearer token for the remote server")
          ->type_name("TOKEN")
          ->envname("SITREP_TAXII_TOKEN");
  CLI::Option* taxii_ca =
      app.add_option("--taxii-ca", config.taxii_ca,
                     "taxii: PEM CA certificates to verify the remote server [system CAs]")
          ->type_name("FILE");
  CLI::Option* limit = app.add_option("--limit", config.taxii_limit, "taxii: objects per page")
                           ->check(CLI::Range(size_t{1}, size_t{10'000}))
                           ->capture_default_str();
  CLI::Option* poll =
      app.add_option("--poll", config.taxii_poll_seconds,
                     "taxii: at the end of the collection, ask again after this many seconds "
                     "(0: stop there)")
          ->type_name("SECONDS")
          ->capture_default_str();
  user->excludes(bearer);
  app.add_option("--spool-dir", config.spool_dir, "the durable spool's folder")
      ->type_name("DIR")
      ->capture_default_str();
  app.add_option("--spool-segment-mib", config.spool_segment_mib,
                 "spool segment size; an acknowledged segment is deleted, so a drained spool "
                 "keeps at most about this much")
      ->type_name("MIB")
      ->check(CLI::Range(uint64_t{1}, uint64_t{1024}))
      ->capture_default_str();
  app.add_option("--rejects-file", config.rejects_file,
                 "where rejected records go, one JSON line each [<spool-dir>/rejected.jsonl]")
      ->type_name("FILE");
  app.add_option("--batch-size", config.batch_size, "records per batch")
      ->check(CLI::Range(size_t{1}, kMaxBatchRecords))
      ->capture_default_str();
  app.add_option("--window", config.window, "batches in flight before waiting for acks")
      ->check(CLI::Range(size_t{1}, size_t{64}))
      ->capture_default_str();
  app.add_option("--server", config.server, "address of sitrepd, host:port")
      ->type_name("ADDR")
      ->envname("SITREP_SERVER")
      ->capture_default_str();
  app.add_option("--token-file", config.token_file,
                 "file holding the API token (else env SITREP_TOKEN holds the token itself)")
      ->type_name("FILE")
      ->envname("SITREP_TOKEN_FILE");
  app.add_option("--tls-ca", config.tls_ca, "PEM CA certificates: use TLS, verify the server")
      ->type_name("FILE");
  CLI::Option* cert =
      app.add_option("--tls-cert", config.tls_cert, "PEM collector certificate (mutual TLS)")
          ->type_name("FILE");
  CLI::Option* key =
      app.add_option("--tls-key", config.tls_key, "PEM key of --tls-cert")->type_name("FILE");
  cert->needs(key);
  key->needs(cert);
  app.add_option("--tls-server-name", config.tls_server_name,
                 "name expected in the server certificate (overrides the host of --server)")
      ->type_name("NAME");
  app.add_flag("--json", config.json,
               "print the summary as the last stdout line: "
               "{\"sent\":N,\"accepted\":N,\"duplicates\":N,\"rejected\":N}");
  app.add_option("--log-level", config.log_level, "debug, info, warn or error")
      ->check(CLI::IsMember({"debug", "info", "warn", "error"}))
      ->capture_default_str();

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    if (error.get_exit_code() == 0) {  // --help
      exit_code = app.exit(error, out, err);
      return std::nullopt;
    }
    err << "sitrep-collector: " << OnOneLine(error.what()) << " (see sitrep-collector --help)\n";
    exit_code = 2;
    return std::nullopt;
  }
  config.format = formats.at(format);
  const auto usage = [&](const std::string& why) -> std::optional<CollectorConfig> {
    err << "sitrep-collector: " << OnOneLine(why) << " (see sitrep-collector --help)\n";
    exit_code = 2;
    return std::nullopt;
  };
  if (config.format == InputFormat::kDemo) {
    if (!config.inputs.empty()) return usage("--format demo reads no INPUT");
  } else {
    for (const CLI::Option* demo_only : {count, seed, assets, duplicates, invalid}) {
      if (demo_only->count() > 0)
        return usage(demo_only->get_name() + " applies to --format demo only");
    }
  }
  const bool taxii = config.format == InputFormat::kTaxii;
  if (taxii) {
    if (!config.inputs.empty())
      return usage("--format taxii reads --url and --collection, no INPUT");
    if (config.taxii_url.empty() || config.taxii_collection.empty()) {
      return usage("--format taxii needs --url and --collection");
    }
    if (!config.taxii_url.starts_with("http://") && !config.taxii_url.starts_with("https://")) {
      return usage("--url must start with http:// or https://");
    }
  } else {
    // --user and --token are left out: they may come from the environment of any run.
    for (const CLI::Option* taxii_only : {url, collection, taxii_ca, limit, poll}) {
      if (taxii_only->count() > 0)
        return usage(taxii_only->get_name() + " applies to --format taxii only");
    }
  }
  for (const std::string& input : config.inputs) {
    if (input == "-" && config.format != InputFormat::kJsonl) {
      return usage("stdin (-) can be read as --format jsonl only");
    }
  }
  return config;
}

}  // namespace sitrep::collector
