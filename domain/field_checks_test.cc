#include "domain/field_checks.h"

#include <gtest/gtest.h>

#include "sitrep/v1/records.pb.h"

namespace sitrep {
namespace {

TEST(Utf8Test, AcceptsAsciiAndChinese) {
  EXPECT_TRUE(IsValidUtf8("plain"));
  EXPECT_TRUE(IsValidUtf8("广东省 工业互联网"));
  EXPECT_TRUE(IsValidUtf8("\xF0\x9F\x94\x92"));  // U+1F512, four bytes
  EXPECT_EQ(Utf8Length("广东省"), 3u);
}

TEST(Utf8Test, RejectsMalformedSequences) {
  EXPECT_FALSE(IsValidUtf8("\xC3"));              // truncated
  EXPECT_FALSE(IsValidUtf8("\xC0\xAF"));          // overlong '/'
  EXPECT_FALSE(IsValidUtf8("\xED\xA0\x80"));      // UTF-16 surrogate
  EXPECT_FALSE(IsValidUtf8("\xF4\x90\x80\x80"));  // above U+10FFFF
  EXPECT_FALSE(IsValidUtf8("\xFF"));
}

TEST(CheckTextTest, NamesTheFieldAndReason) {
  struct Row {
    std::string text;
    size_t min, max;
    bool multiline;
    std::string reason;  // empty: accepted
  };
  const Row rows[] = {
      {"ok", 1, 10, false, ""},
      {"", 1, 10, false, "REQUIRED"},
      {"", 0, 10, false, ""},
      {"elevenchars", 1, 10, false, "TOO_LONG"},
      {"两个", 1, 2, false, ""},
      {"bad\xC3", 1, 10, false, "INVALID_UTF8"},
      {"line\nbreak", 1, 20, false, "CONTROL_CHARACTER"},
      {"line\nbreak", 1, 20, true, ""},
      {std::string("nul\0byte", 8), 1, 20, true, "CONTROL_CHARACTER"},
  };
  for (const Row& row : rows) {
    FieldViolations violations;
    const bool ok = CheckText(row.text, "x.title", row.min, row.max, violations, row.multiline);
    EXPECT_EQ(ok, row.reason.empty()) << row.text;
    if (row.reason.empty()) {
      EXPECT_TRUE(violations.empty());
    } else {
      ASSERT_EQ(violations.size(), 1u) << row.text;
      EXPECT_EQ(violations[0].field, "x.title");
      EXPECT_EQ(violations[0].reason, row.reason) << row.text;
    }
  }
}

TEST(CheckIdentifierTest, AllowsOnlyTheIdentifierAlphabet) {
  FieldViolations violations;
  EXPECT_TRUE(CheckIdentifier("gd-collector_01.a:b", "name", 100, violations));
  EXPECT_FALSE(CheckIdentifier("robert'); DROP TABLE principals;--", "name", 100, violations));
  EXPECT_FALSE(CheckIdentifier("", "name", 100, violations));
  EXPECT_FALSE(CheckIdentifier(std::string(101, 'a'), "name", 100, violations));
  ASSERT_EQ(violations.size(), 3u);
  EXPECT_EQ(violations[0].reason, "INVALID_CHARACTER");
  EXPECT_EQ(violations[1].reason, "REQUIRED");
  EXPECT_EQ(violations[2].reason, "TOO_LONG");
}

TEST(FirstUnstorableTextTest, NamesTheFirstStringWithANulOrBytesThatAreNotUtf8) {
  v1::Incident incident;
  incident.set_title("fine 中文 \t\x01 controls are storable");
  incident.add_cve_ids("CVE-2021-44228");
  incident.add_indicators()->set_value("203.0.113.7");
  incident.add_indicators()->set_value("ok");
  EXPECT_EQ(FirstUnstorableText(incident), "");
  incident.mutable_indicators(1)->set_value(std::string("a\0b", 3));
  EXPECT_EQ(FirstUnstorableText(incident), "indicators[1].value");
  incident.mutable_indicators(1)->set_value("ok");
  incident.add_cve_ids("CVE-\xc0\xaf");
  EXPECT_EQ(FirstUnstorableText(incident), "cve_ids[1]");
  (*incident.mutable_attributes())["k"] = "\xed\xa0\x80";
  incident.set_description(std::string("\0", 1));
  EXPECT_EQ(FirstUnstorableText(incident), "description");

  v1::Asset asset;
  (*asset.mutable_attributes())["site"] = std::string("\0", 1);
  EXPECT_EQ(FirstUnstorableText(asset), "attributes");
}

}  // namespace
}  // namespace sitrep
