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
#include "storage/transaction.h"
#include "storage/tx_work.h"

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

// The rows of one reporter in the staging table, and whether any of them is to be returned.
struct ReporterRows {
  const Principal* caller = nullptr;
  bool full_rows = false;
};

// Inserts the staged rows of reporter $2, received at $1. The receive-time mark of the rows
// (migrations 0010, 0016, 0021) comes with them: all share one minute and this transaction's
// id, so the smallest feed position of the statement is the mark's bound. Returns id,
// reporter_id, external_id of each stored row, or the whole row (kIncidentColumns) when
// `full_rows`.
std::string InsertSql(bool full_rows) {
  return std::string(
             "WITH stored AS ("
             "INSERT INTO incidents (province, reporter_id, external_id, enterprise_id, sector, "
             "category, subcategory, severity, tlp, sharing_scope, status, occurred_at, "
             "detected_at, received_at, updated_at, amended_by, title, description, indicators, "
             "cve_ids, attack_technique_ids, affected_asset_keys, attributes) "
             "SELECT province, reporter_id, external_id, enterprise_id, sector, category, "
             "subcategory, severity, tlp, sharing_scope, status, sitrep_time(occurred_micros), "
             "sitrep_time(detected_micros), sitrep_time($1), sitrep_time($1), reporter_id, "
             "title, description, indicators::jsonb, cve_ids, attack_technique_ids, "
             "affected_asset_keys, attributes::jsonb FROM incident_staging "
             "WHERE reporter_id = $2 "
             "ON CONFLICT (reporter_id, external_id) DO NOTHING RETURNING ") +
         (full_rows ? "*" : "id, reporter_id, external_id, feed_xid, feed_seq") + "), marked AS (" +
         FeedMarkSql("sitrep_time($1)", "stored HAVING count(*) > 0") + ") SELECT " +
         (full_rows ? std::string(kIncidentColumns) : std::string("id, reporter_id, external_id")) +
         " FROM stored";
}

std::optional<v1::Incident> SelectOne(pqxx::work& tx, const std::string& where, int64_t id,
                                      const char* suffix = "") {
  const pqxx::result result = tx.exec_params(
      std::string("SELECT ") + kIncidentColumns + " FROM incidents WHERE " + where + suffix, id);
  if (result.empty()) return std::nullopt;
  return IncidentFromRow(result[0]);
}

}  // namespace

std::vector<WriteResult> IncidentStore::Insert(Tx& handle, std::span<const IncidentWrite> records,
                                               std::chrono::system_clock::time_point received) {
  pqxx::work& tx = Work(handle);
  std::vector<WriteResult> results(records.size(), WriteResult{WriteResult::kDuplicate, 0, {}});
  if (records.empty()) return results;
  // A key seen earlier in `records` is a duplicate without asking PostgreSQL, so the INSERT
  // needs no ORDER BY to keep the first.
  std::set<std::pair<int64_t, std::string_view>> keys;
  // Each reporter's rows are inserted under its own settings, so that the write policies see
  // the real caller; a group of one collector's streams is still one statement.
  std::map<int64_t, ReporterRows> reporters;
  BulkCopy copy(tx, kStagingTable, kStagingDefinition);
  for (size_t i = 0; i < records.size(); ++i) {
    if (!keys.emplace(records[i].reporter_id, records[i].incident->external_id()).second) continue;
    AppendStagingRow(copy, static_cast<int>(i), records[i]);
    ReporterRows& rows = reporters[records[i].reporter_id];
    if (rows.caller == nullptr) rows.caller = records[i].caller;
    rows.full_rows = rows.full_rows || records[i].return_row;
  }
  copy.Finish();

  // Rows come back without their ord; match them by key, first occurrence first.
  std::map<std::pair<int64_t, std::string>, std::pair<int64_t, std::optional<v1::Incident>>> stored;
  for (const auto& [reporter_id, rows] : reporters) {
    if (rows.caller != nullptr) SetCaller(tx, *rows.caller);
    const pqxx::result inserted =
        tx.exec_params(InsertSql(rows.full_rows), ToMicros(received), reporter_id);
    const int key = rows.full_rows ? 2 : 1;  // kIncidentColumns starts id, revision, reporter_id
    for (const pqxx::row& row : inserted) {
      std::optional<v1::Incident> full;
      if (rows.full_rows) full = IncidentFromRow(row);
      stored.emplace(std::pair{row[key].as<int64_t>(), row[key + 1].as<std::string>()},
                     std::pair{row[0].as<int64_t>(), std::move(full)});
    }
  }
  for (size_t i = 0; i < records.size(); ++i) {
    const auto found = stored.find({records[i].reporter_id, records[i].incident->external_id()});
    if (found == stored.end()) continue;
    results[i] =
        WriteResult{WriteResult::kStored, found->second.first,
                    records[i].return_row ? std::move(found->second.second) : std::nullopt};
    stored.erase(found);
  }
  return results;
}

std::optional<v1::Incident> IncidentStore::Get(Tx& handle, int64_t id) {
  pqxx::work& tx = Work(handle);
  return SelectOne(tx, "id = $1", id);
}

std::optional<v1::Incident> IncidentStore::GetForUpdate(Tx& handle, int64_t id) {
  pqxx::work& tx = Work(handle);
  return SelectOne(tx, "id = $1", id, " FOR UPDATE");
}

std::optional<v1::Incident> IncidentStore::FindByExternalId(Tx& handle, int64_t reporter_id,
                                                            const std::string& external_id) {
  pqxx::work& tx = Work(handle);
  const pqxx::result result =
      tx.exec_params(std::string("SELECT ") + kIncidentColumns +
                         " FROM incidents WHERE reporter_id = $1 AND external_id = $2",
                     reporter_id, external_id);
  if (result.empty()) return std::nullopt;
  return IncidentFromRow(result[0]);
}

v1::Incident IncidentStore::Amend(Tx& handle, const v1::Incident& amended, v1::AmendmentKind kind,
                                  const std::string& note, int64_t principal_id,
                                  std::chrono::system_clock::time_point now) {
  pqxx::work& tx = Work(handle);
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

std::vector<v1::Incident> IncidentStore::Revisions(Tx& handle, int64_t id) {
  pqxx::work& tx = Work(handle);
  const pqxx::result result = tx.exec_params(
      std::string("SELECT ") + kIncidentColumns + " FROM incident_revisions WHERE id = $1 " +
          "UNION ALL SELECT " + kIncidentColumns + " FROM incidents WHERE id = $1 ORDER BY 2",
      id);
  std::vector<v1::Incident> revisions;
  for (const pqxx::row& row : result) revisions.push_back(IncidentFromRow(row));
  return revisions;
}

Page<v1::Incident> IncidentStore::ListMine(Tx& handle, int64_t reporter_id, int64_t enterprise_id,
                                           int64_t before_id, int limit) {
  pqxx::work& tx = Work(handle);
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
