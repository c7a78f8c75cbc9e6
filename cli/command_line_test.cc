#include "cli/command_line.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <sstream>
#include <string>
#include <vector>

namespace sitrep::cli {
namespace {

struct Result {
  int exit_code;
  std::string out;
  std::string err;
};

Result RunWith(std::vector<const char*> args) {
  args.insert(args.begin(), "sitrep");
  std::ostringstream out;
  std::ostringstream err;
  const int exit_code = Run(static_cast<int>(args.size()), args.data(), out, err);
  return {exit_code, out.str(), err.str()};
}

int Lines(const std::string& text) {
  int lines = 0;
  for (const char c : text) lines += c == '\n';
  return lines;
}

class CommandLineTest : public testing::Test {
 protected:
  void SetUp() override {
    unsetenv("SITREP_SERVER");
    unsetenv("SITREP_TOKEN");
    unsetenv("SITREP_TOKEN_FILE");
  }
};

TEST_F(CommandLineTest, HelpExitsZero) {
  const Result result = RunWith({"--help"});
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_NE(result.out.find("enterprises"), std::string::npos) << result.out;
}

TEST_F(CommandLineTest, SubcommandHelpShowsItsFlags) {
  const Result result = RunWith({"enterprises", "create", "--help"});
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_NE(result.out.find("networked_industrial|platform|identifier_resolution"),
            std::string::npos)
      << result.out;
}

TEST_F(CommandLineTest, MissingCommandIsAUsageError) {
  const Result result = RunWith({});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_EQ(Lines(result.err), 1) << result.err;
}

TEST_F(CommandLineTest, UnknownEnumWordListsTheValidWords) {
  const Result result = RunWith({"principals", "create", "--name", "x", "--role", "root"});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_EQ(Lines(result.err), 1) << result.err;
  EXPECT_NE(result.err.find("--role"), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("admin, national, provincial, enterprise, collector"),
            std::string::npos)
      << result.err;
}

TEST_F(CommandLineTest, BadDurationIsAUsageError) {
  const Result result = RunWith({"tokens", "issue", "3", "--expires-in", "forever"});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_EQ(Lines(result.err), 1) << result.err;
  EXPECT_NE(result.err.find("--expires-in"), std::string::npos) << result.err;
}

TEST_F(CommandLineTest, GradeOutOfRangeIsAUsageError) {
  const Result result = RunWith({"enterprises", "update", "5", "--grade", "4"});
  EXPECT_EQ(result.exit_code, 2);
}

TEST_F(CommandLineTest, UpdateWithoutFieldsIsAUsageError) {
  setenv("SITREP_TOKEN", "secret", 1);
  const Result result = RunWith({"enterprises", "update", "5"});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_EQ(result.err,
            "sitrep: enterprises update: give at least one field to change, e.g. --name\n");
}

TEST_F(CommandLineTest, MissingTokenSaysHowToProvideOne) {
  const Result result = RunWith({"enterprises", "get", "1"});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_EQ(result.err,
            "sitrep: no API token; pass --token-file FILE, or set SITREP_TOKEN_FILE=FILE or "
            "SITREP_TOKEN=<token>\n");
}

TEST_F(CommandLineTest, UnreadableTokenFileIsNamed) {
  const Result result = RunWith({"--token-file", "/nonexistent/token", "enterprises", "get", "1"});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_EQ(result.err, "sitrep: cannot read token file /nonexistent/token\n");
}

TEST_F(CommandLineTest, UnreachableServerFailsWithOneLineNamingIt) {
  setenv("SITREP_TOKEN", "secret\n", 1);
  // Port 1 on loopback refuses connections at once: a real failure, no mock.
  const Result result =
      RunWith({"--server", "127.0.0.1:1", "--timeout", "10", "enterprises", "list", "--json"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(Lines(result.err), 1) << result.err;
  EXPECT_EQ(result.err.rfind("sitrep: UNAVAILABLE: could not reach the sitrep server at "
                             "127.0.0.1:1",
                             0),
            0u)
      << result.err;
  EXPECT_EQ(result.out, "");
}

TEST_F(CommandLineTest, ServerComesFromTheEnvironment) {
  setenv("SITREP_TOKEN", "secret", 1);
  setenv("SITREP_SERVER", "127.0.0.1:1", 1);
  const Result result = RunWith({"tokens", "list"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.err.find("127.0.0.1:1"), std::string::npos) << result.err;
}

TEST_F(CommandLineTest, FeedCommandsShowTheirFilters) {
  const Result result = RunWith({"incidents", "list", "--help"});
  EXPECT_EQ(result.exit_code, 0);
  for (const char* flag : {"--province", "--min-severity", "--category", "--since", "--follow",
                           "--all", "--page-token", "--indicator"}) {
    EXPECT_NE(result.out.find(flag), std::string::npos) << flag << " in " << result.out;
  }
  EXPECT_EQ(RunWith({"assets", "watch", "--help"}).exit_code, 0);
}

TEST_F(CommandLineTest, BadFeedFlagsAreUsageErrorsBeforeAnyCall) {
  // No token and no server: each must fail on the flags alone.
  const std::vector<std::vector<const char*>> bad = {
      {"incidents", "list", "--min-severity", "V"},
      {"incidents", "list", "--category", "malware,worms"},
      {"incidents", "list", "--since", "yesterday"},
      {"incidents", "watch", "--until", "24hours"},
      {"incidents", "list", "--page-size", "0"},
      {"incidents", "list", "--page-token", "x", "--follow", "state.cursor"},
      {"incidents", "watch", "--cursor", "x", "--follow", "state.cursor"},
      {"incidents", "get"},
      {"assets", "list", "--seen-since", "last week"},
  };
  for (const std::vector<const char*>& args : bad) {
    const Result result = RunWith(args);
    EXPECT_EQ(result.exit_code, 2) << args[1] << " " << args[2] << ": " << result.err;
    EXPECT_EQ(Lines(result.err), 1) << result.err;
  }
}

TEST_F(CommandLineTest, BadSeverityListsTheRomanNumerals) {
  const Result result = RunWith({"incidents", "list", "--min-severity", "V"});
  EXPECT_NE(result.err.find("--min-severity"), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("valid words: i, ii, iii, iv"), std::string::npos) << result.err;
}

TEST_F(CommandLineTest, BackwardTimeRangeIsAUsageErrorWithoutCallingTheServer) {
  setenv("SITREP_TOKEN", "secret", 1);
  const Result result =
      RunWith({"--server", "127.0.0.1:1", "incidents", "list", "--since", "1h", "--until", "2h"});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_EQ(result.err, "sitrep: --until 2h is not later than --since 1h\n");
}

}  // namespace
}  // namespace sitrep::cli
