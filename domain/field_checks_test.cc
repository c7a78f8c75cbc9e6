#include "domain/field_checks.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <cstdlib>

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

TEST(CheckTimestampTest, AcceptsTheYears1To9999AndNothingElse) {
  struct Row {
    int64_t seconds;
    int32_t nanos;
    std::string reason;  // empty: accepted
  };
  const Row rows[] = {
      {kMinTimestampSeconds, 0, ""},            // 0001-01-01T00:00:00Z
      {kMaxTimestampSeconds, 999'999'999, ""},  // 9999-12-31T23:59:59.999999999Z
      {0, 0, ""},
      {1'750'000'000, -1, "INVALID_TIMESTAMP"},
      {1'750'000'000, 1'000'000'000, "INVALID_TIMESTAMP"},
      {kMinTimestampSeconds - 1, 0, "OUT_OF_RANGE"},
      {kMaxTimestampSeconds + 1, 0, "OUT_OF_RANGE"},  // year 10000
      {int64_t{1} << 62, 0, "OUT_OF_RANGE"},
      {-(int64_t{1} << 62), 0, "OUT_OF_RANGE"},
      {INT64_MAX, 0, "OUT_OF_RANGE"},
      {INT64_MIN, 0, "OUT_OF_RANGE"},
  };
  for (const Row& row : rows) {
    google::protobuf::Timestamp time;
    time.set_seconds(row.seconds);
    time.set_nanos(row.nanos);
    FieldViolations violations;
    EXPECT_EQ(CheckTimestamp(time, "range.start_time", violations), row.reason.empty())
        << row.seconds;
    if (row.reason.empty()) {
      EXPECT_TRUE(violations.empty());
      // Microseconds of any accepted time fit in int64 (storage's arithmetic).
      EXPECT_LT(std::abs(row.seconds), INT64_MAX / 1'000'000);
    } else {
      ASSERT_EQ(violations.size(), 1u);
      EXPECT_EQ(violations[0].field, "range.start_time");
      EXPECT_EQ(violations[0].reason, row.reason);
    }
  }
}

TEST(CheckIdTest, IdsArePositiveAndZeroOnlyWhereItMeansNone) {
  FieldViolations violations;
  EXPECT_TRUE(CheckId(1, "id", violations));
  EXPECT_TRUE(CheckId(INT64_MAX, "id", violations));
  EXPECT_TRUE(CheckId(0, "filter.enterprise_id", violations, /*zero_means_none=*/true));
  EXPECT_FALSE(CheckId(0, "id", violations));
  EXPECT_FALSE(CheckId(-1, "incident_ids[2]", violations, /*zero_means_none=*/true));
  EXPECT_FALSE(CheckId(INT64_MIN, "id", violations));
  ASSERT_EQ(violations.size(), 3u);
  EXPECT_EQ(violations[1].field, "incident_ids[2]");
  for (const FieldViolation& violation : violations) EXPECT_EQ(violation.reason, "OUT_OF_RANGE");
}

}  // namespace
}  // namespace sitrep
