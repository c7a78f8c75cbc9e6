#include "bench/pq_connection.h"

#include "bench/bench_failure.h"

namespace sitrep::bench {
namespace {

// libpq buffers what PQputCopyData gets; pieces of this size keep its buffer small.
constexpr size_t kPieceBytes = 1 << 20;

struct ResultClearer {
  void operator()(PGresult* result) const { PQclear(result); }
};
using Result = std::unique_ptr<PGresult, ResultClearer>;

std::string FirstLine(const char* message) {
  const std::string_view text = message == nullptr ? "" : message;
  return std::string(text.substr(0, text.find('\n')));
}

}  // namespace

PqConnection::PqConnection(const std::string& url, std::string purpose)
    : purpose_(std::move(purpose)), connection_(PQconnectdb(url.c_str())) {
  if (PQstatus(connection_.get()) != CONNECTION_OK) {
    Fail("cannot connect to PostgreSQL", PQerrorMessage(connection_.get()));
  }
}

void PqConnection::Execute(const std::string& sql) { (void)Query(sql); }

std::vector<std::vector<std::string>> PqConnection::Query(const std::string& sql,
                                                          const std::vector<std::string>& params) {
  std::vector<const char*> values;
  for (const std::string& param : params) values.push_back(param.c_str());
  const Result result(PQexecParams(connection_.get(), sql.c_str(), static_cast<int>(values.size()),
                                   nullptr, values.data(), nullptr, nullptr, 0));
  const ExecStatusType status = PQresultStatus(result.get());
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
    Fail("'s \"" + sql + "\" failed", PQresultErrorMessage(result.get()));
  }
  std::vector<std::vector<std::string>> rows(static_cast<size_t>(PQntuples(result.get())));
  for (size_t row = 0; row < rows.size(); ++row) {
    for (int column = 0; column < PQnfields(result.get()); ++column) {
      rows[row].emplace_back(PQgetvalue(result.get(), static_cast<int>(row), column));
    }
  }
  return rows;
}

void PqConnection::BeginCopy(const std::string& copy_sql) {
  const Result result(PQexec(connection_.get(), copy_sql.c_str()));
  if (PQresultStatus(result.get()) != PGRES_COPY_IN) {
    Fail("'s COPY did not start", PQresultErrorMessage(result.get()));
  }
}

void PqConnection::PutCopyData(std::string_view bytes) {
  while (!bytes.empty()) {
    const std::string_view piece = bytes.substr(0, kPieceBytes);
    if (PQputCopyData(connection_.get(), piece.data(), static_cast<int>(piece.size())) != 1) {
      Fail(" could not send rows", PQerrorMessage(connection_.get()));
    }
    bytes.remove_prefix(piece.size());
  }
}

void PqConnection::EndCopy(uint64_t rows) {
  if (PQputCopyEnd(connection_.get(), nullptr) != 1) {
    Fail(" could not end its COPY", PQerrorMessage(connection_.get()));
  }
  // The COPY's own result, then nullptr.
  for (;;) {
    const Result result(PQgetResult(connection_.get()));
    if (result == nullptr) break;
    if (PQresultStatus(result.get()) != PGRES_COMMAND_OK) {
      Fail("'s COPY failed", PQresultErrorMessage(result.get()));
    }
    const std::string copied = PQcmdTuples(result.get());
    if (copied != std::to_string(rows)) {
      throw BenchFailure(purpose_ + " copied " + copied + " rows instead of " +
                         std::to_string(rows));
    }
  }
}

void PqConnection::RollbackQuietly() {
  if (PQtransactionStatus(connection_.get()) != PQTRANS_IDLE) {
    const Result rollback(PQexec(connection_.get(), "ROLLBACK"));
  }
}

void PqConnection::Fail(const std::string& what, const std::string& message) const {
  // `what` either starts a clause ("cannot connect …") or continues the purpose ("'s COPY …").
  const bool continues = !what.empty() && (what[0] == '\'' || what[0] == ' ');
  throw BenchFailure(purpose_ + (continues ? "" : " ") + what + ": " + FirstLine(message.c_str()));
}

}  // namespace sitrep::bench
