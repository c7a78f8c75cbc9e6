#include "escalation/rules.h"

#include <gtest/gtest.h>

#include <string>

namespace sitrep::escalation {
namespace {

using namespace std::chrono_literals;

const auto kNow = std::chrono::system_clock::time_point(std::chrono::seconds(1'750'000'000));

v1::Incident Incident(v1::Severity severity, int64_t enterprise_id = 0) {
  v1::Incident incident;
  incident.set_id(42);
  incident.set_external_id("ext-42");
  incident.set_province(440000);
  incident.set_sector("energy");
  incident.set_category(v1::CATEGORY_NETWORK_ATTACK);
  incident.set_severity(severity);
  incident.set_tlp(v1::TLP_GREEN);
  incident.set_title("PLC logic changed at a substation");
  incident.set_enterprise_id(enterprise_id);
  incident.add_cve_ids("CVE-2021-22681");
  return incident;
}

v1::Asset ExposedAsset(bool exposed = true) {
  v1::Asset asset;
  asset.set_asset_key("gd-plc-1");
  asset.set_province(440000);
  asset.set_ip("198.18.0.7");
  asset.set_protocol("Modbus/TCP");
  asset.set_vendor("Rockwell Automation");
  asset.set_product("Logix");
  asset.set_internet_exposed(exposed);
  asset.add_cve_ids("CVE-2021-22681");
  asset.add_cve_ids("CVE-2020-0001");
  return asset;
}

KevCatalog Kev() {
  std::string error;
  auto catalog = KevCatalog::Parse(
      R"({"catalogVersion":"t","vulnerabilities":[{"cveID":"CVE-2021-22681",
          "vulnerabilityName":"Logix Insufficiently Protected Credentials",
          "requiredAction":"Apply updates.","dueDate":"2022-01-01"}]})",
      error);
  EXPECT_TRUE(catalog) << error;
  return catalog.value_or(KevCatalog());
}

TEST(EscalatesTest, SeverityIIOrAboveOrAGradeThreeEnterprise) {
  EXPECT_TRUE(Escalates(v1::SEVERITY_I, 0));
  EXPECT_TRUE(Escalates(v1::SEVERITY_II, 0));
  EXPECT_FALSE(Escalates(v1::SEVERITY_III, 0));
  EXPECT_FALSE(Escalates(v1::SEVERITY_IV, 2));
  EXPECT_FALSE(Escalates(v1::SEVERITY_UNSPECIFIED, 1));
  EXPECT_TRUE(Escalates(v1::SEVERITY_IV, 3));
  EXPECT_TRUE(Escalates(v1::SEVERITY_III, 3));
}

TEST(DeadlineTest, DefaultsAreOneTwoTwentyFourAndSeventyTwoHours) {
  const EscalationRules rules;
  EXPECT_EQ(rules.DeadlineFor(v1::SEVERITY_I), 1h);
  EXPECT_EQ(rules.DeadlineFor(v1::SEVERITY_II), 2h);
  EXPECT_EQ(rules.DeadlineFor(v1::SEVERITY_III), 24h);
  EXPECT_EQ(rules.DeadlineFor(v1::SEVERITY_IV), 72h);
  EXPECT_EQ(rules.DeadlineFor(v1::SEVERITY_UNSPECIFIED), 72h);
}

