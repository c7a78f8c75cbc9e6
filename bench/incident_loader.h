#pragma once

#include <chrono>
#include <cstdint>
#include <ostream>
#include <string>

namespace sitrep::bench {

// A bulk load of realistic incidents (incident_load_rows.h) straight into the server's own
// incidents table, for benchmarks that need a big database (SPEC §7: feeds and situation at
// 10 M incidents). The rows belong to one national COLLECTOR principal, `reporter`, so they
// are recognisable: a load counts that principal's rows first and writes only the missing
// ones, so a second run against a loaded database costs one count.
struct IncidentLoadOptions {
  uint64_t incidents = 10'000'000;  // rows `reporter` should have when the load ends
  std::string reporter = "bench-feeds-loader";
  uint64_t chunk_rows = 100'000;  // rows per transaction: memory and a failure's loss stay small
  uint64_t seed = 1;
  std::chrono::hours spread{24 * 60};  // receive times cover this much time before now
};

struct IncidentLoadResult {
  int64_t reporter_id = 0;
  uint64_t present_before = 0;          // the reporter's rows found
  uint64_t loaded = 0;                  // rows written by this call
  std::chrono::nanoseconds elapsed{0};  // writing them, without the VACUUM that follows
};

// Over one direct connection to `database_url`, which must be the database's owner (sitrepd
// writes such a URL into its data directory): creates the reporter principal if missing,
// counts its incidents, and COPYs (binary) the missing rows into incidents in transactions of
// options.chunk_rows, generating rows on other threads meanwhile; then VACUUM ANALYZEs
// incidents, as a database in service would be, when it wrote anything. Every index, trigger
// and policy stays: the loaded rows are what the server would hold, and triggers (the feed's
// NOTIFY, rollups) see them. Progress (rows, rows/s, ETA) goes to `progress`, one line per
// transaction. Blocking. Throws BenchFailure when PostgreSQL refuses a step; the
// transactions committed before stay and the next call tops them up.
[[nodiscard]] IncidentLoadResult LoadIncidents(const std::string& database_url,
                                               const IncidentLoadOptions& options,
                                               std::ostream& progress);

// LoadIncidents with the default options and `incidents` rows; returns the loader principal's
// row count afterwards (at least `incidents`).
[[nodiscard]] uint64_t EnsureIncidents(const std::string& database_url, uint64_t incidents,
                                       std::ostream& progress);

// EnsureIncidents, then every incident the database holds (the loader's and any other
// principal's): the "incidents" of a benchmark's result line.
[[nodiscard]] uint64_t EnsureIncidentsCounted(const std::string& database_url, uint64_t incidents,
                                              std::ostream& progress);

}  // namespace sitrep::bench
