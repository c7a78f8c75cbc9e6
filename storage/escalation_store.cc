#include "storage/escalation_store.h"

#include <nlohmann/json.hpp>

#include "storage/copy_text.h"
#include "storage/record_rows.h"
#include "storage/sql_types.h"
#include "storage/tx_work.h"

namespace sitrep::storage {
namespace {

void AppendField(std::string& json, std::string_view name, std::string_view text) {
  json += ",\"";
  json += name;
  json += "\":";
  AppendJsonString(json, text);
}

void AppendNumber(std::string& json, std::string_view name, int64_t value) {
  json += ",\"";
  json += name;
  json += "\":";
  json += std::to_string(value);
}

// The notices as the JSON array sitrep_raise_escalations() reads: one parameter, however many
// notices, so a group costs one round trip and its text is never spliced into SQL. Written
// straight into one string (a JSON library's object per notice cost more than the rest of the
// rules together); every text in it comes from records validated as UTF-8 or from the parsed
// KEV catalog.
std::string NoticesJson(std::span<const EscalationNotice> notices) {
  std::string json = "[";
  for (const EscalationNotice& notice : notices) {
    if (json.size() > 1) json += ',';
    json += "{\"key\":";
    AppendJsonString(json, notice.key);
    AppendField(json, "origin", EnumText(notice.origin));
    AppendNumber(json, "priority", static_cast<int>(notice.priority));
    AppendNumber(json, "province", notice.province);
    json += notice.national ? ",\"national\":true" : ",\"national\":false";
    AppendField(json, "title", notice.title);
    AppendField(json, "body", notice.body);
    AppendField(json, "required_action", notice.required_action);
    AppendNumber(json, "deadline_micros", ToMicros(notice.deadline));
    AppendField(json, "tlp", EnumText(notice.tlp));
    if (notice.incident_id != 0) AppendNumber(json, "incident_id", notice.incident_id);
    if (notice.asset_id != 0) AppendNumber(json, "asset_id", notice.asset_id);
    if (notice.advisory_id != 0) AppendNumber(json, "advisory_id", notice.advisory_id);
    json += ",\"cve_ids\":[";
    for (size_t i = 0; i < notice.cve_ids.size(); ++i) {
      if (i > 0) json += ',';
      AppendJsonString(json, notice.cve_ids[i]);
    }
    json += "]}";
  }
  json += ']';
  return json;
}

}  // namespace

std::vector<RaisedNotice> EscalationStore::Raise(Tx& handle,
                                                 std::span<const EscalationNotice> notices,
                                                 std::chrono::system_clock::time_point now) {
  pqxx::work& tx = Work(handle);
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
    Tx& handle, const std::vector<std::string>& cve_ids, int64_t after_id, int limit) {
  pqxx::work& tx = Work(handle);
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
