#pragma once

#include <chrono>
#include <cstdint>
#include <ostream>

#include "bench/connection_options.h"
#include "sitrep/v1/feed.pb.h"

namespace CLI {
class App;
}

namespace sitrep::bench {

// sitrep-bench situation: FeedService.GetSituation latency at a big database (SPEC §7: p99 ≤
// 50 ms over 30 days at 10 M incidents).
struct SituationOptions {
  uint64_t incidents = 10'000'000;  // loaded by the bench's loader principal when missing
  uint32_t requests = 500;          // measured GetSituation calls per caller
  uint32_t concurrency = 4;
  uint32_t province = 440000;  // the provincial regulator's
  // How long the server's situation compactor may take to fold the load's rollup deltas.
  uint32_t catch_up_seconds = 1800;
};

// Adds the situation options to `command`, writing into `options`, which must outlive parsing.
void AddSituationOptions(CLI::App& command, SituationOptions& options);

// The measured call: the overview of the 30 days up to now (the server's default range) in day
// buckets, of every province the caller may see.
[[nodiscard]] v1::GetSituationRequest SituationBenchRequest();

// Runs the situation benchmark: tops the database up to options.incidents loaded incidents
// (incident_loader.h), waits until sitrepd's compactor has emptied the situation rollups'
// delta tables (so that the calls read what a server in service reads), creates a NATIONAL and
// a PROVINCIAL principal with the admin token, then times options.requests GetSituation calls
// (SituationBenchRequest) per caller on options.concurrency connections, one caller after the
// other. Progress and per-caller figures go to `err`, the result line to `out`:
// {"bench":"situation","incidents":…,"p50_ms":…,"p99_ms":…, …}. Throws BenchFailure when it
// cannot run, a call fails or the compactor does not catch up in time.
void RunSituationBench(const ConnectionOptions& connection, const SituationOptions& options,
                       std::ostream& out, std::ostream& err);

}  // namespace sitrep::bench
