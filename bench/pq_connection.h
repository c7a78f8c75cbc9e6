#pragma once

#include <libpq-fe.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace sitrep::bench {

// One direct libpq connection for the benchmarks' own PostgreSQL work (the COPY baseline, the
// feeds loader). libpq rather than the server's libpqxx 6.4 because the bench streams binary
// COPY, which libpqxx 6.4 cannot. Every failure throws BenchFailure with one sentence that
// begins with `purpose` ("the COPY baseline") and ends with PostgreSQL's first line.
// Not thread-safe.
class PqConnection final {
 public:
  // Connects to `url`.
  PqConnection(const std::string& url, std::string purpose);

  // Runs `sql`, a command or query without parameters, in the current transaction state.
  void Execute(const std::string& sql);
  // Runs `sql` with text parameters $1, $2, …; returns its rows as text (NULL as "").
  [[nodiscard]] std::vector<std::vector<std::string>> Query(
      const std::string& sql, const std::vector<std::string>& params = {});

  // Streams binary COPY data into an open `COPY … FROM STDIN (FORMAT binary)`: call
  // BeginCopy, then PutCopyData with the header, rows and trailer (binary_copy.h) in pieces
  // of any size, then EndCopy, which checks that PostgreSQL took exactly `rows` rows.
  void BeginCopy(const std::string& copy_sql);
  void PutCopyData(std::string_view bytes);
  void EndCopy(uint64_t rows);

  // Ends an open transaction with ROLLBACK, ignoring any failure: for clean-up paths.
  void RollbackQuietly();

 private:
  struct Closer {
    void operator()(PGconn* connection) const { PQfinish(connection); }
  };

  [[noreturn]] void Fail(const std::string& what, const std::string& message) const;

  std::string purpose_;
  std::unique_ptr<PGconn, Closer> connection_;
};

}  // namespace sitrep::bench
