#include "collector/attack_importer.h"

#include <gtest/gtest.h>

#include <fstream>
#include <map>

#include "collector/reference_fixture.h"

namespace sitrep::collector {
namespace {

// The fixture: 3 campaigns of the bundle (FrostyGoop, 2022 Ukraine, and Oldsmar, which is
// deprecated) with what they use (tests/data/README.md).
std::filesystem::path FixtureBundle() {
  return test::TestDataDir() / "attack-ics/ics-attack-cut.json";
}
std::filesystem::path Bundle() {
  return test::SharedDir() / "datasets/attack-ics/ics-attack-18.1.json";
}

struct Expected {
  const char* id;
  v1::Severity severity;
  v1::Category category;
  const char* sector;
  int techniques;
};

// Every current campaign of `bundle` is one valid incident, mapped as `expected` says.
std::map<std::string, v1::Incident> ExpectIncidents(const std::filesystem::path& bundle,
                                                    const std::vector<Expected>& expected) {
  const ReferenceCodes codes = ReferenceCodesFromCsv();
  AttackSource source(bundle, std::nullopt);
  std::vector<std::string> errors;
  const std::vector<v1::Record> records = ReadAllRecords(source, errors);
  EXPECT_EQ(errors, std::vector<std::string>());
  std::map<std::string, v1::Incident> by_id;
  for (const v1::Record& record : records) {
    EXPECT_TRUE(record.has_incident());
    EXPECT_EQ(ViolationsOf(record, codes), std::vector<std::string>());
    by_id[record.incident().external_id()] = record.incident();
  }
  EXPECT_EQ(records.size(), expected.size());
  EXPECT_FALSE(by_id.contains("C0009"));  // Oldsmar is deprecated
  for (const Expected& want : expected) {
    EXPECT_TRUE(by_id.contains(want.id)) << want.id;
    const v1::Incident& incident = by_id[want.id];
    EXPECT_EQ(incident.severity(), want.severity) << want.id;
    EXPECT_EQ(incident.category(), want.category) << want.id;
    EXPECT_EQ(incident.sector(), want.sector) << want.id;
    EXPECT_EQ(incident.attack_technique_ids_size(), want.techniques) << want.id;
    EXPECT_EQ(incident.tlp(), v1::TLP_CLEAR);
    EXPECT_EQ(incident.sharing_scope(), v1::SHARING_SCOPE_PUBLIC);
  }
  return by_id;
}

TEST(AttackImporterTest, EveryCurrentCampaignOfTheFixtureBecomesOneValidIncident) {
  std::map<std::string, v1::Incident> by_id = ExpectIncidents(
      FixtureBundle(),
      {{"C0034", v1::SEVERITY_II, v1::CATEGORY_NETWORK_ATTACK, "energy", 5},  // 2022 Ukraine
       {"C0041", v1::SEVERITY_III, v1::CATEGORY_MALWARE, "energy", 4}});      // FrostyGoop
  EXPECT_EQ(by_id["C0041"].attributes().at("malware"), "FrostyGoop");
  EXPECT_EQ(by_id["C0034"].description().find("(Citation:"), std::string::npos);
}

TEST(AttackImporterFullDataTest, EveryCurrentCampaignBecomesOneValidIncident) {
  ASSERT_TRUE(test::SharedDataPresent(Bundle()));
  // 8 campaigns; Oldsmar (C0009) is deprecated.
  std::map<std::string, v1::Incident> by_id = ExpectIncidents(
      Bundle(),
      {
          {"C0028", v1::SEVERITY_I, v1::CATEGORY_MALWARE, "energy", 20},           // 2015 Ukraine
          {"C0025", v1::SEVERITY_II, v1::CATEGORY_MALWARE, "energy", 6},           // 2016 Ukraine
          {"C0034", v1::SEVERITY_II, v1::CATEGORY_NETWORK_ATTACK, "energy", 5},    // 2022 Ukraine
          {"C0030", v1::SEVERITY_III, v1::CATEGORY_MALWARE, "petrochemical", 10},  // Triton
          {"C0041", v1::SEVERITY_III, v1::CATEGORY_MALWARE, "energy", 4},  // FrostyGoop, heating
          {"C0020", v1::SEVERITY_III, v1::CATEGORY_NETWORK_ATTACK, "water", 12},  // Maroochy
          {"C0031", v1::SEVERITY_III, v1::CATEGORY_NETWORK_ATTACK, "water", 6},   // Unitronics
      });
  const v1::Incident& ukraine = by_id["C0028"];
  EXPECT_EQ(ukraine.title(), "2015 Ukraine Electric Power Attack");
  EXPECT_EQ(ukraine.occur_time().seconds(), 1448946000);   // 2015-12-01T05:00:00Z
  EXPECT_EQ(ukraine.detect_time().seconds(), 1451624400);  // 2016-01-01T05:00:00Z
  EXPECT_TRUE(ukraine.description().starts_with(
      "2015 Ukraine Electric Power Attack was a Sandworm Team campaign during which they used "
      "BlackEnergy (specifically BlackEnergy3) and KillDisk"))
      << ukraine.description();
  EXPECT_EQ(ukraine.attributes().at("malware"), "BlackEnergy, KillDisk");
  EXPECT_EQ(by_id["C0030"].description().find("(Citation:"), std::string::npos);
}

TEST(AttackImporterTest, ProvinceIsTheCollectorsOwnWhenGiven) {
  AttackSource source(FixtureBundle(), 110000u);
  std::vector<std::string> errors;
  const std::vector<v1::Record> records = ReadAllRecords(source, errors);
  EXPECT_EQ(records.size(), 2u);
  for (const v1::Record& record : records) {
    EXPECT_EQ(record.incident().province(), 110000u);
  }
}

TEST(AttackImporterTest, BrokenCampaignsAreSkippedWithAReason) {
  const nlohmann::json bundle = nlohmann::json::parse(R"({"type": "bundle", "objects": [
    {"type": "campaign", "id": "campaign--1", "name": "No id", "first_seen": "2020-01-01T00:00:00Z"},
    {"type": "campaign", "id": "campaign--2", "name": "No time",
     "external_references": [{"source_name": "mitre-attack", "external_id": "C0900"}]},
    {"type": "campaign", "id": "campaign--3", "name": 7, "first_seen": "2020-01-01T00:00:00Z",
     "last_seen": "2019-01-01T00:00:00Z",
     "external_references": [{"source_name": "mitre-attack", "external_id": "C0901"}]},
    {"type": "campaign", "revoked": true, "id": "campaign--4"},
    {"type": "relationship", "relationship_type": "uses", "source_ref": "campaign--3",
     "target_ref": "attack-pattern--x"},
    {"type": "attack-pattern", "id": "attack-pattern--x",
     "external_references": [{"source_name": "mitre-attack", "external_id": "T0801"}]},
    "junk", 12]})");
  ImportChunk chunk;
  AttackToIncidents(bundle, "b.json", std::nullopt, chunk);
  EXPECT_EQ(chunk.errors,
            (std::vector<std::string>{"b.json: campaign campaign--1: no mitre-attack external_id",
                                      "b.json: campaign C0900: no valid first_seen time"}));
  ASSERT_EQ(chunk.records.size(), 1u);
  const v1::Incident& incident = chunk.records[0].incident();
  EXPECT_EQ(incident.title(), "C0901");  // a name that is no string falls back to the id
  EXPECT_EQ(incident.detect_time().seconds(), incident.occur_time().seconds());
  EXPECT_EQ(incident.attack_technique_ids_size(), 1);

  ImportChunk not_a_bundle;
  AttackToIncidents(nlohmann::json::parse("[1]"), "b.json", std::nullopt, not_a_bundle);
  EXPECT_EQ(not_a_bundle.errors,
            std::vector<std::string>{"b.json: not a STIX bundle: no \"objects\" array"});
}

}  // namespace
}  // namespace sitrep::collector
