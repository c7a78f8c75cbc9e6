#include "cli/text_charts.h"

#include <gtest/gtest.h>

#include "cli/table.h"

namespace sitrep::cli {
namespace {

TEST(BarTest, TheLargestValueFillsTheWidth) {
  EXPECT_EQ(Bar(40, 40, 4), "████");
  EXPECT_EQ(Bar(20, 40, 4), "██");
  EXPECT_EQ(DisplayWidth(Bar(1'000'000'000, 1'000'000'000, 30)), 30u);
}

TEST(BarTest, PartsOfAColumnAreEighths) {
  EXPECT_EQ(Bar(1, 8, 1), "▏");
  EXPECT_EQ(Bar(4, 8, 1), "▌");
  EXPECT_EQ(Bar(7, 8, 1), "▉");
  EXPECT_EQ(Bar(12, 16, 2), "█▌");  // 1.5 columns
  EXPECT_EQ(Bar(5, 8, 2), "█▎");    // 1.25 columns
}

TEST(BarTest, AnyValueAboveZeroShows) {
  EXPECT_EQ(Bar(1, 10'000'000, 30), "▏");
  EXPECT_EQ(Bar(0, 100, 30), "");
  EXPECT_EQ(Bar(-3, 100, 30), "");
}

TEST(BarTest, NothingToScaleByGivesNoBar) {
  EXPECT_EQ(Bar(5, 0, 30), "");
  EXPECT_EQ(Bar(5, 10, 0), "");
  EXPECT_EQ(Bar(50, 10, 3), "███");  // beyond the maximum: cut to the width
}

TEST(TrendTest, ArrowAndPercentOfTheChange) {
  EXPECT_EQ(Trend(123, 100), "↑ +23%");
  EXPECT_EQ(Trend(75, 100), "↓ -25%");
  EXPECT_EQ(Trend(0, 100), "↓ -100%");
  EXPECT_EQ(Trend(300, 100), "↑ +200%");
}

TEST(TrendTest, SmallChangesHaveADecimal) {
  EXPECT_EQ(Trend(1045, 1000), "↑ +4.5%");
  EXPECT_EQ(Trend(992, 1000), "↓ -0.8%");
  EXPECT_EQ(Trend(10996, 10000), "↑ +10%");  // 9.96 % rounds to 10, not to "10.0"
}

TEST(TrendTest, LevelWithinHalfAPercent) {
  EXPECT_EQ(Trend(100, 100), "→ 0%");
  EXPECT_EQ(Trend(1004, 1000), "→ 0%");
  EXPECT_EQ(Trend(996, 1000), "→ 0%");
  EXPECT_EQ(TrendDirection(1004, 1000), 0);
  EXPECT_EQ(TrendDirection(1005, 1000), 1);
  EXPECT_EQ(TrendDirection(995, 1000), -1);
}

TEST(TrendTest, NothingBefore) {
  EXPECT_EQ(Trend(5, 0), "↑ new");
  EXPECT_EQ(TrendDirection(5, 0), 1);
  EXPECT_EQ(Trend(0, 0), "→ 0%");
  EXPECT_EQ(TrendDirection(0, 0), 0);
}

TEST(SparklineTest, ScaledToTheLargestValue) {
  EXPECT_EQ(Sparkline({1, 2, 3, 4, 5, 6, 7, 8}), "▁▂▃▄▅▆▇█");
  EXPECT_EQ(Sparkline({10, 5, 1}), "█▄▁");
  EXPECT_EQ(Sparkline({7, 7}), "██");
}

TEST(SparklineTest, ZeroIsAGapAndTheSmallestCountStillShows) {
  EXPECT_EQ(Sparkline({0, 1, 0, 1000}), " ▁ █");
  EXPECT_EQ(Sparkline({0, 0}), "  ");
  EXPECT_EQ(Sparkline({}), "");
  EXPECT_EQ(DisplayWidth(Sparkline({3, 0, 9, 1, 4})), 5u);
}

TEST(SparklineTest, AGivenMaximumPutsPartsOnOneScale) {
  EXPECT_EQ(Sparkline({4, 8}, 16), "▂▄");
  EXPECT_EQ(Sparkline({20}, 16), "█");  // above the maximum: full
}

TEST(GroupedCountTest, CommasBetweenThousands) {
  EXPECT_EQ(GroupedCount(0), "0");
  EXPECT_EQ(GroupedCount(999), "999");
  EXPECT_EQ(GroupedCount(1000), "1,000");
  EXPECT_EQ(GroupedCount(10'000'000), "10,000,000");
  EXPECT_EQ(GroupedCount(-1234), "-1,234");
  EXPECT_EQ(GroupedCount(INT64_MIN), "-9,223,372,036,854,775,808");
}

TEST(ShortDurationTest, TwoUnitsAtMost) {
  EXPECT_EQ(ShortDuration(45), "45s");
  EXPECT_EQ(ShortDuration(720), "12m");
  EXPECT_EQ(ShortDuration(750), "12m 30s");
  EXPECT_EQ(ShortDuration(4800), "1h 20m");
  EXPECT_EQ(ShortDuration(7200), "2h");
  EXPECT_EQ(ShortDuration(3 * 86400 + 4 * 3600 + 59), "3d 4h");
  EXPECT_EQ(ShortDuration(0.2), "<1s");
  EXPECT_EQ(ShortDuration(0), "-");
  EXPECT_EQ(ShortDuration(-5), "-");
}

}  // namespace
}  // namespace sitrep::cli
