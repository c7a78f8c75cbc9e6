#include "domain/enterprise_checks.h"

#include <gtest/gtest.h>

namespace sitrep {
namespace {

ReferenceCodes Codes() {
  ReferenceCodes codes;
  codes.provinces[440000].set_name_en("Guangdong");
  codes.provinces[110000].set_name_en("Beijing");
  codes.sectors["energy"].set_name_en("Energy");
  return codes;
}

v1::Enterprise ValidEnterprise() {
  v1::Enterprise enterprise;
  enterprise.set_credit_code("91440300708461136T");
  enterprise.set_name("深圳某电力设备有限公司");
  enterprise.set_province(440000);
  enterprise.set_sector("energy");
  enterprise.set_type(v1::ENTERPRISE_TYPE_NETWORKED_INDUSTRIAL);
  enterprise.set_size(v1::ENTERPRISE_SIZE_LARGE);
  enterprise.set_grade(3);
  return enterprise;
}

TEST(EnterpriseChecksTest, AcceptsAValidEnterprise) {
  EXPECT_TRUE(CheckEnterprise(ValidEnterprise(), Codes()).empty());
}

TEST(EnterpriseChecksTest, NamesEachWrongField) {
  struct Row {
    void (*spoil)(v1::Enterprise&);
    std::string field, reason;
  };
  const Row rows[] = {
      {[](v1::Enterprise& e) { e.set_credit_code("91440300708461136X"); }, "enterprise.credit_code",
       "INVALID_CREDIT_CODE"},
      {[](v1::Enterprise& e) { e.set_name(""); }, "enterprise.name", "REQUIRED"},
      {[](v1::Enterprise& e) { e.set_name("\xFF"); }, "enterprise.name", "INVALID_UTF8"},
      {[](v1::Enterprise& e) { e.set_province(999999); }, "enterprise.province",
       "UNKNOWN_PROVINCE"},
      {[](v1::Enterprise& e) { e.set_sector("energy' OR 1=1 --"); }, "enterprise.sector",
       "UNKNOWN_SECTOR"},
      {[](v1::Enterprise& e) { e.set_type(v1::ENTERPRISE_TYPE_UNSPECIFIED); }, "enterprise.type",
       "INVALID_ENUM"},
      {[](v1::Enterprise& e) { e.set_size(static_cast<v1::EnterpriseSize>(42)); },
       "enterprise.size", "INVALID_ENUM"},
      {[](v1::Enterprise& e) { e.set_grade(4); }, "enterprise.grade", "OUT_OF_RANGE"},
  };
  for (const Row& row : rows) {
    v1::Enterprise enterprise = ValidEnterprise();
    row.spoil(enterprise);
    const FieldViolations violations = CheckEnterprise(enterprise, Codes());
    ASSERT_EQ(violations.size(), 1u) << row.field;
    EXPECT_EQ(violations[0].field, row.field);
    EXPECT_EQ(violations[0].reason, row.reason);
  }
}

}  // namespace
}  // namespace sitrep
