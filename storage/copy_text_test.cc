#include "storage/copy_text.h"

#include <gtest/gtest.h>

#include <string>

namespace sitrep::storage {
namespace {

TEST(CopyRowTest, SeparatesFieldsWithTabsAndWritesNullAndNumbers) {
  std::string out = "earlier\n";
  CopyRow row(out);
  row.Int(-42).Null().Bool(true).IdOrNull(0).IdOrNull(7).Text("");
  EXPECT_EQ(out, "earlier\n-42\t\\N\tt\t\\N\t7\t");
}

TEST(CopyRowTest, EscapesExactlyWhatCopyTextFormatNeeds) {
  std::string out;
  CopyRow(out).Text("a\\b\tc\nd\re").Text("plain 中文 text");
  EXPECT_EQ(out, "a\\\\b\\tc\\nd\\re\tplain 中文 text");
}

TEST(CopyRowTest, EscapesASpecialByteAtEitherEnd) {
  std::string out;
  CopyRow(out).Text("\tmiddle\\");
  EXPECT_EQ(out, "\\tmiddle\\\\");
}

TEST(ArrayLiteralTest, QuotesEveryElementAndEscapesQuotesAndBackslashes) {
  google::protobuf::RepeatedPtrField<std::string> values;
  EXPECT_EQ(ArrayLiteral(values), "{}");
  *values.Add() = "CVE-2024-1";
  *values.Add() = "NULL";
  *values.Add() = "a\"b\\c,{}";
  EXPECT_EQ(ArrayLiteral(values), R"({"CVE-2024-1","NULL","a\"b\\c,{}"})");
}

TEST(RefusedFieldTest, NamesTheRecordFieldOfTheColumnACopyErrorNames) {
  EXPECT_EQ(RefusedField("ERROR:  invalid input syntax for type inet: \"x\"\n"
                         "CONTEXT:  COPY asset_staging, line 3, column ip: \"x\"\n"),
            "ip");
  EXPECT_EQ(RefusedField("ERROR:  bad\nCONTEXT:  COPY incident_staging, line 1, column "
                         "occurred_micros: \"x\"\n"),
            "occur_time");
  EXPECT_EQ(RefusedField("ERROR:  bad\nCONTEXT:  COPY asset_staging, line 1, column ord: \"x\""),
            "");
  // Bytes that are not UTF-8 are refused for the whole line.
  EXPECT_EQ(RefusedField("ERROR:  invalid byte sequence for encoding \"UTF8\": 0x00\n"
                         "CONTEXT:  COPY incident_staging, line 21\n"),
            "");
  EXPECT_EQ(RefusedField("ERROR:  value too long, column x"), "");
}

TEST(JsonObjectTextTest, WritesEveryPair) {
  google::protobuf::Map<std::string, std::string> values;
  EXPECT_EQ(JsonObjectText(values), "{}");
  values["k\"ey"] = "v\\al";
  EXPECT_EQ(JsonObjectText(values), R"({"k\"ey":"v\\al"})");
  values["b"] = "2";
  values["a"] = "1";
  EXPECT_EQ(JsonObjectText(values), R"({"a":"1","b":"2","k\"ey":"v\\al"})");
}

}  // namespace
}  // namespace sitrep::storage
