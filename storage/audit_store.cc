#include "storage/audit_store.h"

#include <algorithm>

#include "storage/prepared_statement.h"
#include "storage/sql_types.h"
#include "storage/transaction.h"

namespace sitrep::storage {

namespace {

void Insert(pqxx::transaction_base& tx, const AuditRecord& record) {
  ExecPrepared(tx, "audit_append",
               "INSERT INTO audit_entries (at, principal_id, method, target, rows, status, peer) "
               "VALUES (sitrep_time($1), $2, $3, $4, $5, $6, $7)",
               ToMicros(record.time), record.principal_id, record.method, record.target,
               record.rows, record.status, record.peer);
}

}  // namespace

void AuditStore::Append(const std::vector<AuditRecord>& records) {
  if (records.empty()) return;
  if (records.size() == 1) {
    // One statement commits on its own: one round trip on the path of every call.
    InAutocommit(pool_, [&](pqxx::nontransaction& tx) { Insert(tx, records.front()); });
    return;
  }
  // Several lines are the entries kept while the database was away; all or none, so that a
  // retry after a failure mid-way stores none of them twice. The table has no row-level
  // security, hence no caller settings.
  Pool::Lease connection = pool_.Acquire();
  try {
    pqxx::work tx(*connection);
    for (const AuditRecord& record : records) Insert(tx, record);
    tx.commit();
  } catch (...) {
    RethrowAsStorageError(&*connection);
  }
}

Page<v1::AuditEntry> AuditStore::List(const Principal& caller, const AuditQuery& query) {
  const int limit = std::max(query.limit, 1);
  std::optional<int64_t> start_micros, end_micros;
  if (query.start_time) start_micros = ToMicros(*query.start_time);
  if (query.end_time) end_micros = ToMicros(*query.end_time);
  return InTransaction(pool_, caller, [&](pqxx::work& tx) {
    // Newest first by id (the insertion order); one row beyond the page tells whether another
    // page follows. The time range is half-open, [start, end), as TimeRange says.
    const pqxx::result result = tx.exec_params(
        "SELECT id, sitrep_micros(at), principal_id, method, target, rows, status, peer "
        "FROM audit_entries WHERE ($1::bigint = 0 OR principal_id = $1) AND ($2 = '' OR method = "
        "$2) "
        "AND ($3::bigint IS NULL OR at >= sitrep_time($3)) "
        "AND ($4::bigint IS NULL OR at < sitrep_time($4)) "
        "AND ($5::bigint = 0 OR id < $5) ORDER BY id DESC LIMIT $6",
        query.principal_id, query.method, start_micros, end_micros, query.before_id, limit + 1);
    Page<v1::AuditEntry> page;
    for (const pqxx::row& row : result) {
      if (static_cast<int>(page.items.size()) == limit) {
        page.last_key = page.items.back().id();
        break;
      }
      v1::AuditEntry& entry = page.items.emplace_back();
      entry.set_id(row[0].as<int64_t>());
      *entry.mutable_time() = TimestampFromMicros(row[1]);
      entry.set_principal_id(row[2].as<int64_t>());
      entry.set_method(row[3].as<std::string>());
      entry.set_target(row[4].as<std::string>());
      entry.set_rows(row[5].as<int64_t>());
      entry.set_status(row[6].as<std::string>());
      entry.set_peer(row[7].as<std::string>());
    }
    return page;
  });
}

}  // namespace sitrep::storage
