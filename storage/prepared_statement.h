#pragma once

#include <pqxx/pqxx>
#include <string>
#include <utility>
#include <vector>

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

// Runs `sql`, built at run time with text parameters `params`, as a prepared statement when it
// is one of the first kMaxDynamicStatements texts seen (each connection prepares it on first
// use), else unprepared. A feed query's text varies only with which filters are present, so a
// few texts serve nearly every call, and a client cycling through filter combinations cannot
// fill the connections with statements. Thread-safe.
inline constexpr size_t kMaxDynamicStatements = 64;
pqxx::result ExecDynamic(pqxx::transaction_base& tx, const std::string& sql,
                         const std::vector<std::string>& params);

}  // namespace sitrep::storage
