#include "logging/log.h"

#include <gtest/gtest.h>

#include "logging/json_string.h"

namespace sitrep {
namespace {

TEST(LogTest, FormatsOneJsonObjectPerLine) {
  EXPECT_EQ(FormatLogLine("2026-01-01T00:00:00.000Z", LogLevel::kWarn, "db.down",
                          {{"url", "postgresql:///x"}, {"attempt", "3"}}),
            "{\"time\":\"2026-01-01T00:00:00.000Z\",\"level\":\"warn\",\"event\":\"db.down\","
            "\"url\":\"postgresql:///x\",\"attempt\":\"3\"}\n");
}

TEST(LogTest, EscapesQuotesAndControlCharacters) {
  const std::string line = FormatLogLine("t", LogLevel::kInfo, "e", {{"msg", "say \"hi\"\n\x01"}});
  EXPECT_NE(line.find("say \\\"hi\\\"\\n\\u0001"), std::string::npos) << line;
  EXPECT_EQ(line.find('\n'), line.size() - 1);
}

TEST(JsonStringTest, EscapesQuotesBackslashesAndControlBytes) {
  EXPECT_EQ(JsonString(""), "\"\"");
  EXPECT_EQ(JsonString("say \"hi\"\\"), R"("say \"hi\"\\")");
  EXPECT_EQ(JsonString(std::string("a\x01\n\r\t\x1f", 6)), R"("a\u0001\n\r\t\u001f")");
  EXPECT_EQ(JsonString("工控"), "\"工控\"");
}

TEST(LogTest, ParsesLevels) {
  EXPECT_EQ(ParseLogLevel("debug"), LogLevel::kDebug);
  EXPECT_EQ(ParseLogLevel("error"), LogLevel::kError);
  EXPECT_FALSE(ParseLogLevel("loud").has_value());
}

}  // namespace
}  // namespace sitrep
