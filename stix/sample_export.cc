// Writes one STIX bundle holding every object the mapping makes for a table of records: every
// field set, each category, severity, status, TLP, sharing scope, indicator and asset type,
// redacted variants and an amendment. stix_schema_validation checks it (stix/validate.cmake).
#include <google/protobuf/util/time_util.h>

#include <iostream>
#include <map>

#include "stix/stix_export.h"

namespace {

using sitrep::stix::Json;
namespace v1 = sitrep::v1;

google::protobuf::Timestamp At(int64_t seconds, int32_t nanos = 0) {
  google::protobuf::Timestamp time;
  time.set_seconds(seconds);
  time.set_nanos(nanos);
  return time;
}

v1::Incident FullIncident(int64_t id) {
  v1::Incident incident;
  incident.set_id(id);
  incident.set_revision(1);
  incident.set_reporter_id(7);
  incident.set_external_id("ext-" + std::to_string(id));
  incident.set_province(440000);
  incident.set_enterprise_id(12);
  incident.set_sector("energy");
  incident.set_category(v1::CATEGORY_NETWORK_ATTACK);
  incident.set_subcategory("unauthorised PLC logic change");
  incident.set_severity(v1::SEVERITY_II);
  incident.set_tlp(v1::TLP_AMBER);
  incident.set_sharing_scope(v1::SHARING_SCOPE_SECTOR);
  incident.set_status(v1::INCIDENT_STATUS_CONFIRMED);
  *incident.mutable_occur_time() = At(1'760'000'000);
  *incident.mutable_detect_time() = At(1'760'000'600);
  *incident.mutable_receive_time() = At(1'760'000'700, 123'456'000);
  *incident.mutable_update_time() = At(1'760'000'700, 123'456'000);
  incident.set_title("PLC logic changed at a substation \"B\" O'Brien");
  incident.set_description("An engineering workstation pushed new ladder logic.");
  const std::pair<v1::IndicatorType, const char*> indicators[] = {
      {v1::INDICATOR_TYPE_IPV4, "203.0.113.5"},
      {v1::INDICATOR_TYPE_IPV6, "2001:db8::5"},
      {v1::INDICATOR_TYPE_DOMAIN, "evil.example"},
      {v1::INDICATOR_TYPE_URL, "http://evil.example/a?b='c'\\d"},
      {v1::INDICATOR_TYPE_SHA256,
       "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
      {v1::INDICATOR_TYPE_MD5, "d41d8cd98f00b204e9800998ecf8427e"},
      {v1::INDICATOR_TYPE_EMAIL, "ops@evil.example"},
      {v1::INDICATOR_TYPE_UNSPECIFIED, "ignored"}};
  for (const auto& [type, value] : indicators) {
    v1::Indicator* indicator = incident.add_indicators();
    indicator->set_type(type);
    indicator->set_value(value);
  }
  incident.add_cve_ids("CVE-2024-12345");
  incident.add_cve_ids("CVE-2023-0001");
  incident.add_cve_ids("CVE-2024-12345");  // named twice: one vulnerability
  incident.add_attack_technique_ids("T0831");
  incident.add_attack_technique_ids("T0843");
  incident.add_attack_technique_ids("T9999");  // unknown: kept as a property only
  incident.add_affected_asset_keys("plc-1");
  (*incident.mutable_attributes())["site"] = "Substation 9";
  incident.set_cursor("opaque");
  return incident;
}

v1::Asset FullAsset(int64_t id, v1::AssetType type) {
  v1::Asset asset;
  asset.set_id(id);
  asset.set_reporter_id(5);
  asset.set_asset_key("asset-" + std::to_string(id));
  asset.set_province(310000);
  asset.set_enterprise_id(id % 2 == 0 ? 12 : 0);
  asset.set_ip(id % 3 == 0 ? "2001:db8::9" : "198.51.100.9");
  asset.set_port(502);
  asset.set_transport(v1::TRANSPORT_TCP);
  asset.set_protocol("modbus");
  asset.set_vendor(id % 5 == 0 ? "" : "Schneider Electric");
  asset.set_product(id % 7 == 0 ? "" : "Modicon M340");
  asset.set_version("3.4");
  asset.set_type(type);
  asset.set_internet_exposed(true);
  asset.add_cve_ids("CVE-2018-7841");
  *asset.mutable_first_seen_time() = At(1'700'000'000);
  // An observation time before the first sighting (a collector's clock): modified stays ≥ created.
  *asset.mutable_last_seen_time() = At(id % 4 == 0 ? 1'690'000'000 : 1'710'000'000, 5'000'000);
  asset.set_times_seen(3);
  (*asset.mutable_attributes())["rack"] = "A3";
  asset.set_sector("manufacturing");
  return asset;
}

}  // namespace

int main() {
  const sitrep::stix::Exporter exporter{"sample", "sitrep sample"};
  std::vector<Json> objects = sitrep::stix::ReferenceObjects(exporter);
  auto add = [&](std::vector<Json> more) {
    for (Json& object : more) objects.push_back(std::move(object));
  };
  int64_t next_id = 1;
  // Every category, severity, status, TLP and sharing scope at least once, full and redacted
  // (each value of each enum in turn rather than all their combinations: the mapping treats
  // the fields one by one).
  for (int i = 0; i < 16; ++i) {
    v1::Incident incident = FullIncident(next_id++);
    incident.set_category(static_cast<v1::Category>(i % (v1::Category_MAX + 1)));
    incident.set_severity(static_cast<v1::Severity>(i % (v1::Severity_MAX + 1)));
    incident.set_status(static_cast<v1::IncidentStatus>(i % (v1::IncidentStatus_MAX + 1)));
    incident.set_tlp(static_cast<v1::Tlp>(i % (v1::Tlp_MAX + 1)));
    incident.set_sharing_scope(static_cast<v1::SharingScope>(i % (v1::SharingScope_MAX + 1)));
    if (i % 2 == 1) {
      // As the server hands a redacted record out: the victim's identity removed.
      incident.set_redacted(true);
      incident.set_reporter_id(0);
      incident.set_external_id("");
      incident.set_enterprise_id(0);
      incident.clear_affected_asset_keys();
      incident.clear_attributes();
    }
    add(sitrep::stix::ExportIncident(exporter, incident));
  }
  // A bare incident: only what a first report must carry.
  v1::Incident bare;
  bare.set_id(next_id++);
  bare.set_title("t");
  *bare.mutable_receive_time() = At(1'760'000'000);
  add(sitrep::stix::ExportIncident(exporter, bare));
  // An amendment: the same incident, a later revision.
  v1::Incident amended = FullIncident(1);
  amended.set_revision(2);
  amended.set_status(v1::INCIDENT_STATUS_RESOLVED);
  *amended.mutable_update_time() = At(1'760'100'000);
  add(sitrep::stix::ExportIncident(exporter, amended));
  for (int type = 0; type <= v1::AssetType_MAX; ++type) {
    for (int variant = 0; variant < 4; ++variant) {
      add(sitrep::stix::ExportAsset(exporter,
                                    FullAsset(next_id++, static_cast<v1::AssetType>(type))));
    }
  }
  v1::Asset bare_asset;
  bare_asset.set_id(next_id++);
  add(sitrep::stix::ExportAsset(exporter, bare_asset));

  v1::Notification notice;
  notice.set_id(3);
  notice.set_level(v1::NOTIFICATION_LEVEL_NATIONAL);
  notice.set_origin(v1::NOTIFICATION_ORIGIN_INCIDENT_RULE);
  notice.set_priority(v1::SEVERITY_I);
  notice.set_title("Patch Modicon controllers");
  notice.set_body("Apply the vendor fix.");
  notice.set_required_action("Report within 1 h");
  *notice.mutable_response_deadline() = At(1'760'003'600);
  notice.set_tlp(v1::TLP_AMBER_STRICT);
  notice.add_incident_ids(1);
  notice.add_asset_ids(next_id - 1);
  notice.add_cve_ids("CVE-2018-7841");
  *notice.mutable_create_time() = At(1'760'000'000);
  v1::NotificationTarget* target = notice.add_targets();
  target->set_id(44);
  target->set_province(440000);
  target->set_feedback("Patched 3 of 4 controllers.");
  target->set_outcome(v1::FEEDBACK_OUTCOME_MITIGATED);
  v1::TargetEvent* event = target->add_history();
  event->set_state(v1::TARGET_STATE_FEEDBACK_SUBMITTED);
  *event->mutable_time() = At(1'760'001'000);
  notice.add_targets()->set_province(310000);  // no feedback yet: no note
  add(sitrep::stix::ExportNotification(exporter, notice));
  v1::Notification empty_notice;
  empty_notice.set_id(4);
  empty_notice.set_title("General advice");
  *empty_notice.mutable_create_time() = At(1'760'000'000);
  add(sitrep::stix::ExportNotification(exporter, empty_notice));

  // Advisories: a CSAF advisory with CVEs at each TLP, one without CVEs, and stubs.
  for (const v1::Tlp tlp :
       {v1::TLP_CLEAR, v1::TLP_GREEN, v1::TLP_AMBER, v1::TLP_AMBER_STRICT, v1::TLP_RED}) {
    v1::Advisory advisory;
    advisory.set_tracking_id("ICSA-24-004-0" + std::to_string(static_cast<int>(tlp)));
    advisory.set_title("Mitsubishi Electric MELSEC iQ-R");
    advisory.add_vendors("Mitsubishi Electric");
    advisory.add_products("MELSEC iQ-R R00CPU");
    *advisory.mutable_published_time() = At(1'704'300'000);
    *advisory.mutable_current_release_time() = At(1'706'000'000);
    advisory.set_url("https://www.cisa.gov/news-events/ics-advisories/icsa-24-004-01");
    advisory.set_version("2");
    advisory.set_revision(2);
    advisory.set_publisher("CISA");
    advisory.set_tlp(tlp);
    advisory.add_cve_ids("CVE-2023-6815");
    advisory.add_cve_ids("CVE-2018-7841");
    advisory.set_known_exploited(true);
    advisory.set_max_cvss(9.8);
    add(sitrep::stix::ExportAdvisory(exporter, advisory));
  }
  v1::Advisory no_cves;
  no_cves.set_tracking_id("VDE-2024-001");
  no_cves.set_title("Phoenix Contact advisory without CVE ids");
  *no_cves.mutable_published_time() = At(1'704'300'000);
  add(sitrep::stix::ExportAdvisory(exporter, no_cves));
  v1::Advisory cve_stub;
  cve_stub.set_tracking_id("CVE-2024-21762");
  cve_stub.set_stub(true);
  add(sitrep::stix::ExportAdvisory(exporter, cve_stub));
  v1::Advisory index_stub;
  index_stub.set_tracking_id("ICSA-25-001-01");
  index_stub.set_title("Known from the index only");
  index_stub.set_stub(true);
  add(sitrep::stix::ExportAdvisory(exporter, index_stub));

  // One copy of each version: shared objects (a CVE) come with several records.
  std::map<std::pair<std::string, std::string>, bool> seen;
  Json unique = Json::array();
  for (Json& object : objects) {
    const std::string modified = object.value("modified", "");
    if (seen.emplace(std::make_pair(object["id"].get<std::string>(), modified), true).second) {
      unique.push_back(std::move(object));
    }
  }
  Json bundle = {
      {"type", "bundle"},
      {"id", "bundle--" +
                 sitrep::stix::Uuid5(
                     *sitrep::stix::ParseUuid("00abedb4-aa42-466c-9c01-fed23315a9b7"), "sample")},
      {"objects", std::move(unique)}};
  std::cout << bundle.dump(1) << "\n";
  return 0;
}
