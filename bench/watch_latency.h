#pragma once

#include <chrono>
#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include "bench/bench_collector.h"
#include "bench/connection_options.h"

namespace sitrep::bench {

// How the watch part of `sitrep-bench feeds` pushes while it watches.
struct WatchLoad {
  std::chrono::milliseconds duration{20'000};
  uint32_t records_per_second = 200;
  uint32_t batch_size = 20;
  // The provincial watcher's province; incidents are pushed to every province.
  uint32_t province = 440000;
};

// What the watchers saw: per record and watcher, the time from the push's ack (the commit) to
// the record's arrival on the watch, and from just before the batch was written.
struct WatchLatencies {
  uint64_t records_pushed = 0;
  uint64_t national_arrivals = 0;
  uint64_t provincial_arrivals = 0;
  // Arrivals before the ack reached the pusher count as 0 after the ack.
  uint64_t arrived_before_ack = 0;
  std::vector<std::chrono::nanoseconds> after_ack;
  std::vector<std::chrono::nanoseconds> after_push;
};

// Opens FeedService.WatchIncidents as `national` and as `provincial` (without a filter, each
// from now on), waits until both deliver a probe incident, then pushes demo incidents as
// `collector` over one IngestService.Push stream at load.records_per_second, one batch at a
// time, and collects every pushed record's arrival on both watches. Throws BenchFailure when a
// call fails, or a watcher misses, repeats or is shown a record it should not see.
[[nodiscard]] WatchLatencies MeasureWatchLatency(const ConnectionOptions& connection,
                                                 const BenchPrincipal& national,
                                                 const BenchPrincipal& provincial,
                                                 const BenchPrincipal& collector,
                                                 const WatchLoad& load, std::ostream& err);

}  // namespace sitrep::bench
