#pragma once

#include <cstdint>
#include <optional>
#include <ostream>

#include "bench/connection_options.h"

namespace CLI {
class App;
}

namespace sitrep::bench {

// sitrep-bench ingest: durable Push throughput against binary COPY (SPEC §7).
struct IngestOptions {
  uint32_t streams = 4;
  uint64_t records = 100'000;
  uint32_t batch_size = 500;
  uint32_t window = 8;  // unacked batches per stream
  double duplicate_share = 0;
  double invalid_share = 0;
  std::optional<uint64_t> seed;  // unset: the current Unix time
  bool skip_copy = false;
};

// Adds the ingest options to `command`, writing into `options`, which must outlive parsing.
void AddIngestOptions(CLI::App& command, IngestOptions& options);

// Runs the ingest benchmark: creates a national COLLECTOR principal with the admin token,
// pre-generates the records, pushes them over options.streams concurrent Push streams while
// sampling the server's resident memory, then (unless skip_copy) times PostgreSQL's own binary
// COPY of the same rows. Progress goes to `err`, the result line to `out`:
// {"bench":"ingest","records":…,"streams":…,"records_per_s":…,"copy_rows_per_s":…,
//  "ratio_vs_copy":…,"server_rss_mb":…,"accepted":…,"duplicates":…,"rejected":…}.
// Throws BenchFailure when it cannot run or a stream fails.
void RunIngestBench(const ConnectionOptions& connection, const IngestOptions& options,
                    std::ostream& out, std::ostream& err);

}  // namespace sitrep::bench
