#include "bench/copy_baseline.h"

#include <libpq-fe.h>

#include <memory>
#include <string_view>

#include "bench/bench_failure.h"
#include "bench/binary_copy.h"
#include "bench/incident_copy_row.h"

namespace sitrep::bench {
namespace {

constexpr const char* kTable = "bench_copy_target";
// libpq buffers what PQputCopyData gets; pieces of this size keep its buffer small.
constexpr size_t kPieceBytes = 1 << 20;

struct ConnectionCloser {
  void operator()(PGconn* connection) const { PQfinish(connection); }
};
struct ResultClearer {
  void operator()(PGresult* result) const { PQclear(result); }
};
using Connection = std::unique_ptr<PGconn, ConnectionCloser>;
using Result = std::unique_ptr<PGresult, ResultClearer>;

std::string FirstLine(const char* message) {
  const std::string_view text = message == nullptr ? "" : message;
  return std::string(text.substr(0, text.find('\n')));
}

std::string ErrorOf(PGconn* connection) { return FirstLine(PQerrorMessage(connection)); }

void Execute(PGconn* connection, const std::string& sql) {
  const Result result(PQexec(connection, sql.c_str()));
  const ExecStatusType status = PQresultStatus(result.get());
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
    throw BenchFailure("the COPY baseline's \"" + sql +
                       "\" failed: " + FirstLine(PQresultErrorMessage(result.get())));
  }
}

void PutCopyData(PGconn* connection, std::string_view bytes) {
  while (!bytes.empty()) {
    const std::string_view piece = bytes.substr(0, kPieceBytes);
    if (PQputCopyData(connection, piece.data(), static_cast<int>(piece.size())) != 1) {
      throw BenchFailure("the COPY baseline could not send rows: " + ErrorOf(connection));
    }
    bytes.remove_prefix(piece.size());
  }
}

void Copy(PGconn* connection, const std::vector<std::string_view>& row_chunks, uint64_t rows) {
  const std::string sql = std::string("COPY ") + kTable + " (" + std::string(kIncidentCopyColumns) +
                          ") FROM STDIN (FORMAT binary)";
  {
    const Result result(PQexec(connection, sql.c_str()));
    if (PQresultStatus(result.get()) != PGRES_COPY_IN) {
      throw BenchFailure("the COPY baseline's COPY did not start: " +
                         FirstLine(PQresultErrorMessage(result.get())));
    }
  }
  PutCopyData(connection, BinaryCopyHeader());
  for (const std::string_view chunk : row_chunks) PutCopyData(connection, chunk);
  PutCopyData(connection, BinaryCopyTrailer());
  if (PQputCopyEnd(connection, nullptr) != 1) {
    throw BenchFailure("the COPY baseline could not end its COPY: " + ErrorOf(connection));
  }
  // The COPY's own result, then nullptr.
  for (;;) {
    const Result result(PQgetResult(connection));
    if (result == nullptr) break;
    if (PQresultStatus(result.get()) != PGRES_COMMAND_OK) {
      throw BenchFailure("the COPY baseline's COPY failed: " +
                         FirstLine(PQresultErrorMessage(result.get())));
    }
    const std::string copied = PQcmdTuples(result.get());
    if (copied != std::to_string(rows)) {
      throw BenchFailure("the COPY baseline copied " + copied + " rows instead of " +
                         std::to_string(rows));
    }
  }
}

}  // namespace

CopyBaselineResult RunCopyBaseline(const std::string& database_url,
                                   const std::vector<std::string_view>& row_chunks, uint64_t rows) {
  const Connection connection(PQconnectdb(database_url.c_str()));
  if (PQstatus(connection.get()) != CONNECTION_OK) {
    throw BenchFailure("the COPY baseline cannot connect to PostgreSQL: " +
                       ErrorOf(connection.get()));
  }
  Execute(connection.get(), "SET client_min_messages = warning");
  Execute(connection.get(), std::string("DROP TABLE IF EXISTS ") + kTable);
  // Created in its own transaction, not the COPY's: under wal_level=minimal PostgreSQL skips
  // the WAL of a COPY into a table created in the same transaction, which the server's
  // inserts never get to do.
  Execute(connection.get(),
          std::string("CREATE TABLE ") + kTable + " (LIKE incidents INCLUDING ALL)");

  CopyBaselineResult result;
  try {
    const auto start = std::chrono::steady_clock::now();
    Execute(connection.get(), "BEGIN");
    Copy(connection.get(), row_chunks, rows);
    Execute(connection.get(), "COMMIT");
    result.elapsed = std::chrono::steady_clock::now() - start;
    result.rows = rows;
  } catch (const BenchFailure&) {
    if (PQtransactionStatus(connection.get()) != PQTRANS_IDLE) {
      const Result rollback(PQexec(connection.get(), "ROLLBACK"));
    }
    const Result drop(PQexec(connection.get(), (std::string("DROP TABLE ") + kTable).c_str()));
    throw;
  }
  Execute(connection.get(), std::string("DROP TABLE ") + kTable);
  return result;
}

}  // namespace sitrep::bench