TEST(IncidentNoticesTest, SeverityIIRaisesOneNoticeToItsProvinceWithTheConfiguredDeadline) {
  EscalationRules rules;
  rules.deadlines[1] = 90min;
  const auto notices = IncidentNotices(rules, 42, Incident(v1::SEVERITY_II), 0, kNow);
  ASSERT_EQ(notices.size(), 1u);
  const storage::EscalationNotice& notice = notices[0];
  EXPECT_EQ(notice.key, "incident:42:sev2");
  EXPECT_EQ(notice.origin, v1::NOTIFICATION_ORIGIN_INCIDENT_RULE);
  EXPECT_EQ(notice.priority, v1::SEVERITY_II);
  EXPECT_EQ(notice.province, 440000u);
  EXPECT_FALSE(notice.national);
  EXPECT_EQ(notice.deadline, kNow + 90min);
  EXPECT_EQ(notice.tlp, v1::TLP_GREEN);
  EXPECT_EQ(notice.incident_id, 42);
  EXPECT_EQ(notice.asset_id, 0);
  EXPECT_EQ(notice.cve_ids, std::vector<std::string>{"CVE-2021-22681"});
  EXPECT_NE(notice.title.find("PLC logic changed"), std::string::npos);
  EXPECT_NE(notice.body.find("NETWORK_ATTACK"), std::string::npos);
}

TEST(IncidentNoticesTest, SeverityIRaisesOneToItsProvinceAndOneToTheNationalCentre) {
  const auto notices = IncidentNotices({}, 7, Incident(v1::SEVERITY_I), 0, kNow);
  ASSERT_EQ(notices.size(), 2u);
  EXPECT_EQ(notices[0].key, "incident:7:sev1");
  EXPECT_FALSE(notices[0].national);
  EXPECT_EQ(notices[1].key, "incident:7:sev1:national");
  EXPECT_TRUE(notices[1].national);
  EXPECT_EQ(notices[1].province, 440000u);
  for (const auto& notice : notices) EXPECT_EQ(notice.deadline, kNow + 1h);
}

TEST(IncidentNoticesTest, LowerSeverityRaisesOnlyAtAGradeThreeEnterprise) {
  EXPECT_TRUE(IncidentNotices({}, 1, Incident(v1::SEVERITY_IV, 9), 2, kNow).empty());
  EXPECT_TRUE(IncidentNotices({}, 1, Incident(v1::SEVERITY_III), 0, kNow).empty());
  const auto notices = IncidentNotices({}, 1, Incident(v1::SEVERITY_IV, 9), 3, kNow);
  ASSERT_EQ(notices.size(), 1u);
  EXPECT_EQ(notices[0].key, "incident:1:sev4");
  EXPECT_EQ(notices[0].priority, v1::SEVERITY_IV);
  EXPECT_EQ(notices[0].deadline, kNow + 72h);
  EXPECT_NE(notices[0].body.find("grade 3"), std::string::npos);
}

TEST(IncidentNoticesTest, DisabledRulesOrADuplicateRaiseNothing) {
  EscalationRules off;
  off.enabled = false;
  EXPECT_TRUE(IncidentNotices(off, 1, Incident(v1::SEVERITY_I), 0, kNow).empty());
  EXPECT_TRUE(IncidentNotices({}, 0, Incident(v1::SEVERITY_I), 0, kNow).empty());
}

TEST(IncidentNoticesTest, AnUnsetTlpIsSentAsAmber) {
  v1::Incident incident = Incident(v1::SEVERITY_II);
  incident.set_tlp(v1::TLP_UNSPECIFIED);
  EXPECT_EQ(IncidentNotices({}, 1, incident, 0, kNow).at(0).tlp, v1::TLP_AMBER);
}

struct AmendmentCase {
  const char* name;
  v1::Severity before;
  uint32_t before_grade;
  v1::Severity after;
  uint32_t after_grade;
  std::vector<std::string> keys;
};

class AmendmentNoticesTest : public ::testing::TestWithParam<AmendmentCase> {};

TEST_P(AmendmentNoticesTest, RaisesOnlyForAnUpgradeOrAFirstEscalation) {
  const AmendmentCase& c = GetParam();
  std::vector<std::string> keys;
  for (const auto& notice : AmendmentNotices({}, 42, Incident(c.before), c.before_grade,
                                             Incident(c.after), c.after_grade, kNow)) {
    keys.push_back(notice.key);
  }
  EXPECT_EQ(keys, c.keys);
}

