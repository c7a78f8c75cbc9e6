#include "bench/incident_copy_row.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace sitrep::bench {
namespace {

using std::chrono::microseconds;
using std::chrono::system_clock;

constexpr int64_t kOccurred = 1'704'164'645'678'901;
constexpr int64_t kReceived = 1'704'200'000'000'000;

v1::Incident SampleIncident() {
  v1::Incident incident;
  incident.set_external_id("demo-7-i1");
  incident.set_province(440000);
  incident.set_sector("energy");
  incident.set_category(v1::CATEGORY_NETWORK_ATTACK);
  incident.set_subcategory("scanning");
  incident.set_severity(v1::SEVERITY_III);
  incident.set_tlp(v1::TLP_AMBER_STRICT);
  // The ingest writer's defaults (ingest/record_writer.cc) are set by whoever makes the row.
  incident.set_sharing_scope(v1::SHARING_SCOPE_PROVINCE);
  incident.set_status(v1::INCIDENT_STATUS_REPORTED);
  incident.mutable_occur_time()->set_seconds(kOccurred / 1'000'000);
  incident.mutable_occur_time()->set_nanos(kOccurred % 1'000'000 * 1000);
  incident.set_title("扫描 / scanning");
  incident.set_description("d");
  v1::Indicator& indicator = *incident.add_indicators();
  indicator.set_type(v1::INDICATOR_TYPE_IPV4);
  indicator.set_value("192.0.2.1");
  incident.add_attack_technique_ids("T0846");
  (*incident.mutable_attributes())["source"] = "probe";
  return incident;
}

// The row, encoded value by value as storage/incident_store.cc stores a first report.
TEST(AppendIncidentRowTest, EncodesTheColumnsTheServerWrites) {
  BinaryCopyEncoder actual;
  AppendIncidentRow(actual, SampleIncident(), 42, "-copy",
                    system_clock::time_point(microseconds(kReceived)));

  const std::vector<std::string> none;
  const std::vector<std::string> techniques = {"T0846"};
  BinaryCopyEncoder expected;
  expected.BeginRow(23)
      .Int4(440000)
      .Int8(42)
      .Text("demo-7-i1-copy")
      .Null()  // enterprise_id 0: not a registered enterprise
      .Text("energy")
      .Text("NETWORK_ATTACK")
      .Text("scanning")
      .Int2(3)
      .Text("AMBER_STRICT")
      .Text("PROVINCE")  // unset sharing scope
      .Text("REPORTED")  // unset status
      .Timestamptz(microseconds(kOccurred))
      .Null()  // no detect_time
      .Text("扫描 / scanning")
      .Text("d")
      .Jsonb(R"([{"type":"IPV4","value":"192.0.2.1"}])")
      .TextArray(none)
      .TextArray(techniques)
      .TextArray(none)
      .Jsonb(R"({"source":"probe"})")
      .Timestamptz(microseconds(kReceived))
      .Timestamptz(microseconds(kReceived))
      .Int8(42);  // amended_by: the reporter
  EXPECT_EQ(actual.bytes(), expected.bytes());
}

TEST(IncidentCopyColumnsTest, NamesOneColumnPerValue) {
  const std::string columns = IncidentCopyColumns();
  EXPECT_EQ(std::count(columns.begin(), columns.end(), ',') + 1, 23);
}

}  // namespace
}  // namespace sitrep::bench
