#include "storage/record_rows.h"

#include <nlohmann/json.hpp>
#include <pqxx/pqxx>

#include "storage/copy_text.h"
#include "storage/sql_types.h"

namespace sitrep::storage {
namespace {

void ReadAttributes(const pqxx::field& field,
                    google::protobuf::Map<std::string, std::string>* out) {
  const nlohmann::json object = nlohmann::json::parse(field.c_str());
  for (auto item = object.begin(); item != object.end(); ++item) {
    (*out)[item.key()] = item.value().get<std::string>();
  }
}

// Takes the field's mutable_… accessor rather than its result: calling it marks the time
// present, and an absent one (NULL) read back as 1970-01-01.
template <class Mutable>
void SetTimeIfPresent(const pqxx::field& micros, Mutable mutable_time) {
  if (!micros.is_null()) *mutable_time() = TimestampFromMicros(micros);
}

}  // namespace

const char* const kIncidentColumns =
    "id, revision, reporter_id, external_id, province, coalesce(enterprise_id, 0), sector, "
    "category, subcategory, severity, tlp, sharing_scope, status, sitrep_micros(occurred_at), "
    "sitrep_micros(detected_at), sitrep_micros(received_at), sitrep_micros(updated_at), title, "
    "description, indicators::text, array_to_json(cve_ids)::text, "
    "array_to_json(attack_technique_ids)::text, array_to_json(affected_asset_keys)::text, "
    "attributes::text";

const char* const kAssetColumns =
    "id, reporter_id, asset_key, province, coalesce(enterprise_id, 0), coalesce(host(ip), ''), "
    "port, transport, protocol, vendor, product, version, asset_type, internet_exposed, "
    "array_to_json(cve_ids)::text, sitrep_micros(first_seen), sitrep_micros(last_seen), "
    "times_seen, attributes::text, sector";

v1::Incident IncidentFromRow(const pqxx::row& row) {
  v1::Incident incident;
  incident.set_id(row[0].as<int64_t>());
  incident.set_revision(row[1].as<int64_t>());
  incident.set_reporter_id(row[2].as<int64_t>());
  incident.set_external_id(row[3].as<std::string>());
  incident.set_province(row[4].as<uint32_t>());
  incident.set_enterprise_id(row[5].as<int64_t>());
  incident.set_sector(row[6].as<std::string>());
  incident.set_category(EnumFromText<v1::Category>(row[7].as<std::string>()));
  incident.set_subcategory(row[8].as<std::string>());
  incident.set_severity(static_cast<v1::Severity>(row[9].as<int>()));
  incident.set_tlp(EnumFromText<v1::Tlp>(row[10].as<std::string>()));
  incident.set_sharing_scope(EnumFromText<v1::SharingScope>(row[11].as<std::string>()));
  incident.set_status(EnumFromText<v1::IncidentStatus>(row[12].as<std::string>()));
  SetTimeIfPresent(row[13], [&] { return incident.mutable_occur_time(); });
  SetTimeIfPresent(row[14], [&] { return incident.mutable_detect_time(); });
  *incident.mutable_receive_time() = TimestampFromMicros(row[15]);
  *incident.mutable_update_time() = TimestampFromMicros(row[16]);
  incident.set_title(row[17].as<std::string>());
  incident.set_description(row[18].as<std::string>());
  for (const auto& item : nlohmann::json::parse(row[19].c_str())) {
    v1::Indicator* indicator = incident.add_indicators();
    indicator->set_type(EnumFromText<v1::IndicatorType>(item.at("type").get<std::string>()));
    indicator->set_value(item.at("value").get<std::string>());
  }
  ReadJsonArray(row[20], incident.mutable_cve_ids());
  ReadJsonArray(row[21], incident.mutable_attack_technique_ids());
  ReadJsonArray(row[22], incident.mutable_affected_asset_keys());
  ReadAttributes(row[23], incident.mutable_attributes());
  return incident;
}

v1::Asset AssetFromRow(const pqxx::row& row) {
  v1::Asset asset;
  asset.set_id(row[0].as<int64_t>());
  asset.set_reporter_id(row[1].as<int64_t>());
  asset.set_asset_key(row[2].as<std::string>());
  asset.set_province(row[3].as<uint32_t>());
  asset.set_enterprise_id(row[4].as<int64_t>());
  asset.set_ip(row[5].as<std::string>());
  asset.set_port(row[6].as<uint32_t>());
  asset.set_transport(EnumFromText<v1::Transport>(row[7].as<std::string>()));
  asset.set_protocol(row[8].as<std::string>());
  asset.set_vendor(row[9].as<std::string>());
  asset.set_product(row[10].as<std::string>());
  asset.set_version(row[11].as<std::string>());
  asset.set_type(EnumFromText<v1::AssetType>(row[12].as<std::string>()));
  asset.set_internet_exposed(row[13].as<bool>());
  ReadJsonArray(row[14], asset.mutable_cve_ids());
  *asset.mutable_first_seen_time() = TimestampFromMicros(row[15]);
  *asset.mutable_last_seen_time() = TimestampFromMicros(row[16]);
  asset.set_times_seen(row[17].as<int64_t>());
  ReadAttributes(row[18], asset.mutable_attributes());
  asset.set_sector(row[19].as<std::string>());
  return asset;
}

std::string IndicatorsJson(const v1::Incident& incident) {
  std::string json = "[";
  for (int i = 0; i < incident.indicators_size(); ++i) {
    if (i > 0) json += ',';
    json += "{\"type\":";
    AppendJsonString(json, EnumText(incident.indicators(i).type()));
    json += ",\"value\":";
    AppendJsonString(json, incident.indicators(i).value());
    json += '}';
  }
  json += ']';
  return json;
}

}  // namespace sitrep::storage
