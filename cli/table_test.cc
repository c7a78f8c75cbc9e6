#include "cli/table.h"

#include <gtest/gtest.h>

namespace sitrep::cli {
namespace {

TEST(DisplayWidthTest, AsciiIsOneColumnPerCharacter) {
  EXPECT_EQ(DisplayWidth(""), 0u);
  EXPECT_EQ(DisplayWidth("energy"), 6u);
}

TEST(DisplayWidthTest, ChineseCharactersAreTwoColumns) {
  EXPECT_EQ(DisplayWidth("广东电网"), 8u);
  EXPECT_EQ(DisplayWidth("广东ABC有限公司"), 15u);
  EXPECT_EQ(DisplayWidth("（重点）"), 8u);  // fullwidth parentheses
  EXPECT_EQ(DisplayWidth("한국"), 4u);
}

TEST(DisplayWidthTest, CombiningMarksAddNoColumn) {
  EXPECT_EQ(DisplayWidth("e\xCC\x81"), 1u);  // e + U+0301
}

TEST(DisplayWidthTest, MalformedUtf8CountsOneColumnPerByte) {
  EXPECT_EQ(DisplayWidth("\xFF\xFE"), 2u);
  EXPECT_EQ(DisplayWidth("\xE5\xB9"), 2u);  // a truncated 3-byte sequence
}

TEST(TableTest, AlignsColumnsByDisplayWidth) {
  Table table({"ID", "NAME", "SECTOR"});
  table.AddRow({"1", "广东电网有限公司", "energy"});
  table.AddRow({"12", "Acme", "manufacturing"});
  EXPECT_EQ(table.Render(),
            "ID  NAME              SECTOR\n"
            "1   广东电网有限公司  energy\n"
            "12  Acme              manufacturing\n");
}

TEST(TableTest, WithoutHeadersPrintsOnlyRowsAndNoTrailingSpaces) {
  Table table({});
  table.AddRow({"ID", "7"});
  table.AddRow({"DESCRIPTION", ""});
  EXPECT_EQ(table.Render(),
            "ID           7\n"
            "DESCRIPTION\n");
}

TEST(TableTest, ControlCharactersInCellsBecomeSpaces) {
  Table table({"A", "B"});
  table.AddRow({"x\ny", "\x1b[31mred"});
  EXPECT_EQ(table.Render(),
            "A    B\n"
            "x y   [31mred\n");
}

TEST(TableTest, EmptyTableStillHasItsHeader) {
  Table table({"ID", "NAME"});
  EXPECT_EQ(table.Render(), "ID  NAME\n");
}

}  // namespace
}  // namespace sitrep::cli
