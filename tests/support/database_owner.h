#pragma once

#include <cstdint>
#include <memory>
#include <string>

namespace sitrep::test {

// An operator at a test database, as its owner (past row-level security), doing what is done
// behind the server's back: failure injection for tests of how the server copes, as
// TestCluster::Cluster().Stop() injects an outage. Nothing here reads what the server stored
// (tests read that through the public API). One connection, opened on construction; not
// thread-safe. Every function throws when PostgreSQL fails.
class DatabaseOwner final {
 public:
  explicit DatabaseOwner(const std::string& database_url);
  ~DatabaseOwner();
  DatabaseOwner(const DatabaseOwner&) = delete;
  DatabaseOwner& operator=(const DatabaseOwner&) = delete;

  // Runs `sql` (one or more statements) in a transaction of its own and commits it; returns
  // the rows the last statement affected.
  int64_t Run(const std::string& sql);

  // Takes `table` in ACCESS EXCLUSIVE mode, in a transaction held open (so every other reader
  // and writer of the table waits) until ReleaseLock().
  void LockTable(const std::string& table);
  void ReleaseLock();

  // Whether some session of the cluster waits for a lock (one held by LockTable, say).
  [[nodiscard]] bool SomeoneWaitsForALock();

  // The transaction id PostgreSQL will assign next, and spending ids until it is `xid`.
  [[nodiscard]] uint64_t NextTransactionId();
  void SpendTransactionIdsUntil(uint64_t xid);

  // Ends every other session whose active statement matches the LIKE pattern `query_like`, as
  // PostgreSQL dropping connections does; returns how many it ended.
  int TerminateActiveBackends(const std::string& query_like);

 private:
  struct Session;
  std::unique_ptr<Session> session_;
};

// The single integer `sql` returns, read on `database_url` as its owner, past row-level
// security. Only for tests not yet moved to the public API (issue 18's tests/advisory_pgtest.cc
// counts with it); flow tests read what is stored through the API. Throws when PostgreSQL fails.
[[nodiscard]] int64_t QueryIntAsOwner(const std::string& database_url, const std::string& sql);

}  // namespace sitrep::test
