#include "bench/feeds_bench.h"

#include <gtest/gtest.h>

#include <CLI/CLI.hpp>
#include <set>
#include <string>
#include <vector>

#include "bench/feed_page_queries.h"
#include "domain/time_convert.h"

namespace sitrep::bench {
namespace {

// Parses `args` (after the program name) into FeedsOptions as `sitrep-bench feeds` does.
FeedsOptions Parse(std::vector<std::string> args) {
  CLI::App app;
  FeedsOptions options;
  AddFeedsOptions(app, options);
  std::reverse(args.begin(), args.end());  // CLI11 takes the arguments last first
  app.parse(args);
  return options;
}

TEST(FeedsOptionsTest, DefaultsAreTheSpecMeasurement) {
  const FeedsOptions options = Parse({});
  EXPECT_EQ(options.incidents, 10'000'000u);
  EXPECT_EQ(options.concurrency, 8u);
  EXPECT_EQ(options.page_size, 100);
  EXPECT_EQ(options.requests, 2000u);
}

TEST(FeedsOptionsTest, TakesEveryFlag) {
  const FeedsOptions options =
      Parse({"--incidents", "200000", "--requests", "500", "--concurrency", "4", "--page-size",
             "50", "--province", "110000", "--watch-seconds", "5", "--watch-rate", "100",
             "--watch-batch", "10"});
  EXPECT_EQ(options.incidents, 200'000u);
  EXPECT_EQ(options.requests, 500u);
  EXPECT_EQ(options.concurrency, 4u);
  EXPECT_EQ(options.page_size, 50);
  EXPECT_EQ(options.province, 110000u);
  EXPECT_EQ(options.watch_seconds, 5u);
  EXPECT_EQ(options.watch_rate, 100u);
  EXPECT_EQ(options.watch_batch, 10u);
}

TEST(FeedsOptionsTest, RefusesValuesOutOfRange) {
  const std::vector<std::vector<std::string>> bad = {
      {"--page-size", "0"},     {"--page-size", "1001"},  {"--concurrency", "0"},
      {"--requests", "0"},      {"--province", "999999"}, {"--province", "guangdong"},
      {"--incidents", "-1"},    {"--watch-rate", "0"},    {"--watch-batch", "1001"},
      {"--watch-seconds", "0"},
  };
  for (const std::vector<std::string>& args : bad) {
    EXPECT_THROW((void)Parse(args), CLI::ParseError) << args[0] << " " << args[1];
  }
}

TEST(FeedQueryRequestTest, EachQueryHasItsFilter) {
  const auto now = std::chrono::system_clock::time_point(std::chrono::seconds(1'764'000'000));
  std::set<std::string> names;
  for (const FeedQuery query : kFeedQueries) {
    names.insert(std::string(FeedQueryName(query)));
    const v1::ListIncidentsRequest request = FeedQueryRequest(query, 12345, now, 100);
    EXPECT_EQ(request.page_size(), 100);
    EXPECT_TRUE(request.page_token().empty());
    const v1::IncidentFilter& filter = request.filter();
    const int conditions = filter.provinces_size() + filter.sectors_size() +
                           (filter.min_severity() != v1::SEVERITY_UNSPECIFIED) +
                           filter.has_receive_time() + !filter.cve_id().empty();
    switch (query) {
      case FeedQuery::kProvince:
        EXPECT_EQ(filter.provinces_size(), 1);
        break;
      case FeedQuery::kMinSeverityII:
        EXPECT_EQ(filter.min_severity(), v1::SEVERITY_II);
        break;
      case FeedQuery::kSector:
        EXPECT_EQ(filter.sectors_size(), 1);
        break;
      case FeedQuery::kLast24Hours:
        EXPECT_EQ(FromTimestamp(filter.receive_time().start_time()), now - std::chrono::hours(24));
        EXPECT_FALSE(filter.receive_time().has_end_time());
        break;
      case FeedQuery::kCve:
        EXPECT_TRUE(filter.cve_id().starts_with("CVE-"));
        break;
      default:
        EXPECT_EQ(conditions, 0) << FeedQueryName(query);
        continue;
    }
    EXPECT_EQ(conditions, 1) << FeedQueryName(query);
  }
  EXPECT_EQ(names.size(), kFeedQueries.size());
}

TEST(FeedQueryRequestTest, DrawsDifferentProvincesSectorsAndCves) {
  const auto now = std::chrono::system_clock::now();
  std::set<std::string> drawn;
  for (uint64_t random = 0; random < 64; ++random) {
    drawn.insert(std::to_string(
        FeedQueryRequest(FeedQuery::kProvince, random, now, 100).filter().provinces(0)));
    drawn.insert(FeedQueryRequest(FeedQuery::kSector, random, now, 100).filter().sectors(0));
    drawn.insert(FeedQueryRequest(FeedQuery::kCve, random, now, 100).filter().cve_id());
  }
  EXPECT_GT(drawn.size(), 40u);
}

TEST(FeedQueryTest, OnlyTheProvincialQueriesCallAsTheProvince) {
  EXPECT_TRUE(AsProvincial(FeedQuery::kProvincialFirstPage));
  EXPECT_TRUE(AsProvincial(FeedQuery::kProvincialFollow));
  EXPECT_FALSE(AsProvincial(FeedQuery::kProvince));
  EXPECT_TRUE(FollowsCursor(FeedQuery::kNationalFollow));
  EXPECT_FALSE(FollowsCursor(FeedQuery::kNationalFirstPage));
}

}  // namespace
}  // namespace sitrep::bench
