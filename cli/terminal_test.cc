#include "cli/terminal.h"

#include <gtest/gtest.h>
#include <unistd.h>

namespace sitrep::cli {
namespace {

TEST(DescribeTerminalTest, APipeOrFileGetsNoColourAndNoWidth) {
  const Terminal pipe = DescribeTerminal(false, 0, nullptr, "xterm-256color", "120");
  EXPECT_FALSE(pipe.colour);
  EXPECT_EQ(pipe.width, 0u);
}

TEST(DescribeTerminalTest, ATerminalGetsColourAndItsWidth) {
  const Terminal terminal = DescribeTerminal(true, 132, nullptr, "xterm-256color", "80");
  EXPECT_TRUE(terminal.colour);
  EXPECT_EQ(terminal.width, 132u);
}

TEST(DescribeTerminalTest, NoColorAndDumbTerminalsGetNoColour) {
  EXPECT_FALSE(DescribeTerminal(true, 80, "1", "xterm", nullptr).colour);
  EXPECT_TRUE(DescribeTerminal(true, 80, "", "xterm", nullptr).colour);
  EXPECT_FALSE(DescribeTerminal(true, 80, nullptr, "dumb", nullptr).colour);
}

TEST(DescribeTerminalTest, WidthFallsBackToColumnsThenEighty) {
  EXPECT_EQ(DescribeTerminal(true, 0, nullptr, nullptr, "100").width, 100u);
  EXPECT_EQ(DescribeTerminal(true, 0, nullptr, nullptr, "wide").width, 80u);
  EXPECT_EQ(DescribeTerminal(true, 0, nullptr, nullptr, nullptr).width, 80u);
}

TEST(DetectTerminalTest, APipeIsNoTerminal) {
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  const Terminal pipe = DetectTerminal(fds[1]);
  ::close(fds[0]);
  ::close(fds[1]);
  EXPECT_FALSE(pipe.colour);
  EXPECT_EQ(pipe.width, 0u);
}

}  // namespace
}  // namespace sitrep::cli
