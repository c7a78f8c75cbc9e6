#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace sitrep::collector {

enum class InputFormat { kJsonl, kCsaf, kAdvisories, kAttack, kStix, kTaxii, kDemo };

// Everything one run of sitrep-collector needs, with the defaults `--help` shows (SPEC §6).
struct CollectorConfig {
  InputFormat format = InputFormat::kJsonl;
  std::vector<std::string> inputs;   // files, folders (csaf), "-" for stdin (jsonl)
  std::optional<uint32_t> province;  // the collector's own; unset: national, spread over all
  bool reread = false;  // ignore input checkpoints: read the inputs from the start again

  // --format demo
  uint64_t count = 1000;
  uint64_t seed = 1;
  double demo_assets = 0.3;
  double demo_duplicates = 0;
  double demo_invalid = 0;

  // --format taxii: the remote TAXII 2.1 API root and collection to follow.
  std::string taxii_url;            // API root, e.g. https://peer.example/taxii2/api1/
  std::string taxii_collection;     // the collection id
  std::string taxii_user;           // USER:PASSWORD for basic auth; empty: none
  std::string taxii_token;          // bearer token; empty: none
  std::string taxii_ca;             // PEM CA file to verify the peer; empty: the system's
  size_t taxii_limit = 100;         // objects per page asked for
  uint64_t taxii_poll_seconds = 0;  // 0: stop at the end of the collection; else poll again

  std::string spool_dir = "./collector-spool";
  uint64_t spool_segment_mib = 16;  // segment files roll over at this size, 1..1024 MiB
  std::string rejects_file;         // empty: <spool_dir>/rejected.jsonl
  size_t batch_size = 500;
  size_t window = 8;

  std::string server = "127.0.0.1:7443";
  std::string token_file;  // empty: SITREP_TOKEN holds the token itself
  std::string tls_ca;
  std::string tls_cert;
  std::string tls_key;
  std::string tls_server_name;

  bool json = false;  // the summary also as the last stdout line, one JSON object
  std::string log_level = "info";
};

// Parses the command line. Returns the config, or nullopt with `exit_code` set: 0 after
// printing --help to `out`, 2 after printing one line saying why to `err`.
[[nodiscard]] std::optional<CollectorConfig> ParseCollectorFlags(int argc, const char* const* argv,
                                                                 std::ostream& out,
                                                                 std::ostream& err, int& exit_code);

[[nodiscard]] const char* FormatName(InputFormat format);

}  // namespace sitrep::collector
