#include "tests/record_samples.h"

#include "domain/time_convert.h"

namespace sitrep::testing {

v1::Incident SampleIncident(const std::string& external_id, uint32_t province,
                            std::chrono::system_clock::time_point now) {
  v1::Incident incident;
  incident.set_external_id(external_id);
  incident.set_province(province);
  incident.set_sector("energy");
  incident.set_category(v1::CATEGORY_MALWARE);
  incident.set_subcategory("ransomware");
  incident.set_severity(v1::SEVERITY_III);
  incident.set_tlp(v1::TLP_AMBER);
  incident.set_sharing_scope(v1::SHARING_SCOPE_ALL_REGULATORS);
  *incident.mutable_occur_time() = ToTimestamp(now - std::chrono::hours(2));
  *incident.mutable_detect_time() = ToTimestamp(now - std::chrono::hours(1));
  incident.set_title("某热电厂DCS工程师站遭勒索软件加密 / ransomware on a DCS workstation");
  incident.set_description("Files on two engineering workstations were encrypted.\nNo trip.");
  v1::Indicator* indicator = incident.add_indicators();
  indicator->set_type(v1::INDICATOR_TYPE_IPV4);
  indicator->set_value("203.0.113.7");
  indicator = incident.add_indicators();
  indicator->set_type(v1::INDICATOR_TYPE_SHA256);
  indicator->set_value(std::string(64, 'a'));
  incident.add_cve_ids("CVE-2023-3595");
  incident.add_attack_technique_ids("T0866");
  incident.add_affected_asset_keys("plc-7");
  (*incident.mutable_attributes())["plant"] = "2号机组 \"unit 2\"\t{a,b}";
  return incident;
}

v1::Asset SampleAsset(const std::string& asset_key, uint32_t province,
                      std::chrono::system_clock::time_point now) {
  v1::Asset asset;
  asset.set_asset_key(asset_key);
  asset.set_province(province);
  asset.set_ip("198.51.100.23");
  asset.set_port(502);
  asset.set_transport(v1::TRANSPORT_TCP);
  asset.set_protocol("modbus");
  asset.set_vendor("Schneider Electric");
  asset.set_product("Modicon M340");
  asset.set_version("3.40");
  asset.set_type(v1::ASSET_TYPE_PLC);
  asset.set_internet_exposed(true);
  asset.add_cve_ids("CVE-2022-45788");
  asset.set_sector("water");
  *asset.mutable_last_seen_time() = ToTimestamp(now - std::chrono::hours(1));
  (*asset.mutable_attributes())["site"] = "pump station 3";
  return asset;
}

}  // namespace sitrep::testing
