#include "storage/audit_store.h"

#include <algorithm>

#include "storage/copy_text.h"
#include "storage/prepared_statement.h"
#include "storage/sql_types.h"
#include "storage/transaction.h"

namespace sitrep::storage {

namespace {

// `values` as a text[] literal, every element quoted.
std::string TextArray(const std::vector<AuditRecord>& records,
                      const std::string AuditRecord::*field) {
  google::protobuf::RepeatedPtrField<std::string> values;
  for (const AuditRecord& record : records) values.Add(std::string(record.*field));
  return ArrayLiteral(values);
}

template <class Number>
std::string NumberArray(const std::vector<AuditRecord>& records, Number (*of)(const AuditRecord&)) {
  std::string literal = "{";
  for (size_t i = 0; i < records.size(); ++i) {
    literal += (i ? "," : "") + std::to_string(of(records[i]));
  }
  return literal + "}";
}

}  // namespace

void AuditStore::Append(const std::vector<AuditRecord>& records) {
  if (records.empty()) return;
  // One statement, whatever the number of entries: one round trip and one commit for a whole
  // group (server/audit_writer.h), and all or none stored, so that a retry after a failure
  // stores none twice. WITH ORDINALITY keeps the entries' order in their ids. The table has
  // no row-level security, hence no caller settings.
  InAutocommit(pool_, [&](pqxx::nontransaction& tx) {
    ExecPrepared(
        tx, "audit_append",
        "INSERT INTO audit_entries (at, principal_id, method, target, rows, status, peer) "
        "SELECT sitrep_time(e.at), e.principal_id, e.method, e.target, e.rows, e.status, e.peer "
        "FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::text[], $5::bigint[], "
        "$6::text[], $7::text[]) WITH ORDINALITY "
        "AS e(at, principal_id, method, target, rows, status, peer, n) ORDER BY e.n",
        NumberArray<int64_t>(
            records, +[](const AuditRecord& r) { return ToMicros(r.time); }),
        NumberArray<int64_t>(
            records, +[](const AuditRecord& r) { return r.principal_id; }),
        TextArray(records, &AuditRecord::method), TextArray(records, &AuditRecord::target),
        NumberArray<int64_t>(
            records, +[](const AuditRecord& r) { return r.rows; }),
        TextArray(records, &AuditRecord::status), TextArray(records, &AuditRecord::peer));
  });
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
