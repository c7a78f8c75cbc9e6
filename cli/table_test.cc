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

TEST(TruncateToWidthTest, KeepsWhatFitsAndMarksTheCut) {
  EXPECT_EQ(TruncateToWidth("energy", 6), "energy");
  EXPECT_EQ(TruncateToWidth("energy", 5), "ener…");
  EXPECT_EQ(TruncateToWidth("energy", 1), "…");
  EXPECT_EQ(TruncateToWidth("energy", 0), "");
}

TEST(TruncateToWidthTest, NeverSplitsAWideCharacterOrAUtf8Sequence) {
  EXPECT_EQ(TruncateToWidth("广东电网", 8), "广东电网");
  EXPECT_EQ(TruncateToWidth("广东电网", 7), "广东电…");
  EXPECT_EQ(TruncateToWidth("广东电网", 6), "广东…");  // 电 would need columns 5 and 6
  EXPECT_EQ(DisplayWidth(TruncateToWidth("广东电网", 6)), 5u);
}

TEST(TableTest, ColoursWrapTheCellNotItsPaddingAndOnlyWhenAsked) {
  Table table({"SEV", "TITLE"});
  table.AddRow({"I", "a"}, {"1;31", ""});
  table.AddRow({"IV", "b"}, {"34", ""});
  EXPECT_EQ(table.Render(),
            "SEV  TITLE\n"
            "I    a\n"
            "IV   b\n");
  TableStyle colour;
  colour.colour = true;
  EXPECT_EQ(table.Render(colour),
            "SEV  TITLE\n"
            "\x1b[1;31mI\x1b[0m    a\n"
            "\x1b[34mIV\x1b[0m   b\n");
}

TEST(TableTest, TheFitColumnIsCutSoLinesFitTheWidth) {
  Table table({"ID", "TITLE", "TLP"});
  table.AddRow({"1", "a rather long title about a DCS workstation", "amber"});
  TableStyle style;
  style.max_line_width = 40;
  style.fit_column = 1;
  EXPECT_EQ(table.Render(style),
            "ID  TITLE                          TLP\n"
            "1   a rather long title about a …  amber\n");
  EXPECT_EQ(table.ColumnWidths(style), (std::vector<std::size_t>{2, 29, 5}));
}

TEST(TableTest, TheFitColumnKeepsAMinimumWidth) {
  Table table({"ID", "TITLE"});
  table.AddRow({std::string(30, 'x'), std::string(30, 'y')});
  TableStyle style;
  style.max_line_width = 20;
  style.fit_column = 1;
  EXPECT_EQ(table.ColumnWidths(style), (std::vector<std::size_t>{30, kMinFitWidth}));
}

TEST(TableTest, MinWidthsAndNoHeaderLineUpALaterBatch) {
  Table first({"ID", "NAME"});
  first.AddRow({"1", "Guangdong"});
  const std::vector<std::size_t> widths = first.ColumnWidths({});
  Table later({"ID", "NAME"});
  later.AddRow({"12", "Hainan", "x"});
  TableStyle style;
  style.header = false;
  style.min_widths = widths;
  EXPECT_EQ(first.Render() + later.Render(style),
            "ID  NAME\n"
            "1   Guangdong\n"
            "12  Hainan     x\n");
}

}  // namespace
}  // namespace sitrep::cli
