#include "bench/copy_baseline.h"

#include <string_view>

#include "bench/bench_failure.h"
#include "bench/binary_copy.h"
#include "bench/incident_copy_row.h"
#include "bench/pq_connection.h"

namespace sitrep::bench {
namespace {

constexpr const char* kTable = "bench_copy_target";

void Copy(PqConnection& connection, const std::vector<std::string_view>& row_chunks,
          uint64_t rows) {
  connection.BeginCopy(std::string("COPY ") + kTable + " (" + IncidentCopyColumns() +
                       ") FROM STDIN (FORMAT binary)");
  connection.PutCopyData(BinaryCopyHeader());
  for (const std::string_view chunk : row_chunks) connection.PutCopyData(chunk);
  connection.PutCopyData(BinaryCopyTrailer());
  connection.EndCopy(rows);
}

}  // namespace

CopyBaselineResult RunCopyBaseline(const std::string& database_url,
                                   const std::vector<std::string_view>& row_chunks, uint64_t rows) {
  PqConnection connection(database_url, "the COPY baseline");
  connection.Execute("SET client_min_messages = warning");
  connection.Execute(std::string("DROP TABLE IF EXISTS ") + kTable);
  // Created in its own transaction, not the COPY's: under wal_level=minimal PostgreSQL skips
  // the WAL of a COPY into a table created in the same transaction, which the server's
  // inserts never get to do.
  connection.Execute(std::string("CREATE TABLE ") + kTable + " (LIKE incidents INCLUDING ALL)");

  CopyBaselineResult result;
  try {
    const auto start = std::chrono::steady_clock::now();
    connection.Execute("BEGIN");
    Copy(connection, row_chunks, rows);
    connection.Execute("COMMIT");
    result.elapsed = std::chrono::steady_clock::now() - start;
    result.rows = rows;
  } catch (const BenchFailure&) {
    connection.RollbackQuietly();
    try {
      connection.Execute(std::string("DROP TABLE ") + kTable);
    } catch (const BenchFailure&) {
      // The first failure is the one to report; the table goes with the next run's DROP.
    }
    throw;
  }
  connection.Execute(std::string("DROP TABLE ") + kTable);
  return result;
}

}  // namespace sitrep::bench
