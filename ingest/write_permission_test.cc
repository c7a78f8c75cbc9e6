#include "ingest/write_permission.h"

#include <gtest/gtest.h>

namespace sitrep::ingest {
namespace {

Principal Bound(v1::Role role, uint32_t province, int64_t enterprise_id = 0) {
  Principal principal;
  principal.id = 7;
  principal.role = role;
  principal.province = province;
  principal.enterprise_id = enterprise_id;
  return principal;
}

Principal Collector(uint32_t province) { return Bound(v1::ROLE_COLLECTOR, province); }
// Authentication gives an enterprise principal its enterprise's province.
Principal Enterprise(int64_t enterprise_id) {
  return Bound(v1::ROLE_ENTERPRISE, 440000, enterprise_id);
}

TEST(CheckMayWriteTest, ProvincialCollectorWritesItsOwnProvinceOnly) {
  EXPECT_FALSE(CheckMayWrite(Collector(440000), 440000, 0, "").has_value());
  const auto denied = CheckMayWrite(Collector(440000), 110000, 0, "incidents[3]");
  ASSERT_TRUE(denied.has_value());
  EXPECT_EQ(denied->field, "incidents[3].province");
  EXPECT_EQ(denied->reason, "PERMISSION_DENIED");
}

TEST(CheckMayWriteTest, NationalCollectorWritesEveryProvince) {
  EXPECT_FALSE(CheckMayWrite(Collector(0), 110000, 0, "").has_value());
  EXPECT_FALSE(CheckMayWrite(Collector(0), 650000, 12, "").has_value());
}

TEST(CheckMayWriteTest, EnterpriseWritesAboutItselfOnly) {
  EXPECT_FALSE(CheckMayWrite(Enterprise(5), 440000, 5, "").has_value());
  EXPECT_FALSE(CheckMayWrite(Enterprise(5), 440000, 0, "").has_value());  // filled in as its own
  const auto denied = CheckMayWrite(Enterprise(5), 440000, 6, "incident");
  ASSERT_TRUE(denied.has_value());
  EXPECT_EQ(denied->field, "incident.enterprise_id");
}

TEST(CheckMayWriteTest, EnterpriseWritesInItsOwnProvinceOnly) {
  const auto denied = CheckMayWrite(Enterprise(5), 110000, 5, "incident");
  ASSERT_TRUE(denied.has_value());
  EXPECT_EQ(denied->field, "incident.province");
  EXPECT_EQ(denied->reason, "PERMISSION_DENIED");
}

TEST(CheckMayWriteTest, RegulatorsDoNotWriteRecords) {
  EXPECT_TRUE(CheckMayWrite(Bound(v1::ROLE_PROVINCIAL, 440000), 440000, 0, "").has_value());
}

TEST(CheckEnterpriseInProvinceTest, NamedEnterpriseMustBeRegisteredInTheRecordsProvince) {
  EXPECT_FALSE(CheckEnterpriseInProvince(440000, 0, std::nullopt, "").has_value());
  EXPECT_FALSE(CheckEnterpriseInProvince(440000, 5, 440000, "").has_value());
  EXPECT_EQ(CheckEnterpriseInProvince(440000, 5, std::nullopt, "")->reason, "ENTERPRISE_NOT_FOUND");
  const auto elsewhere = CheckEnterpriseInProvince(440000, 5, 110000, "incident");
  ASSERT_TRUE(elsewhere.has_value());
  EXPECT_EQ(elsewhere->field, "incident.province");
  EXPECT_EQ(elsewhere->reason, "ENTERPRISE_NOT_IN_PROVINCE");
}

// One row per amending role and rule: the code and the field named (none when allowed).
TEST(CheckMayAmendTest, LooseningIsTheReportersOrNationalsAndTheResultMustBeWritable) {
  v1::Incident current;
  current.set_province(440000);
  current.set_enterprise_id(5);
  current.set_reporter_id(7);  // Collector(440000) below has id 7
  current.set_tlp(v1::TLP_AMBER);
  current.set_sharing_scope(v1::SHARING_SCOPE_ALL_REGULATORS);
  Principal victim = Enterprise(5);
  victim.id = 8;
  Principal national = Bound(v1::ROLE_NATIONAL, 0);
  national.id = 9;
  struct Row {
    const char* what;
    Principal caller;
    void (*change)(v1::Incident&);
    std::optional<uint32_t> registered_province;
    std::optional<ErrorCode> code;
    std::string field;
  };
  const auto loosen_tlp = +[](v1::Incident& i) { i.set_tlp(v1::TLP_CLEAR); };
  const auto loosen_scope = +[](v1::Incident& i) { i.set_sharing_scope(v1::SHARING_SCOPE_PUBLIC); };
  const auto unset_scope = +[](v1::Incident& i) {
    i.set_sharing_scope(v1::SHARING_SCOPE_UNSPECIFIED);  // stored as PROVINCE: a tightening
  };
  const auto tighten = +[](v1::Incident& i) {
    i.set_tlp(v1::TLP_RED);
    i.set_sharing_scope(v1::SHARING_SCOPE_PROVINCE);
  };
  const auto move = +[](v1::Incident& i) { i.set_enterprise_id(6); };
  const Row rows[] = {
      {"reporter loosens tlp", Collector(440000), loosen_tlp, 440000, std::nullopt, ""},
      {"victim loosens tlp", victim, loosen_tlp, 440000, ErrorCode::kPermissionDenied,
       "incident.tlp"},
      {"national loosens tlp", national, loosen_tlp, 440000, std::nullopt, ""},
      {"reporter widens scope", Collector(440000), loosen_scope, 440000, std::nullopt, ""},
      {"victim widens scope", victim, loosen_scope, 440000, ErrorCode::kPermissionDenied,
       "incident.sharing_scope"},
      {"victim unsets scope", victim, unset_scope, 440000, std::nullopt, ""},
      {"victim tightens", victim, tighten, 440000, std::nullopt, ""},
      {"reporter moves within the province", Collector(440000), move, 440000, std::nullopt, ""},
      {"reporter moves to another province's enterprise", Collector(440000), move, 110000,
       ErrorCode::kInvalidArgument, "incident.province"},
      {"national moves to another province's enterprise", national, move, 110000,
       ErrorCode::kInvalidArgument, "incident.province"},
      {"victim moves to another enterprise", victim, move, 440000, ErrorCode::kPermissionDenied,
       "incident.enterprise_id"},
  };
  for (const Row& row : rows) {
    SCOPED_TRACE(row.what);
    v1::Incident amended = current;
    row.change(amended);
    const std::optional<Error> refused =
        CheckMayAmend(row.caller, current, amended, row.registered_province);
    ASSERT_EQ(refused.has_value(), row.code.has_value());
    if (!refused) continue;
    EXPECT_EQ(refused->code, *row.code);
    ASSERT_EQ(refused->violations.size(), 1u);
    EXPECT_EQ(refused->violations[0].field, row.field);
  }
}

}  // namespace
}  // namespace sitrep::ingest