INSTANTIATE_TEST_SUITE_P(
    Cases, AmendmentNoticesTest,
    ::testing::Values(
        AmendmentCase{"SameSeverityII", v1::SEVERITY_II, 0, v1::SEVERITY_II, 0, {}},
        AmendmentCase{
            "UpgradeIIIToII", v1::SEVERITY_III, 0, v1::SEVERITY_II, 0, {"incident:42:sev2"}},
        AmendmentCase{"UpgradeIIToI",
                      v1::SEVERITY_II,
                      0,
                      v1::SEVERITY_I,
                      0,
                      {"incident:42:sev1", "incident:42:sev1:national"}},
        AmendmentCase{"DowngradeIToII", v1::SEVERITY_I, 0, v1::SEVERITY_II, 0, {}},
        AmendmentCase{"DowngradeAtGradeThree", v1::SEVERITY_II, 3, v1::SEVERITY_IV, 3, {}},
        AmendmentCase{"UpgradeIVToIIIBelowTheRule", v1::SEVERITY_IV, 0, v1::SEVERITY_III, 0, {}},
        AmendmentCase{
            "UpgradeAtGradeThree", v1::SEVERITY_IV, 3, v1::SEVERITY_III, 3, {"incident:42:sev3"}},
        AmendmentCase{"MovedToAGradeThreeEnterprise",
                      v1::SEVERITY_IV,
                      1,
                      v1::SEVERITY_IV,
                      3,
                      {"incident:42:sev4"}}),
    [](const ::testing::TestParamInfo<AmendmentCase>& info) { return info.param.name; });

TEST(AssetNoticesTest, AnExposedAssetRaisesOneNoticePerKnownExploitedCve) {
  const KevCatalog kev = Kev();
  const auto notices = AssetNotices({}, 5, ExposedAsset(), kev, kNow);
  ASSERT_EQ(notices.size(), 1u);
  const storage::EscalationNotice& notice = notices[0];
  EXPECT_EQ(notice.key, "asset:5:kev:CVE-2021-22681");
  EXPECT_EQ(notice.origin, v1::NOTIFICATION_ORIGIN_KEV_RULE);
  EXPECT_EQ(notice.priority, v1::SEVERITY_III);
  EXPECT_EQ(notice.deadline, kNow + 24h);
  EXPECT_EQ(notice.province, 440000u);
  EXPECT_EQ(notice.asset_id, 5);
  EXPECT_EQ(notice.incident_id, 0);
  EXPECT_EQ(notice.cve_ids, std::vector<std::string>{"CVE-2021-22681"});
  EXPECT_NE(notice.body.find("Logix Insufficiently Protected Credentials"), std::string::npos);
  EXPECT_NE(notice.required_action.find("Apply updates."), std::string::npos);
}

// Exposure is checked once, by the database against the stored asset (tests/escalation_pgtest.cc
// pushes an internal asset and sees nothing raised): the catalog alone picks the candidates.
TEST(AssetNoticesTest, AnInternalAssetIsLeftToTheDatabaseAnEmptyListRaisesNothing) {
  EXPECT_EQ(AssetNotices({}, 5, ExposedAsset(false), Kev(), kNow).size(),
            AssetNotices({}, 5, ExposedAsset(), Kev(), kNow).size());
  EXPECT_TRUE(AssetNotices({}, 5, ExposedAsset(), KevCatalog(), kNow).empty());
  EscalationRules off;
  off.enabled = false;
  EXPECT_TRUE(AssetNotices(off, 5, ExposedAsset(), Kev(), kNow).empty());
}

TEST(AssetNoticesTest, KevPriorityChoosesTheDeadline) {
  EscalationRules rules;
  rules.kev_priority = v1::SEVERITY_II;
  const auto notices = AssetNotices(rules, 5, ExposedAsset(), Kev(), kNow);
  ASSERT_EQ(notices.size(), 1u);
  EXPECT_EQ(notices[0].priority, v1::SEVERITY_II);
  EXPECT_EQ(notices[0].deadline, kNow + 2h);
}

}  // namespace
}  // namespace sitrep::escalation
