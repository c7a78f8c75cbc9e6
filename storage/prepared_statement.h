#pragma once

#include <pqxx/pqxx>
#include <string>
#include <utility>

namespace sitrep::storage {

// Runs `sql` as the prepared statement `name` of the transaction's connection, which prepares it
// on that connection's first use. A hot read's statements are then parsed, analysed and
// rewritten (row-level security expands into every table they read) once per pooled connection
// instead of on every call. `name` must always come with the same `sql`.
template <class... Args>
pqxx::result ExecPrepared(pqxx::transaction_base& tx, const std::string& name,
                          const std::string& sql, Args&&... args) {
  tx.conn().prepare(name, sql);  // only a lookup when the connection knows it already
  return tx.exec_prepared(name, std::forward<Args>(args)...);
}

}  // namespace sitrep::storage
