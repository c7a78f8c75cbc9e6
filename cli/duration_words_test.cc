#include "cli/duration_words.h"

#include <gtest/gtest.h>

namespace sitrep::cli {
namespace {

using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;

TEST(ParseDurationWordTest, ReadsEachUnit) {
  EXPECT_EQ(ParseDurationWord("30d"), hours(30 * 24));
  EXPECT_EQ(ParseDurationWord("12h"), hours(12));
  EXPECT_EQ(ParseDurationWord("90m"), minutes(90));
  EXPECT_EQ(ParseDurationWord("45s"), seconds(45));
}

TEST(ParseDurationWordTest, AddsCombinedParts) {
  EXPECT_EQ(ParseDurationWord("1h30m"), minutes(90));
  EXPECT_EQ(ParseDurationWord("1d12h"), hours(36));
}

TEST(ParseDurationWordTest, RejectsBadInput) {
  for (const char* bad : {"", "30", "d", "h30", "30x", "30D", "1.5h", "-5m", " 5m", "5m ", "0h",
                          "0d0m", "5mm", "99999999999999999999d", "40000d"}) {
    EXPECT_EQ(ParseDurationWord(bad), std::nullopt) << "'" << bad << "'";
  }
}

}  // namespace
}  // namespace sitrep::cli
