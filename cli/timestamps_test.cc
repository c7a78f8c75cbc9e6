#include "cli/timestamps.h"

#include <gtest/gtest.h>

#include <CLI/CLI.hpp>

namespace sitrep::cli {
namespace {

using std::chrono::hours;

// 2026-11-25 08:00:00 UTC.
const std::chrono::system_clock::time_point kNow =
    std::chrono::system_clock::time_point(std::chrono::seconds(1795593600));

std::int64_t Seconds(const std::optional<google::protobuf::Timestamp>& time) {
  return time ? time->seconds() : -1;
}

TEST(ParseTimeWordTest, ADurationMeansThatLongAgo) {
  EXPECT_EQ(Seconds(ParseTimeWord("24h", kNow)), 1795593600 - 24 * 3600);
  EXPECT_EQ(Seconds(ParseTimeWord("7d", kNow)), 1795593600 - 7 * 24 * 3600);
  EXPECT_EQ(Seconds(ParseTimeWord("1h30m", kNow)), 1795593600 - 5400);
}

TEST(ParseTimeWordTest, ReadsRfc3339TimesWithTheirOffset) {
  EXPECT_EQ(Seconds(ParseTimeWord("2026-11-25T08:00:00Z", kNow)), 1795593600);
  EXPECT_EQ(Seconds(ParseTimeWord("2026-11-25T16:00:00+08:00", kNow)), 1795593600);
  EXPECT_EQ(ParseTimeWord("2026-11-25T08:00:00.5Z", kNow)->nanos(), 500'000'000);
}

TEST(ParseTimeWordTest, ReadsWhatFormatTimestampPrintsAndDatesAlone) {
  google::protobuf::Timestamp time;
  time.set_seconds(1795593600);
  EXPECT_EQ(Seconds(ParseTimeWord(FormatTimestamp(time), kNow)), 1795593600);
  EXPECT_EQ(Seconds(ParseTimeWord("2026-11-25", kNow)), 1795593600 - 8 * 3600);
}

TEST(ParseTimeWordTest, RejectsAnythingElse) {
  for (const char* bad : {"", "yesterday", "24", "2026-11-25T08:00:00", "2026-13-01",
                          "2026-11-25X08:00:00Z", "-5h", "now"}) {
    EXPECT_EQ(ParseTimeWord(bad, kNow), std::nullopt) << "'" << bad << "'";
  }
}

TEST(TimeWordValidatorTest, RejectsABadTimeWhileParsing) {
  CLI::App app;
  std::string since;
  app.add_option("--since", since)->check(TimeWordValidator());
  app.parse("--since 24h", false);
  EXPECT_EQ(since, "24h");
  try {
    app.parse("--since forever", false);
    FAIL() << "no error for a bad time";
  } catch (const CLI::ValidationError& e) {
    EXPECT_NE(std::string(e.what()).find("'forever' is neither a duration"), std::string::npos)
        << e.what();
  }
}

}  // namespace
}  // namespace sitrep::cli
