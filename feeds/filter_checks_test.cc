#include "feeds/filter_checks.h"

#include <gtest/gtest.h>

#include <limits>

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

TEST(CheckAdvisoryFilterTest, NamesEachWrongFieldOneRowAtATime) {
  struct Case {
    const char* name;
    void (*edit)(v1::AdvisoryFilter&);
    const char* field;  // "" when the filter is valid
  };
  const Case cases[] = {
      {"empty", [](v1::AdvisoryFilter&) {}, ""},
      {"CVSS 0", [](v1::AdvisoryFilter& f) { f.set_min_cvss(0); }, ""},
      {"CVSS 10", [](v1::AdvisoryFilter& f) { f.set_min_cvss(10); }, ""},
      {"CVSS above 10", [](v1::AdvisoryFilter& f) { f.set_min_cvss(10.01); }, "filter.min_cvss"},
      {"CVSS below 0", [](v1::AdvisoryFilter& f) { f.set_min_cvss(-0.1); }, "filter.min_cvss"},
      {"CVSS NaN",
       [](v1::AdvisoryFilter& f) { f.set_min_cvss(std::numeric_limits<double>::quiet_NaN()); },
       "filter.min_cvss"},
      {"CVSS infinite",
       [](v1::AdvisoryFilter& f) { f.set_min_cvss(std::numeric_limits<double>::infinity()); },
       "filter.min_cvss"},
      {"CVE", [](v1::AdvisoryFilter& f) { f.set_cve_id("CVE-2024-1"); }, "filter.cve_id"},
      {"vendor", [](v1::AdvisoryFilter& f) { f.set_vendor(std::string(201, 'v')); },
       "filter.vendor"},
      {"product bad UTF-8", [](v1::AdvisoryFilter& f) { f.set_product("\xff"); }, "filter.product"},
      {"text", [](v1::AdvisoryFilter& f) { f.set_text(std::string(201, 't')); }, "filter.text"},
      {"text of 200 characters", [](v1::AdvisoryFilter& f) { f.set_text(std::string(200, 't')); },
       ""},
      {"published range inverted",
       [](v1::AdvisoryFilter& f) {
         f.mutable_published_time()->mutable_start_time()->set_seconds(100);
         f.mutable_published_time()->mutable_end_time()->set_seconds(50);
       },
       "filter.published_time.end_time"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    v1::AdvisoryFilter filter;
    c.edit(filter);
    const std::vector<std::string> expected =
        *c.field ? std::vector<std::string>{c.field} : std::vector<std::string>{};
    EXPECT_EQ(Fields(CheckAdvisoryFilter(filter, Codes())), expected);
  }
}

}  // namespace
}  // namespace sitrep::feeds
