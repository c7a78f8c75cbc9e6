#include "storage/incident_store.h"

#include <algorithm>
#include <map>
#include <set>
#include <string_view>
#include <utility>

#include "storage/bulk_copy.h"
#include "storage/copy_text.h"
#include "storage/incident_columns.h"
#include "storage/record_rows.h"
#include "storage/sql_types.h"

namespace sitrep::storage {
namespace {

// The staging table lives per connection (temporary) and empties at every commit; COPY into
// it is cheap (no WAL, no indexes), then one INSERT … SELECT decides duplicates by the key.
constexpr const char* kStagingTable = "incident_staging";
constexpr const char* kStagingDefinition =
    "(ord integer, province integer, reporter_id bigint, external_id text, enterprise_id bigint, "
    "sector text, category text, subcategory text, severity smallint, tlp text, "
    "sharing_scope text, status text, occurred_micros bigint, detected_micros bigint, "
    "title text, description text, indicators text, cve_ids text[], "
    "attack_technique_ids text[], affected_asset_keys text[], attributes text)";

// The staging columns are ord and then kFirstReportColumns, times in microseconds.
void AppendStagingRow(BulkCopy& copy, int ord, const IncidentWrite& write) {
  CopyRow row = copy.Row();
  row.Int(ord);
  AppendFirstReport(row, *write.incident, write.reporter_id, write.incident->external_id());
}

std::optional<v1::Incident> SelectOne(pqxx::work& tx, const std::string& where, int64_t id,
                                      const char* suffix = "") {
  const pqxx::result result = tx.exec_params(
      std::string("SELECT ") + kIncidentColumns + " FROM incidents WHERE " + where + suffix, id);
  if (result.empty()) return std::nullopt;
  return IncidentFromRow(result[0]);
}

}  // namespace

std::vector<WriteResult> IncidentStore::Insert(pqxx::work& tx,
                                               std::span<const IncidentWrite> records,
                                               std::chrono::system_clock::time_point received) {
  std::vector<WriteResult> results(records.size(), WriteResult{WriteResult::kDuplicate, 0});
  if (records.empty()) return results;
  // A key seen earlier in `records` is a duplicate without asking PostgreSQL, so the INSERT
  // needs no ORDER BY to keep the first.
  std::set<std::pair<int64_t, std::string_view>> keys;
  BulkCopy copy(tx, kStagingTable, kStagingDefinition);
  for (size_t i = 0; i < records.size(); ++i) {
    if (!keys.emplace(records[i].reporter_id, records[i].incident->external_id()).second) continue;
    AppendStagingRow(copy, static_cast<int>(i), records[i]);
  }
  copy.Finish();

  // The receive-time mark of the rows (migrations 0010, 0016, 0021) comes with them: all share
  // one minute and this transaction's id, so the smallest feed position of the statement is the
  // mark's bound.
  const pqxx::result inserted = tx.exec_params(
      "WITH stored AS ("
      "INSERT INTO incidents (province, reporter_id, external_id, enterprise_id, sector, "
      "category, subcategory, severity, tlp, sharing_scope, status, occurred_at, detected_at, "
      "received_at, updated_at, amended_by, title, description, indicators, cve_ids, "
      "attack_technique_ids, affected_asset_keys, attributes) "
      "SELECT province, reporter_id, external_id, enterprise_id, sector, category, subcategory, "
      "severity, tlp, sharing_scope, status, sitrep_time(occurred_micros), "
      "sitrep_time(detected_micros), sitrep_time($1), sitrep_time($1), reporter_id, title, "
      "description, indicators::jsonb, cve_ids, attack_technique_ids, affected_asset_keys, "
      "attributes::jsonb FROM incident_staging "
      "ON CONFLICT (reporter_id, external_id) DO NOTHING "
      "RETURNING id, reporter_id, external_id, feed_xid, feed_seq), "
      "marked AS ("
      "INSERT INTO incident_feed_marks AS m (minute, backend, min_xid, min_seq) "
      "SELECT sitrep_minute(sitrep_time($1)), pg_backend_pid(), min(feed_xid), min(feed_seq) "
      "FROM stored HAVING count(*) > 0 "
      "ON CONFLICT (minute, backend) DO UPDATE "
      "SET min_xid = EXCLUDED.min_xid, min_seq = EXCLUDED.min_seq "
      "WHERE (EXCLUDED.min_xid, EXCLUDED.min_seq) < (m.min_xid, m.min_seq)) "
      "SELECT id, reporter_id, external_id FROM stored",
      ToMicros(received));

  // Rows come back without their ord; match them by key, first occurrence first.
  std::map<std::pair<int64_t, std::string>, int64_t> stored;
  for (const pqxx::row& row : inserted) {
    stored.emplace(std::pair{row[1].as<int64_t>(), row[2].as<std::string>()}, row[0].as<int64_t>());
  }
  for (size_t i = 0; i < records.size(); ++i) {
    const auto found = stored.find({records[i].reporter_id, records[i].incident->external_id()});
    if (found == stored.end()) continue;
    results[i] = WriteResult{WriteResult::kStored, found->second};
    stored.erase(found);
  }
  return results;
}

std::optional<v1::Incident> IncidentStore::Get(pqxx::work& tx, int64_t id) {
  return SelectOne(tx, "id = $1", id);
}

std::optional<v1::Incident> IncidentStore::GetForUpdate(pqxx::work& tx, int64_t id) {
  return SelectOne(tx, "id = $1", id, " FOR UPDATE");
}

std::optional<v1::Incident> IncidentStore::FindByExternalId(pqxx::work& tx, int64_t reporter_id,
                                                            const std::string& external_id) {
  const pqxx::result result =
      tx.exec_params(std::string("SELECT ") + kIncidentColumns +
                         " FROM incidents WHERE reporter_id = $1 AND external_id = $2",
                     reporter_id, external_id);
  if (result.empty()) return std::nullopt;
  return IncidentFromRow(result[0]);
}

v1::Incident IncidentStore::Amend(pqxx::work& tx, const v1::Incident& amended,
                                  v1::AmendmentKind kind, const std::string& note,
                                  int64_t principal_id, std::chrono::system_clock::time_point now) {
  tx.exec_params(
      "INSERT INTO incident_revisions SELECT i.*, sitrep_time($2) FROM incidents i WHERE id = $1",
      amended.id(), ToMicros(now));
  const pqxx::result result = tx.exec_params(
      std::string("UPDATE incidents SET enterprise_id = $2, sector = $3, category = $4, "
                  "subcategory = $5, severity = $6, tlp = $7, sharing_scope = $8, status = $9, "
                  "occurred_at = sitrep_time($10), detected_at = sitrep_time($11), "
                  "updated_at = sitrep_time($12), revision = revision + 1, amendment = $13, "
                  "amendment_note = $14, amended_by = $15, title = $16, description = $17, "
                  "indicators = $18::jsonb, cve_ids = $19::text[], "
                  "attack_technique_ids = $20::text[], affected_asset_keys = $21::text[], "
                  "attributes = $22::jsonb, feed_xid = pg_current_xact_id(), "
                  "feed_seq = nextval('record_feed_seq') WHERE id = $1 RETURNING ") +
          kIncidentColumns,
      amended.id(),
      amended.enterprise_id() == 0 ? std::optional<int64_t>() : amended.enterprise_id(),
      amended.sector(), EnumText(amended.category()), amended.subcategory(),
      static_cast<int>(amended.severity()), EnumText(amended.tlp()),
      EnumText(amended.sharing_scope()), EnumText(amended.status()),
      amended.has_occur_time() ? std::optional(ToMicros(amended.occur_time())) : std::nullopt,
      amended.has_detect_time() ? std::optional(ToMicros(amended.detect_time())) : std::nullopt,
      ToMicros(now), EnumText(kind), note, principal_id, amended.title(), amended.description(),
      IndicatorsJson(amended), ArrayLiteral(amended.cve_ids()),
      ArrayLiteral(amended.attack_technique_ids()), ArrayLiteral(amended.affected_asset_keys()),
      JsonObjectText(amended.attributes()));
  return IncidentFromRow(result.at(0));
}

std::vector<v1::Incident> IncidentStore::Revisions(pqxx::work& tx, int64_t id) {
  const pqxx::result result = tx.exec_params(
      std::string("SELECT ") + kIncidentColumns + " FROM incident_revisions WHERE id = $1 " +
          "UNION ALL SELECT " + kIncidentColumns + " FROM incidents WHERE id = $1 ORDER BY 2",
      id);
  std::vector<v1::Incident> revisions;
  for (const pqxx::row& row : result) revisions.push_back(IncidentFromRow(row));
  return revisions;
}

Page<v1::Incident> IncidentStore::ListMine(pqxx::work& tx, int64_t reporter_id,
                                           int64_t enterprise_id, int64_t before_id, int limit) {
  limit = std::max(limit, 1);
  const pqxx::result result = tx.exec_params(
      std::string("SELECT ") + kIncidentColumns +
          " FROM incidents WHERE (reporter_id = $1 OR ($2::bigint <> 0 AND enterprise_id = $2)) "
          "AND ($3::bigint = 0 OR id < $3) ORDER BY id DESC LIMIT $4",
      reporter_id, enterprise_id, before_id, limit + 1);
  Page<v1::Incident> page;
  for (const pqxx::row& row : result) {
    if (static_cast<int>(page.items.size()) == limit) {
      page.last_key = page.items.back().id();
      break;
    }
    page.items.push_back(IncidentFromRow(row));
  }
  return page;
}

}  // namespace sitrep::storage
