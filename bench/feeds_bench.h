#pragma once

#include <cstdint>
#include <ostream>

#include "bench/connection_options.h"

namespace CLI {
class App;
}

namespace sitrep::bench {

// sitrep-bench feeds: feed-page and watch-delivery latency at a big database (SPEC §7).
struct FeedsOptions {
  uint64_t incidents = 10'000'000;  // loaded by the bench's loader principal when missing
  uint32_t requests = 2'000;        // measured ListIncidents calls
  uint32_t concurrency = 8;
  int32_t page_size = 100;
  uint32_t province = 440000;  // the provincial regulator's
  uint32_t watch_seconds = 20;
  uint32_t watch_rate = 200;  // incidents/s pushed while watching
  uint32_t watch_batch = 20;
};

// Adds the feeds options to `command`, writing into `options`, which must outlive parsing.
void AddFeedsOptions(CLI::App& command, FeedsOptions& options);

// Runs the feeds benchmark: tops the database up to options.incidents loaded incidents
// (incident_loader.h), creates a NATIONAL, a PROVINCIAL and a COLLECTOR principal with the
// admin token, times options.requests FeedService.ListIncidents calls of the common regulator
// queries (feed_page_queries.h) on options.concurrency connections, then the delivery of
// pushed incidents to two live watches (watch_latency.h). Progress and per-query figures go to
// `err`, the result line to `out`: {"bench":"feeds","incidents":…,"page_p50_ms":…,
// "page_p99_ms":…,"watch_p50_ms":…,"watch_p99_ms":…, …}. Throws BenchFailure when it cannot
// run or a call fails.
void RunFeedsBench(const ConnectionOptions& connection, const FeedsOptions& options,
                   std::ostream& out, std::ostream& err);

}  // namespace sitrep::bench
