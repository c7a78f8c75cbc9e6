#include "bench/taxii_bench.h"

#include <gtest/gtest.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace sitrep::bench {
namespace {

using std::chrono::milliseconds;

TaxiiBenchOptions ParseTaxii(std::vector<std::string> args) {
  CLI::App app;
  TaxiiBenchOptions options;
  AddTaxiiBenchOptions(app, options);
  std::reverse(args.begin(), args.end());  // CLI11 takes the arguments last first
  app.parse(args);
  return options;
}

TEST(TaxiiBenchTest, DefaultsFlagsAndRanges) {
  const TaxiiBenchOptions defaults = ParseTaxii({});
  EXPECT_EQ(defaults.limit, 100u);
  EXPECT_EQ(defaults.pages, 1000u);
  const TaxiiBenchOptions set = ParseTaxii({"--incidents", "200000", "--pages", "50", "--warm-up",
                                            "0", "--limit", "10", "--http", "h:1"});
  EXPECT_EQ(set.incidents, 200'000u);
  EXPECT_EQ(set.pages, 50u);
  EXPECT_EQ(set.warm_up, 0u);
  EXPECT_EQ(set.limit, 10u);
  EXPECT_EQ(set.http, "h:1");
  for (const std::vector<std::string>& args : std::vector<std::vector<std::string>>{
           {"--pages", "0"}, {"--limit", "0"}, {"--limit", "1001"}}) {
    EXPECT_THROW((void)ParseTaxii(args), CLI::ParseError) << args[0] << " " << args[1];
  }
}

TEST(TaxiiBenchTest, ResultLineNamesTheIssueFiguresFirst) {
  LatencySummary pages;
  pages.count = 1000;
  pages.p50 = milliseconds(4);
  pages.p99 = milliseconds(12);
  pages.max = milliseconds(30);
  const nlohmann::ordered_json line =
      nlohmann::ordered_json::parse(TaxiiResultLine(10'000'000, pages, 97.5).Text());
  std::vector<std::string> keys;
  for (const auto& [key, value] : line.items()) keys.push_back(key);
  EXPECT_EQ(keys, (std::vector<std::string>{"bench", "incidents", "pages", "page_p50_ms",
                                            "page_p99_ms", "page_max_ms", "objects_per_page"}));
  EXPECT_EQ(line["bench"], "taxii");
  EXPECT_EQ(line["incidents"], 10'000'000);
  EXPECT_EQ(line["pages"], 1000);
  EXPECT_DOUBLE_EQ(line["page_p50_ms"].get<double>(), 4.0);
  EXPECT_DOUBLE_EQ(line["page_p99_ms"].get<double>(), 12.0);
  EXPECT_DOUBLE_EQ(line["objects_per_page"].get<double>(), 97.5);
}

}  // namespace
}  // namespace sitrep::bench
