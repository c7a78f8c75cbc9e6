#include "bench/latency_percentiles.h"

#include <gtest/gtest.h>

namespace sitrep::bench {
namespace {

using std::chrono::milliseconds;
using std::chrono::nanoseconds;

std::vector<nanoseconds> OneToHundredMs() {
  std::vector<nanoseconds> samples;
  for (int i = 100; i >= 1; --i) samples.push_back(milliseconds(i));
  return samples;
}

TEST(PercentileTest, IsTheNearestRankSample) {
  std::vector<nanoseconds> sorted;
  for (int i = 1; i <= 100; ++i) sorted.push_back(milliseconds(i));
  EXPECT_EQ(Percentile(sorted, 0.50), milliseconds(50));
  EXPECT_EQ(Percentile(sorted, 0.99), milliseconds(99));
  EXPECT_EQ(Percentile(sorted, 0.07), milliseconds(7));  // 0.07 × 100 is 7.000000000000001
  EXPECT_EQ(Percentile(sorted, 0.991), milliseconds(100));
  EXPECT_EQ(Percentile(sorted, 1.0), milliseconds(100));
  EXPECT_EQ(Percentile(sorted, 0.0), milliseconds(1));
}

TEST(PercentileTest, OfOneSampleIsThatSample) {
  EXPECT_EQ(Percentile({milliseconds(3)}, 0.5), milliseconds(3));
  EXPECT_EQ(Percentile({milliseconds(3)}, 0.99), milliseconds(3));
}

TEST(PercentileTest, OfNoSamplesIsUnknown) { EXPECT_EQ(Percentile({}, 0.5), std::nullopt); }

TEST(SummarizeTest, SortsAndReportsTheUsualPercentiles) {
  const LatencySummary summary = Summarize(OneToHundredMs());
  EXPECT_EQ(summary.count, 100u);
  EXPECT_EQ(summary.p50, milliseconds(50));
  EXPECT_EQ(summary.p90, milliseconds(90));
  EXPECT_EQ(summary.p99, milliseconds(99));
  EXPECT_EQ(summary.max, milliseconds(100));
}

TEST(SummarizeTest, OfNoSamplesIsAllZero) {
  const LatencySummary summary = Summarize({});
  EXPECT_EQ(summary.count, 0u);
  EXPECT_EQ(summary.p99, nanoseconds(0));
}

TEST(MillisecondsTest, KeepsFractions) {
  EXPECT_DOUBLE_EQ(Milliseconds(nanoseconds(1'500'000)), 1.5);
}

}  // namespace
}  // namespace sitrep::bench
