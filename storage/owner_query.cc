#include "storage/owner_query.h"

#include <pqxx/pqxx>

namespace sitrep::storage {

int64_t QueryIntAsOwner(const std::string& database_url, const std::string& sql) {
  pqxx::connection connection(database_url);
  pqxx::nontransaction tx(connection);
  return tx.exec1(sql)[0].as<int64_t>();
}

int TerminateActiveBackends(const std::string& database_url, const std::string& query_like) {
  pqxx::connection connection(database_url);
  pqxx::nontransaction tx(connection);
  return static_cast<int>(
      tx.exec_params("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE pid <> "
                     "pg_backend_pid() AND state = 'active' AND query LIKE $1",
                     query_like)
          .size());
}

}  // namespace sitrep::storage
