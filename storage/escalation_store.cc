#include "storage/escalation_store.h"

#include <nlohmann/json.hpp>

#include "storage/record_rows.h"
#include "storage/sql_types.h"

namespace sitrep::storage {
namespace {

// The notices as the JSON array sitrep_raise_escalations() reads: one parameter, however many
// notices, so a group costs one round trip and its text is never spliced into SQL.
std::string NoticesJson(std::span<const EscalationNotice> notices) {
  nlohmann::json array = nlohmann::json::array();
  for (const EscalationNotice& notice : notices) {
    nlohmann::json item;
    item["key"] = notice.key;
    item["origin"] = EnumText(notice.origin);
    item["priority"] = static_cast<int>(notice.priority);
    item["province"] = notice.province;
    item["national"] = notice.national;
    item["title"] = notice.title;
    item["body"] = notice.body;
    item["required_action"] = notice.required_action;
    item["deadline_micros"] = ToMicros(notice.deadline);
    item["tlp"] = EnumText(notice.tlp);
    if (notice.incident_id != 0) item["incident_id"] = notice.incident_id;
    if (notice.asset_id != 0) item["asset_id"] = notice.asset_id;
    item["cve_ids"] = notice.cve_ids;
    array.push_back(std::move(item));
  }
  // Replacement rather than an exception for text that is not UTF-8: the checks in front of
  // the database have validated it, and a notice must not fail its record's transaction.
  return array.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace

std::vector<RaisedNotice> EscalationStore::Raise(pqxx::work& tx,
                                                 std::span<const EscalationNotice> notices,
                                                 std::chrono::system_clock::time_point now) {
  std::vector<RaisedNotice> raised;
  if (notices.empty()) return raised;
  const pqxx::result rows = tx.exec_params(
      "SELECT notification_id, escalation_key "
      "FROM sitrep_raise_escalations($1::jsonb, sitrep_time($2)) ORDER BY escalation_key",
      NoticesJson(notices), ToMicros(now));
  raised.reserve(rows.size());
  for (const pqxx::row& row : rows) {
    raised.push_back({row[0].as<int64_t>(), row[1].as<std::string>()});
  }
  return raised;
}

std::vector<v1::Asset> EscalationStore::ExposedAssetsCarrying(
    pqxx::work& tx, const std::vector<std::string>& cve_ids, int64_t after_id, int limit) {
  std::vector<v1::Asset> assets;
  if (cve_ids.empty()) return assets;
  // `&&` on the GIN index of assets.cve_ids finds the few assets out of millions.
  const pqxx::result rows =
      tx.exec_params(std::string("SELECT ") + kAssetColumns +
                         " FROM assets WHERE internet_exposed AND id > $2 "
                         "AND cve_ids && ARRAY(SELECT jsonb_array_elements_text($1::jsonb)) "
                         "ORDER BY id LIMIT $3",
                     nlohmann::json(cve_ids).dump(), after_id, limit);
  assets.reserve(rows.size());
  for (const pqxx::row& row : rows) assets.push_back(AssetFromRow(row));
  return assets;
}

}  // namespace sitrep::storage
