#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace sitrep::bench {

// How fast PostgreSQL itself takes the rows: SPEC §7's yardstick for durable ingest.
struct CopyBaselineResult {
  uint64_t rows = 0;
  std::chrono::nanoseconds elapsed{0};  // from the start of COPY to the end of COMMIT
};

// Over one direct connection to `database_url`: creates bench_copy_target LIKE incidents
// INCLUDING ALL (indexes, constraints, defaults; dropping a leftover first), then in one
// transaction COPYs into its IncidentCopyColumns() (incident_copy_row.h) the binary COPY rows
// `row_chunks` (encoded rows, without header or trailer, `rows` in all), commits, and drops
// the table again. Blocking. Throws BenchFailure with PostgreSQL's message when a step fails
// (the table is dropped then too, when the connection still works).
[[nodiscard]] CopyBaselineResult RunCopyBaseline(const std::string& database_url,
                                                 const std::vector<std::string_view>& row_chunks,
                                                 uint64_t rows);

}  // namespace sitrep::bench
