#include "collector/csv_reader.h"

#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

namespace sitrep::collector {
namespace {

using Rows = std::vector<std::vector<std::string>>;

Rows ReadAll(const std::string& text, std::vector<std::string>* errors = nullptr) {
  std::istringstream in(text);
  CsvReader reader(in, 0, 0, 64);
  Rows rows;
  std::vector<std::string> fields;
  std::string error;
  for (;;) {
    const CsvReader::Result result = reader.Next(fields, error);
    if (result == CsvReader::Result::kEnd) break;
    if (result == CsvReader::Result::kError) {
      if (errors != nullptr) errors->push_back(std::to_string(reader.record_line()) + ": " + error);
      continue;
    }
    rows.push_back(fields);
  }
  return rows;
}

TEST(CsvReaderTest, ReadsQuotedFieldsWithCommasQuotesAndLineBreaks) {
  const Rows rows = ReadAll(
      "a,b,c\r\n"
      "1,\"x, y\",\"say \"\"hi\"\"\"\r\n"
      "2,\"two\r\nlines\",\r\n"
      "3,,\"\"\n");
  EXPECT_EQ(
      rows,
      (Rows{
          {"a", "b", "c"}, {"1", "x, y", "say \"hi\""}, {"2", "two\r\nlines", ""}, {"3", "", ""}}));
}

TEST(CsvReaderTest, NamesTheLineOfABrokenRecordAndGoesOn) {
  std::vector<std::string> errors;
  const Rows rows = ReadAll(
      "ok,1\n"
      "\"closed\"junk,2\n" +
          std::string(100, 'z') +
          "\n"
          "fine,3\n"
          "\"never closed,4\n",
      &errors);
  EXPECT_EQ(rows, (Rows{{"ok", "1"}, {"fine", "3"}}));
  EXPECT_EQ(errors, (std::vector<std::string>{"2: text after the closing quote of field 1",
                                              "3: record longer than 64 bytes",
                                              "5: unterminated quoted field"}));
}

TEST(CsvReaderTest, ResumesAtAnOffsetWithLineNumbers) {
  const std::string text = "h1,h2\nr1,\"multi\nline\"\nr2,x\n";
  std::istringstream first(text);
  CsvReader reader(first);
  std::vector<std::string> fields;
  std::string error;
  ASSERT_EQ(reader.Next(fields, error), CsvReader::Result::kRecord);
  ASSERT_EQ(reader.Next(fields, error), CsvReader::Result::kRecord);
  EXPECT_EQ(reader.line(), 3u);
  const uint64_t offset = reader.offset();

  std::istringstream second(text);
  second.seekg(static_cast<std::streamoff>(offset));
  CsvReader resumed(second, offset, reader.line());
  ASSERT_EQ(resumed.Next(fields, error), CsvReader::Result::kRecord);
  EXPECT_EQ(fields, (std::vector<std::string>{"r2", "x"}));
  EXPECT_EQ(resumed.record_line(), 4u);
  EXPECT_EQ(resumed.offset(), text.size());
}

}  // namespace
}  // namespace sitrep::collector
