#include "tests/support/database_owner.h"

#include <optional>
#include <pqxx/pqxx>

namespace sitrep::test {

struct DatabaseOwner::Session {
  explicit Session(const std::string& database_url) : url(database_url), connection(url) {}
  std::string url;
  pqxx::connection connection;
  std::optional<pqxx::work> lock;  // the transaction LockTable holds open
};

DatabaseOwner::DatabaseOwner(const std::string& database_url)
    : session_(std::make_unique<Session>(database_url)) {}

DatabaseOwner::~DatabaseOwner() = default;

int64_t DatabaseOwner::Run(const std::string& sql) {
  pqxx::work tx(session_->connection);
  const pqxx::result result = tx.exec(sql);
  tx.commit();
  return result.affected_rows();
}

void DatabaseOwner::LockTable(const std::string& table) {
  session_->lock.emplace(session_->connection);
  session_->lock->exec("LOCK TABLE " + session_->lock->quote_name(table) +
                       " IN ACCESS EXCLUSIVE MODE");
}

void DatabaseOwner::ReleaseLock() {
  if (session_->lock) session_->lock->abort();
  session_->lock.reset();
}

// The lock's transaction holds the connection, so the questions below go on one of their own.
bool DatabaseOwner::SomeoneWaitsForALock() {
  pqxx::connection connection(session_->url);
  pqxx::nontransaction tx(connection);
  return tx.exec1("SELECT count(*) FROM pg_locks WHERE NOT granted")[0].as<int64_t>() > 0;
}

uint64_t DatabaseOwner::NextTransactionId() {
  pqxx::nontransaction tx(session_->connection);
  return tx.exec1("SELECT pg_snapshot_xmax(pg_current_snapshot())::text::bigint")[0].as<uint64_t>();
}

void DatabaseOwner::SpendTransactionIdsUntil(uint64_t xid) {
  // COMMIT inside DO ends each transaction, so each loop takes a new id.
  pqxx::nontransaction tx(session_->connection);
  tx.exec("DO $$ BEGIN WHILE txid_current() < " + std::to_string(xid) +
          " - 1 LOOP COMMIT; END LOOP; END $$");
}

int DatabaseOwner::TerminateActiveBackends(const std::string& query_like) {
  pqxx::nontransaction tx(session_->connection);
  return static_cast<int>(
      tx.exec_params("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE pid <> "
                     "pg_backend_pid() AND state = 'active' AND query LIKE $1",
                     query_like)
          .size());
}

int64_t QueryIntAsOwner(const std::string& database_url, const std::string& sql) {
  pqxx::connection connection(database_url);
  pqxx::nontransaction tx(connection);
  return tx.exec1(sql)[0].as<int64_t>();
}

}  // namespace sitrep::test
