#include "collector/utf8_text.h"

#include <gtest/gtest.h>

namespace sitrep::collector {
namespace {

TEST(Utf8TextTest, FindsTheFirstMalformedByte) {
  EXPECT_EQ(FirstInvalidUtf8("广东 ok"), std::nullopt);
  EXPECT_EQ(FirstInvalidUtf8("ab\xFF"), 2u);
  EXPECT_EQ(FirstInvalidUtf8("a\xC0\xAF"), 1u);     // overlong
  EXPECT_EQ(FirstInvalidUtf8("\xED\xA0\x80"), 0u);  // surrogate
  EXPECT_EQ(FirstInvalidUtf8("x\xE5\xB9"), 1u);     // truncated
}

TEST(Utf8TextTest, CleanLineFoldsWhitespaceDropsControlsAndCaps) {
  EXPECT_EQ(CleanLine("  Rockwell   Automation \r\n", 200), "Rockwell Automation");
  EXPECT_EQ(CleanLine("a\tb\x01"
                      "c\x7F"
                      "d",
                      200),
            "a bcd");
  EXPECT_EQ(CleanLine("bad\xFFpart", 200), "bad\xEF\xBF\xBDpart");
  EXPECT_EQ(CleanLine("西门子股份公司", 3), "西门子");
  EXPECT_EQ(CleanLine("abc def", 4), "abc");  // never ends in the space it would cut after
  EXPECT_EQ(CleanLine("\xC2\x85next-line", 200), "next-line");  // U+0085 is a control
}

TEST(Utf8TextTest, CleanParagraphsKeepsLineBreaks) {
  EXPECT_EQ(CleanParagraphs("first line  \r\n\r\n second\tline \n", 100),
            "first line\nsecond\tline");
}

}  // namespace
}  // namespace sitrep::collector
