#include "stix/stix_export.h"

#include <gtest/gtest.h>

namespace sitrep::stix {
namespace {

google::protobuf::Timestamp At(int64_t seconds) {
  google::protobuf::Timestamp time;
  time.set_seconds(seconds);
  return time;
}

v1::Incident Sample() {
  v1::Incident incident;
  incident.set_id(42);
  incident.set_revision(1);
  incident.set_title("PLC logic changed");
  incident.set_reporter_id(7);
  incident.set_external_id("ext-1");
  incident.set_enterprise_id(12);
  incident.add_affected_asset_keys("plc-1");
  (*incident.mutable_attributes())["site"] = "Substation 9";
  incident.set_tlp(v1::TLP_GREEN);
  incident.set_severity(v1::SEVERITY_I);
  incident.set_category(v1::CATEGORY_MALWARE);
  incident.set_status(v1::INCIDENT_STATUS_FALSE_POSITIVE);
  *incident.mutable_receive_time() = At(1'760'000'000);
  *incident.mutable_update_time() = At(1'760'000'000);
  v1::Indicator* indicator = incident.add_indicators();
  indicator->set_type(v1::INDICATOR_TYPE_URL);
  indicator->set_value("http://x/'a'\\b");
  incident.add_attack_technique_ids("T0831");
  return incident;
}

const Json* Find(const std::vector<Json>& objects, std::string_view type) {
  for (const Json& object : objects) {
    if (object["type"] == type) return &object;
  }
  return nullptr;
}

TEST(StixExportTest, Uuid5MatchesRfc4122Vector) {
  // Python: uuid.uuid5(uuid.NAMESPACE_DNS, "python.org").
  const auto dns = ParseUuid("6ba7b810-9dad-11d1-80b4-00c04fd430c8");
  ASSERT_TRUE(dns);
  EXPECT_EQ(Uuid5(*dns, "python.org"), "886313e1-3b8a-5372-9b90-0c9aee199e5d");
  EXPECT_FALSE(ParseUuid("not-a-uuid"));
}

TEST(StixExportTest, ObservableIdsFollowStixContributingProperties) {
  v1::Incident incident = Sample();
  incident.mutable_indicators(0)->set_type(v1::INDICATOR_TYPE_IPV4);
  incident.mutable_indicators(0)->set_value("198.51.100.3");
  const std::vector<Json> objects = ExportIncident(Exporter{}, incident);
  const Json* address = Find(objects, "ipv4-addr");
  ASSERT_NE(address, nullptr);
  // Python: uuid.uuid5(UUID("00abedb4-aa42-466c-9c01-fed23315a9b7"), '{"value":"198.51.100.3"}').
  EXPECT_EQ((*address)["id"], "ipv4-addr--28bb3599-77cd-5a82-a950-b5bc3caf07c4");
}

TEST(StixExportTest, ReExportIsIdenticalAndAmendmentIsANewVersionOfTheSameObject) {
  const Exporter exporter{"national", "sitrep"};
  const v1::Incident first = Sample();
  EXPECT_EQ(Json(ExportIncident(exporter, first)).dump(),
            Json(ExportIncident(exporter, first)).dump());
  v1::Incident amended = first;
  amended.set_revision(2);
  *amended.mutable_update_time() = At(1'760'000'500);
  const Json before = ExportIncident(exporter, first).front();
  const Json after = ExportIncident(exporter, amended).front();
  EXPECT_EQ(before["id"], after["id"]);
  EXPECT_EQ(before["created"], after["created"]);
  EXPECT_EQ(before["modified"], "2025-10-09T08:53:20.000Z");
  EXPECT_EQ(after["modified"], "2025-10-09T09:01:40.000Z");
  // Another deployment mints other ids for its own records.
  EXPECT_NE(ExportIncident(Exporter{"other", "x"}, first).front()["id"], before["id"]);
}

TEST(StixExportTest, IncidentCarriesIncidentCoreAndMarking) {
  const Json incident = ExportIncident(Exporter{}, Sample()).front();
  const Json& core = incident["extensions"][std::string(kIncidentCoreExtension)];
  EXPECT_EQ(core["determination"], "false-positive");
  EXPECT_EQ(core["investigation_status"], "closed");
  EXPECT_EQ(core["criticality"], 100);
  EXPECT_EQ(core["incident_types"], Json::array({"malware"}));
  EXPECT_EQ(incident["object_marking_refs"],
            Json::array({"marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb"}));
}

TEST(StixExportTest, TlpMarkingsAreThePublishedTlp2Ids) {
  const std::pair<v1::Tlp, const char*> cases[] = {
      {v1::TLP_CLEAR, "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487"},
      {v1::TLP_GREEN, "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb"},
      {v1::TLP_AMBER, "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421"},
      {v1::TLP_AMBER_STRICT, "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003"},
      {v1::TLP_RED, "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1"},
      {v1::TLP_UNSPECIFIED, "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421"}};
  for (const auto& [tlp, id] : cases) EXPECT_EQ(TlpMarkingId(tlp), id) << tlp;
}

TEST(StixExportTest, PatternEscapesQuotesAndBackslashes) {
  const Json* indicator = nullptr;
  const std::vector<Json> objects = ExportIncident(Exporter{}, Sample());
  indicator = Find(objects, "indicator");
  ASSERT_NE(indicator, nullptr);
  EXPECT_EQ((*indicator)["pattern"], "[url:value = 'http://x/\\'a\\'\\\\b']");
}

TEST(StixExportTest, TechniquesReferenceMitreAttackPatternIds) {
  EXPECT_EQ(AttackPatternId("T0831"), "attack-pattern--1af9e3fd-2bcc-414d-adbd-fe3b95c02ca1");
  EXPECT_FALSE(AttackPatternId("T9999"));
}

// SPEC §3: whatever a redacted record still carries, no field naming the victim is written.
TEST(StixExportTest, RedactedIncidentCarriesNoVictimIdentity) {
  v1::Incident incident = Sample();
  incident.set_redacted(true);
  for (const Json& object : ExportIncident(Exporter{}, incident)) {
    for (const char* field :
         {"x_sitrep_reporter_id", "x_sitrep_external_id", "x_sitrep_enterprise_id",
          "x_sitrep_affected_asset_keys", "x_sitrep_attributes"}) {
      EXPECT_FALSE(object.contains(field)) << object["id"] << " " << field;
    }
    EXPECT_EQ(object.dump().find("Substation"), std::string::npos);
  }
}

// An advisory is a report under its own TLP referring to one vulnerability per CVE; a new CSAF
// version is a new version of the same report; a CVE-only stub is that CVE's vulnerability.
TEST(StixExportTest, AdvisoryIsAReportReferringToAVulnerabilityPerCve) {
  const Exporter exporter;
  v1::Advisory advisory;
  advisory.set_tracking_id("ICSA-24-004-01");
  advisory.set_title("Rockwell");
  advisory.set_tlp(v1::TLP_AMBER);
  advisory.add_cve_ids("CVE-2023-6815");
  advisory.add_cve_ids("CVE-2018-7841");
  advisory.mutable_published_time()->set_seconds(1'704'300'000);
  advisory.mutable_current_release_time()->set_seconds(1'704'300'000);
  const std::vector<Json> objects = ExportAdvisory(exporter, advisory);
  ASSERT_EQ(objects.size(), 3u);
  const Json& report = objects[0];
  EXPECT_EQ(report["type"], "report");
  EXPECT_EQ(report["id"], AdvisoryReportId(exporter, "ICSA-24-004-01"));
  EXPECT_EQ(report["object_marking_refs"], Json::array({TlpMarkingId(v1::TLP_AMBER)}));
  EXPECT_EQ(report["object_refs"], Json::array({VulnerabilityId(exporter, "CVE-2023-6815"),
                                                VulnerabilityId(exporter, "CVE-2018-7841")}));
  EXPECT_EQ(report["created"], report["modified"]);
  EXPECT_EQ(ExportAdvisory(exporter, advisory), objects) << "a re-export is identical";

  advisory.mutable_current_release_time()->set_seconds(1'704'400'000);
  const Json next = ExportAdvisory(exporter, advisory).front();
  EXPECT_EQ(next["id"], report["id"]);
  EXPECT_EQ(next["created"], report["created"]);
  EXPECT_GT(next["modified"].get<std::string>(), report["modified"].get<std::string>());

  v1::Advisory stub;
  stub.set_tracking_id("CVE-2024-21762");
  stub.set_stub(true);
  const std::vector<Json> alone = ExportAdvisory(exporter, stub);
  ASSERT_EQ(alone.size(), 1u);
  EXPECT_EQ(alone[0]["id"], VulnerabilityId(exporter, "CVE-2024-21762"));
}

}  // namespace
}  // namespace sitrep::stix
