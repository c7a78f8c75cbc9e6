#pragma once

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include "bench/connection_options.h"

namespace CLI {
class App;
}

namespace sitrep::bench {

// sitrep-bench vulns: matching stored assets to advisories (issue 18: 1 M assets × 1 new
// advisory re-matched in ≤ 1 s).
struct VulnsOptions {
  // Quick by default; --assets 1000000 for the scale.
  uint64_t assets = 20'000;
  // How the assets get in: "copy" writes them straight into the assets table over a direct
  // connection to the server's database (as its owner: --database-url or var/database.url),
  // with the keys the asset writer would give them; "push" sends them through the Push stream
  // (matching each on arrival).
  std::string load = "copy";
  // The CSAF documents pushed: every *.json under these folders (relative to the working
  // directory, as the connection files are).
  std::vector<std::string> advisory_dirs = {"../shared/datasets/csaf-ics-2023",
                                            "../shared/datasets/csaf-ics-2024"};
};

// Adds the vulns options to `command`, writing into `options`, which must outlive parsing.
void AddVulnsOptions(CLI::App& command, VulnsOptions& options);

// Stores options.assets assets whose vendor, product and version are drawn from the product
// trees of the advisories (every leaf in turn: its version, or the bound of its range, so that
// a realistic share matches), owned by a provincial collector (options.load says how); then
// pushes the advisories one per batch, each acked only once the server has matched every stored
// asset to it. Prints {"bench":"vulns","assets":…,"advisories":…,"match_s":…,
// "rematch_per_advisory_p99_ms":…,"rematch_per_advisory_p50_ms":…} to `out` (match_s: from the
// first advisory written to the last acked). Throws BenchFailure when it cannot run or a push
// fails.
void RunVulnsBench(const ConnectionOptions& connection, const VulnsOptions& options,
                   std::ostream& out, std::ostream& err);

}  // namespace sitrep::bench
