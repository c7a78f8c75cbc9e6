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

}  // namespace
}  // namespace sitrep::ingest
