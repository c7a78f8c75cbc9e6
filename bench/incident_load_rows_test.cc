#include "bench/incident_load_rows.h"

#include <google/protobuf/util/message_differencer.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>

#include "collector/demo_vocabulary.h"
#include "collector/provinces.h"
#include "domain/time_convert.h"

namespace sitrep::bench {
namespace {

using std::chrono::hours;
using std::chrono::system_clock;

LoadRowSpec Spec(uint64_t total) {
  LoadRowSpec spec;
  spec.seed = 7;
  spec.total = total;
  spec.now = system_clock::time_point(std::chrono::seconds(1'764'000'000));
  return spec;
}

bool IsSeededSector(const std::string& sector) {
  return std::any_of(collector::demo::kFacilities.begin(), collector::demo::kFacilities.end(),
                     [&](const auto& facility) { return facility.sector == sector; });
}

TEST(MakeLoadRowTest, EveryRowHoldsValuesTheServerAccepts) {
  const LoadRowSpec spec = Spec(2000);
  std::set<std::string> external_ids;
  for (uint64_t index = 0; index < spec.total; ++index) {
    const LoadRow row = MakeLoadRow(spec, index);
    const v1::Incident& incident = row.incident;
    EXPECT_EQ(incident.external_id(), "load-" + std::to_string(index));
    external_ids.insert(incident.external_id());
    EXPECT_TRUE(collector::IsProvinceCode(incident.province())) << incident.province();
    EXPECT_TRUE(IsSeededSector(incident.sector())) << incident.sector();
    EXPECT_NE(incident.category(), v1::CATEGORY_UNSPECIFIED);
    EXPECT_GE(incident.severity(), v1::SEVERITY_I);
    EXPECT_LE(incident.severity(), v1::SEVERITY_IV);
    EXPECT_NE(incident.tlp(), v1::TLP_UNSPECIFIED);
    EXPECT_NE(incident.sharing_scope(), v1::SHARING_SCOPE_UNSPECIFIED);
    // RED and AMBER+STRICT never go wider than the province (SPEC §3).
    if (incident.tlp() == v1::TLP_RED || incident.tlp() == v1::TLP_AMBER_STRICT) {
      EXPECT_EQ(incident.sharing_scope(), v1::SHARING_SCOPE_PROVINCE);
    }
    EXPECT_FALSE(incident.title().empty());
    EXPECT_LE(FromTimestamp(incident.occur_time()), FromTimestamp(incident.detect_time()));
    EXPECT_LE(FromTimestamp(incident.detect_time()), row.received);
    EXPECT_GE(row.received, spec.now - spec.spread);
    EXPECT_LE(row.received, spec.now);
    for (const std::string& cve : incident.cve_ids()) EXPECT_TRUE(cve.starts_with("CVE-"));
  }
  EXPECT_EQ(external_ids.size(), spec.total);
}

TEST(MakeLoadRowTest, ReceiveTimesRunWithTheFeedOverTheWholeSpread) {
  const LoadRowSpec spec = Spec(1000);
  system_clock::time_point previous = spec.now - spec.spread;
  for (uint64_t index = 0; index < spec.total; ++index) {
    const system_clock::time_point received = MakeLoadRow(spec, index).received;
    EXPECT_GE(received, previous);
    previous = received;
  }
  EXPECT_LT(MakeLoadRow(spec, 0).received, spec.now - spec.spread + hours(2));
  EXPECT_GT(MakeLoadRow(spec, spec.total - 1).received, spec.now - hours(2));
}

TEST(MakeLoadRowTest, SeveritiesAndProvincesAreSkewedAsInService) {
  const LoadRowSpec spec = Spec(20'000);
  std::map<v1::Severity, uint64_t> severities;
  std::map<uint32_t, uint64_t> provinces;
  uint64_t bytes = 0;
  for (uint64_t index = 0; index < spec.total; ++index) {
    const LoadRow row = MakeLoadRow(spec, index);
    ++severities[row.incident.severity()];
    ++provinces[row.incident.province()];
    bytes += row.incident.ByteSizeLong();
  }
  const auto share = [&](uint64_t count) {
    return static_cast<double>(count) / static_cast<double>(spec.total);
  };
  // The demo generator's weights: IV 55 %, III 30 %, II 12 %, I 3 %.
  EXPECT_NEAR(share(severities[v1::SEVERITY_IV]), 0.55, 0.02);
  EXPECT_NEAR(share(severities[v1::SEVERITY_III]), 0.30, 0.02);
  EXPECT_NEAR(share(severities[v1::SEVERITY_II]), 0.12, 0.015);
  EXPECT_NEAR(share(severities[v1::SEVERITY_I]), 0.03, 0.01);
  // Every province appears; Guangdong (12 %) far more often than Xizang (0.2 %).
  EXPECT_EQ(provinces.size(), collector::kProvinceCodes.size());
  EXPECT_NEAR(share(provinces[440000]), 0.12, 0.015);
  EXPECT_LT(share(provinces[540000]), 0.01);
  // Realistic sizes, as the ingest benchmark's records.
  EXPECT_GT(bytes / spec.total, 400u);
  EXPECT_LT(bytes / spec.total, 1200u);
}

TEST(MakeLoadRowTest, ARowIsTheSameWhicheverChunkMakesIt) {
  const LoadRowSpec spec = Spec(500);
  BinaryCopyEncoder whole, halves;
  AppendLoadRows(whole, spec, 0, 300, 42);
  AppendLoadRows(halves, spec, 0, 120, 42);
  AppendLoadRows(halves, spec, 120, 180, 42);
  EXPECT_EQ(whole.bytes(), halves.bytes());
  // Serialized maps (attributes) have no fixed order, so the messages are compared parsed.
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(MakeLoadRow(spec, 77).incident,
                                                                 MakeLoadRow(spec, 77).incident));
}

TEST(MakeLoadRowTest, AnotherSeedGivesOtherRows) {
  LoadRowSpec other = Spec(100);
  other.seed = 8;
  EXPECT_NE(
      MakeLoadRow(Spec(100), 5).incident.title() + MakeLoadRow(Spec(100), 5).incident.description(),
      MakeLoadRow(other, 5).incident.title() + MakeLoadRow(other, 5).incident.description());
}

}  // namespace
}  // namespace sitrep::bench
