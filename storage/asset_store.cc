#include "storage/asset_store.h"

#include <map>
#include <set>
#include <string>
#include <utility>

#include "storage/bulk_copy.h"
#include "storage/copy_text.h"
#include "storage/record_rows.h"
#include "storage/sql_types.h"
#include "storage/transaction.h"
#include "storage/tx_work.h"

namespace sitrep::storage {
namespace {

constexpr const char* kStagingTable = "asset_staging";
constexpr const char* kStagingDefinition =
    "(ord integer, province integer, reporter_id bigint, asset_key text, enterprise_id bigint, "
    "sector text, ip inet, port integer, transport text, protocol text, vendor text, "
    "product text, version text, asset_type text, internet_exposed boolean, cve_ids text[], "
    "first_micros bigint, last_micros bigint, observations bigint, attributes text, "
    "vendor_norm text, product_key text)";

// The columns an observation at least as new as the stored one replaces.
constexpr const char* kDescriptiveColumns[] = {
    "province", "enterprise_id", "sector",      "ip",         "port",       "transport",
    "protocol", "vendor",        "product",     "version",    "asset_type", "internet_exposed",
    "cve_ids",  "attributes",    "vendor_norm", "product_key"};

// One key's observations of a group, merged: the newest carries the values.
struct Merged {
  size_t newest = 0;  // index into records
  std::set<int64_t> times;
};

void AppendStagingRow(BulkCopy& copy, int ord, const AssetWrite& write, const Merged& merged) {
  const v1::Asset& asset = *write.asset;
  CopyRow row = copy.Row();
  row.Int(ord)
      .Int(asset.province())
      .Int(write.reporter_id)
      .Text(asset.asset_key())
      .IdOrNull(asset.enterprise_id())
      .Text(asset.sector());  // defaults: ingest/record_writer.cc
  if (asset.ip().empty()) {
    row.Null();
  } else {
    row.Text(asset.ip());
  }
  row.Int(asset.port())
      .Text(EnumText(asset.transport()))
      .Text(asset.protocol())
      .Text(asset.vendor())
      .Text(asset.product())
      .Text(asset.version())
      .Text(EnumText(asset.type()))
      .Bool(asset.internet_exposed())
      .TextArray(asset.cve_ids())
      .Int(*merged.times.begin())
      .Int(*merged.times.rbegin())
      .Int(static_cast<int64_t>(merged.times.size()))
      .JsonObject(asset.attributes())
      .Text(write.vendor_norm)
      .Text(write.product_key);
}

std::string UpsertSql() {
  std::string changed;
  std::string assignments;
  for (const char* column : kDescriptiveColumns) {
    const std::string name = column;
    changed += " OR a." + name + " IS DISTINCT FROM EXCLUDED." + name;
    assignments += name + " = CASE WHEN EXCLUDED.last_seen >= a.last_seen THEN EXCLUDED." + name +
                   " ELSE a." + name + " END, ";
  }
  return "INSERT INTO assets AS a (province, reporter_id, asset_key, enterprise_id, sector, ip, "
         "port, transport, protocol, vendor, product, version, asset_type, internet_exposed, "
         "cve_ids, first_seen, last_seen, times_seen, attributes, updated_at, vendor_norm, "
         "product_key) "
         "SELECT province, reporter_id, asset_key, enterprise_id, sector, ip, port, transport, "
         "protocol, vendor, product, version, asset_type, internet_exposed, cve_ids, "
         "sitrep_time(first_micros), sitrep_time(last_micros), observations, attributes::jsonb, "
         "sitrep_time($1), vendor_norm, product_key FROM asset_staging WHERE reporter_id = $2 "
         "ORDER BY ord "
         "ON CONFLICT (reporter_id, asset_key) DO UPDATE SET " +
         assignments +
         "first_seen = least(a.first_seen, EXCLUDED.first_seen), "
         "last_seen = greatest(a.last_seen, EXCLUDED.last_seen), "
         // A resent observation (same time) is not seen again.
         "times_seen = a.times_seen + CASE WHEN EXCLUDED.last_seen = a.last_seen "
         "THEN EXCLUDED.times_seen - 1 ELSE EXCLUDED.times_seen END, "
         "updated_at = EXCLUDED.updated_at, feed_xid = pg_current_xact_id(), "
         "feed_seq = nextval('record_feed_seq') "
         "WHERE a.last_seen <> EXCLUDED.last_seen OR a.first_seen > EXCLUDED.first_seen" +
         changed + " RETURNING id, reporter_id, asset_key";
}

}  // namespace

std::vector<WriteResult> AssetStore::Upsert(Tx& handle, std::span<const AssetWrite> records,
                                            std::chrono::system_clock::time_point now) {
  pqxx::work& tx = Work(handle);
  std::vector<WriteResult> results(records.size(), WriteResult{WriteResult::kDuplicate, 0, {}});
  if (records.empty()) return results;
  // ON CONFLICT DO UPDATE may touch a row once per statement, so a key's observations are
  // merged first; the key's first record stands for them all in the results.
  std::map<std::pair<int64_t, std::string>, Merged> merged;
  std::vector<size_t> firsts;
  for (size_t i = 0; i < records.size(); ++i) {
    auto [entry, inserted] =
        merged.try_emplace({records[i].reporter_id, records[i].asset->asset_key()});
    if (inserted) firsts.push_back(i);
    const int64_t seen = ToMicros(records[i].seen);
    if (entry->second.times.empty() || seen >= *entry->second.times.rbegin()) {
      entry->second.newest = i;
    }
    entry->second.times.insert(seen);
  }

  // Each reporter's rows are written under its own settings (IncidentStore::Insert).
  std::map<int64_t, const Principal*> reporters;
  BulkCopy copy(tx, kStagingTable, kStagingDefinition);
  for (const size_t first : firsts) {
    const Merged& key = merged.at({records[first].reporter_id, records[first].asset->asset_key()});
    AppendStagingRow(copy, static_cast<int>(first), records[key.newest], key);
    const Principal*& caller = reporters[records[first].reporter_id];
    if (caller == nullptr) caller = records[first].caller;
  }
  copy.Finish();

  const std::string sql = UpsertSql();
  std::map<std::pair<int64_t, std::string>, int64_t> stored;
  for (const auto& [reporter_id, caller] : reporters) {
    if (caller != nullptr) SetCaller(tx, *caller);
    for (const pqxx::row& row : tx.exec_params(sql, ToMicros(now), reporter_id)) {
      stored.emplace(std::pair{row[1].as<int64_t>(), row[2].as<std::string>()},
                     row[0].as<int64_t>());
    }
  }
  // Every observation of a key that changed the row counts as stored: each was new.
  for (size_t i = 0; i < records.size(); ++i) {
    const auto found = stored.find({records[i].reporter_id, records[i].asset->asset_key()});
    if (found != stored.end()) results[i] = WriteResult{WriteResult::kStored, found->second, {}};
  }
  return results;
}

std::optional<v1::Asset> AssetStore::Get(Tx& handle, int64_t id) {
  pqxx::work& tx = Work(handle);
  const pqxx::result result =
      tx.exec_params(std::string("SELECT ") + kAssetColumns + " FROM assets WHERE id = $1", id);
  if (result.empty()) return std::nullopt;
  return AssetFromRow(result[0]);
}

std::optional<v1::Asset> AssetStore::FindByKey(Tx& handle, int64_t reporter_id,
                                               const std::string& asset_key) {
  pqxx::work& tx = Work(handle);
  const pqxx::result result =
      tx.exec_params(std::string("SELECT ") + kAssetColumns +
                         " FROM assets WHERE reporter_id = $1 AND asset_key = $2",
                     reporter_id, asset_key);
  if (result.empty()) return std::nullopt;
  return AssetFromRow(result[0]);
}

}  // namespace sitrep::storage
