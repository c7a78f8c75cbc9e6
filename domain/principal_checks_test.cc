#include "domain/principal_checks.h"

#include <gtest/gtest.h>

namespace sitrep {
namespace {

ReferenceCodes Codes() {
  ReferenceCodes codes;
  codes.provinces[440000].set_name_en("Guangdong");
  return codes;
}

v1::Principal MakePrincipal(v1::Role role, uint32_t province, int64_t enterprise_id) {
  v1::Principal principal;
  principal.set_name("someone");
  principal.set_role(role);
  principal.set_province(province);
  principal.set_enterprise_id(enterprise_id);
  return principal;
}

TEST(PrincipalChecksTest, AcceptsEachRoleWithItsBinding) {
  EXPECT_TRUE(CheckNewPrincipal(MakePrincipal(v1::ROLE_ADMIN, 0, 0), Codes()).empty());
  EXPECT_TRUE(CheckNewPrincipal(MakePrincipal(v1::ROLE_NATIONAL, 0, 0), Codes()).empty());
  EXPECT_TRUE(CheckNewPrincipal(MakePrincipal(v1::ROLE_PROVINCIAL, 440000, 0), Codes()).empty());
  EXPECT_TRUE(CheckNewPrincipal(MakePrincipal(v1::ROLE_COLLECTOR, 440000, 0), Codes()).empty());
  EXPECT_TRUE(CheckNewPrincipal(MakePrincipal(v1::ROLE_COLLECTOR, 0, 0), Codes()).empty());
  EXPECT_TRUE(CheckNewPrincipal(MakePrincipal(v1::ROLE_ENTERPRISE, 0, 7), Codes()).empty());
}

TEST(PrincipalChecksTest, RejectsWrongBindings) {
  struct Row {
    v1::Principal principal;
    std::string field, reason;
  };
  const Row rows[] = {
      {MakePrincipal(v1::ROLE_UNSPECIFIED, 0, 0), "principal.role", "INVALID_ENUM"},
      {MakePrincipal(v1::ROLE_PROVINCIAL, 0, 0), "principal.province", "REQUIRED"},
      {MakePrincipal(v1::ROLE_PROVINCIAL, 123456, 0), "principal.province", "UNKNOWN_PROVINCE"},
      {MakePrincipal(v1::ROLE_NATIONAL, 440000, 0), "principal.province", "NOT_ALLOWED"},
      {MakePrincipal(v1::ROLE_ENTERPRISE, 0, 0), "principal.enterprise_id", "REQUIRED"},
      {MakePrincipal(v1::ROLE_COLLECTOR, 440000, 9), "principal.enterprise_id", "NOT_ALLOWED"},
  };
  for (const Row& row : rows) {
    const FieldViolations violations = CheckNewPrincipal(row.principal, Codes());
    ASSERT_EQ(violations.size(), 1u) << row.field;
    EXPECT_EQ(violations[0].field, row.field);
    EXPECT_EQ(violations[0].reason, row.reason);
  }
}

}  // namespace
}  // namespace sitrep
