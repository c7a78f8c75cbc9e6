#include "feeds/filter_checks.h"

#include <gtest/gtest.h>

namespace sitrep::feeds {
namespace {

ReferenceCodes Codes() {
  ReferenceCodes codes;
  codes.provinces[440000] = {};
  codes.provinces[110000] = {};
  codes.sectors["energy"] = {};
  return codes;
}

std::vector<std::string> Fields(const FieldViolations& violations) {
  std::vector<std::string> fields;
  for (const FieldViolation& violation : violations) fields.push_back(violation.field);
  return fields;
}

TEST(CheckIncidentFilterTest, AcceptsAnEmptyAndAFullFilter) {
  EXPECT_TRUE(CheckIncidentFilter({}, Codes()).empty());
  v1::IncidentFilter filter;
  filter.add_provinces(440000);
  filter.add_sectors("energy");
  filter.set_min_severity(v1::SEVERITY_II);
  filter.add_categories(v1::CATEGORY_MALWARE);
  filter.add_statuses(v1::INCIDENT_STATUS_HANDLING);
  filter.set_cve_id("CVE-2024-12345");
  filter.set_indicator_value("203.0.113.7");
  filter.set_title_contains("DCS' OR 1=1 --");  // just text to search for
  EXPECT_TRUE(CheckIncidentFilter(filter, Codes()).empty());
}

TEST(CheckIncidentFilterTest, NamesEachWrongField) {
  v1::IncidentFilter filter;
  filter.add_provinces(999999);
  filter.add_sectors("energy'; DROP TABLE incidents; --");
  filter.add_categories(v1::CATEGORY_UNSPECIFIED);
  filter.add_statuses(static_cast<v1::IncidentStatus>(42));
  filter.set_cve_id("cve-1");
  filter.set_title_contains(std::string(201, 'x'));
  filter.mutable_receive_time()->mutable_start_time()->set_seconds(100);
  filter.mutable_receive_time()->mutable_end_time()->set_seconds(50);
  filter.set_enterprise_id(-1);
  EXPECT_EQ(
      Fields(CheckIncidentFilter(filter, Codes())),
      (std::vector<std::string>{"filter.provinces[0]", "filter.sectors[0]", "filter.categories[0]",
                                "filter.statuses[0]", "filter.receive_time.end_time",
                                "filter.enterprise_id", "filter.cve_id", "filter.title_contains"}));
}

TEST(CheckIncidentFilterTest, RefusesBadUtf8InTextFilters) {
  v1::IncidentFilter filter;
  filter.set_indicator_value("\xff\xfe");
  EXPECT_EQ(Fields(CheckIncidentFilter(filter, Codes())),
            std::vector<std::string>{"filter.indicator_value"});
}

TEST(CheckAssetFilterTest, NamesEachWrongField) {
  v1::AssetFilter filter;
  filter.add_provinces(1);
  filter.set_vendor(std::string(201, 'v'));
  filter.set_cve_id("CVE-2024-1");
  EXPECT_EQ(Fields(CheckAssetFilter(filter, Codes())),
            (std::vector<std::string>{"filter.provinces[0]", "filter.vendor", "filter.cve_id"}));
}

}  // namespace
}  // namespace sitrep::feeds
