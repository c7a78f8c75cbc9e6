#include "bench/situation_bench.h"

#include <gtest/gtest.h>

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

namespace sitrep::bench {
namespace {

// Parses `args` (after the program name) into SituationOptions as `sitrep-bench situation` does.
SituationOptions Parse(std::vector<std::string> args) {
  CLI::App app;
  SituationOptions options;
  AddSituationOptions(app, options);
  std::reverse(args.begin(), args.end());  // CLI11 takes the arguments last first
  app.parse(args);
  return options;
}

TEST(SituationOptionsTest, DefaultsAreTheSpecMeasurement) {
  const SituationOptions options = Parse({});
  EXPECT_EQ(options.incidents, 10'000'000u);
  EXPECT_EQ(options.requests, 500u);
  EXPECT_EQ(options.concurrency, 4u);
  EXPECT_EQ(options.province, 440000u);
}

TEST(SituationOptionsTest, TakesEveryFlag) {
  const SituationOptions options =
      Parse({"--incidents", "100000", "--requests", "50", "--concurrency", "2", "--province",
             "110000", "--catch-up-seconds", "60"});
  EXPECT_EQ(options.incidents, 100'000u);
  EXPECT_EQ(options.requests, 50u);
  EXPECT_EQ(options.concurrency, 2u);
  EXPECT_EQ(options.province, 110000u);
  EXPECT_EQ(options.catch_up_seconds, 60u);
}

TEST(SituationOptionsTest, RefusesValuesOutOfRange) {
  const std::vector<std::vector<std::string>> bad = {
      {"--requests", "0"},         {"--concurrency", "0"},      {"--concurrency", "257"},
      {"--province", "999999"},    {"--province", "guangdong"}, {"--incidents", "-1"},
      {"--catch-up-seconds", "0"}, {"--requests", "many"},
  };
  for (const std::vector<std::string>& args : bad) {
    EXPECT_THROW((void)Parse(args), CLI::ParseError) << args[0] << " " << args[1];
  }
}

TEST(SituationBenchRequestTest, ThirtyDaysUpToNowInDayBucketsOfEveryVisibleProvince) {
  const v1::GetSituationRequest request = SituationBenchRequest();
  EXPECT_EQ(request.bucket(), v1::BUCKET_DAY);
  // No range: the server's default, the 30 days up to its own now.
  EXPECT_FALSE(request.has_time_range());
  EXPECT_EQ(request.provinces_size(), 0);
}

}  // namespace
}  // namespace sitrep::bench
