#include "bench/http_bench.h"

#include <gtest/gtest.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace sitrep::bench {
namespace {

using std::chrono::microseconds;
using std::chrono::milliseconds;

HttpBenchOptions Parse(std::vector<std::string> args) {
  CLI::App app;
  HttpBenchOptions options;
  AddHttpBenchOptions(app, options);
  std::reverse(args.begin(), args.end());  // CLI11 takes the arguments last first
  app.parse(args);
  return options;
}

TEST(HttpBenchOptionsTest, DefaultsAndFlags) {
  const HttpBenchOptions defaults = Parse({});
  EXPECT_EQ(defaults.pages, 1000u);
  EXPECT_EQ(defaults.page_size, 100);
  EXPECT_EQ(defaults.http, "127.0.0.1:8080");
  const HttpBenchOptions set = Parse({"--incidents", "5000", "--pages", "20", "--round", "5",
                                      "--page-size", "50", "--http", "[::1]:9000"});
  EXPECT_EQ(set.incidents, 5000u);
  EXPECT_EQ(set.pages, 20u);
  EXPECT_EQ(set.round, 5u);
  EXPECT_EQ(set.page_size, 50);
  EXPECT_EQ(set.http, "[::1]:9000");
}

TEST(HttpBenchOptionsTest, RefusesValuesOutOfRange) {
  for (const std::vector<std::string>& args : std::vector<std::vector<std::string>>{
           {"--pages", "0"}, {"--round", "0"}, {"--page-size", "0"}, {"--page-size", "1001"}}) {
    EXPECT_THROW((void)Parse(args), CLI::ParseError) << args[0] << " " << args[1];
  }
}

TransportFigures Figures(uint64_t pages, microseconds server, microseconds database,
                         milliseconds p50, milliseconds p99) {
  TransportFigures figures;
  figures.pages.count = pages;
  figures.pages.p50 = p50;
  figures.pages.p99 = p99;
  figures.cpu.server = server;
  figures.cpu.database = database;
  return figures;
}

TEST(HttpResultLineTest, NamesTheIssueFiguresFirstAndTheRatioOfServerCpu) {
  // 1000 pages: JSON 600 µs sitrepd + 300 µs PostgreSQL a page, gRPC 300 + 300.
  const TransportFigures json =
      Figures(1000, microseconds(600'000), microseconds(300'000), milliseconds(3), milliseconds(9));
  const TransportFigures grpc =
      Figures(1000, microseconds(300'000), microseconds(300'000), milliseconds(2), milliseconds(7));
  const nlohmann::ordered_json line =
      nlohmann::ordered_json::parse(HttpResultLine(100'000, json, grpc).Text());
  const std::vector<std::string> first = {"bench",
                                          "incidents",
                                          "pages",
                                          "json_server_cpu_us_per_page",
                                          "grpc_server_cpu_us_per_page",
                                          "json_to_grpc_cpu_ratio",
                                          "json_page_p50_ms",
                                          "json_page_p99_ms",
                                          "grpc_page_p99_ms"};
  std::vector<std::string> keys;
  for (const auto& [key, value] : line.items()) keys.push_back(key);
  ASSERT_GE(keys.size(), first.size());
  EXPECT_EQ(std::vector<std::string>(keys.begin(), keys.begin() + first.size()), first);
  EXPECT_EQ(line["bench"], "http");
  EXPECT_EQ(line["incidents"], 100'000);
  EXPECT_EQ(line["pages"], 1000);
  EXPECT_EQ(line["json_server_cpu_us_per_page"], 900);
  EXPECT_EQ(line["grpc_server_cpu_us_per_page"], 600);
  EXPECT_DOUBLE_EQ(line["json_to_grpc_cpu_ratio"].get<double>(), 1.5);
  EXPECT_DOUBLE_EQ(line["json_page_p50_ms"].get<double>(), 3.0);
  EXPECT_DOUBLE_EQ(line["json_page_p99_ms"].get<double>(), 9.0);
  EXPECT_DOUBLE_EQ(line["grpc_page_p99_ms"].get<double>(), 7.0);
  EXPECT_EQ(line["json_sitrepd_cpu_us_per_page"], 600);
  EXPECT_EQ(line["grpc_postgres_cpu_us_per_page"], 300);
}

TEST(HttpResultLineTest, NoRatioWhenGrpcPagesCostNothingMeasurable) {
  const TransportFigures json =
      Figures(10, microseconds(1000), microseconds(0), milliseconds(1), milliseconds(1));
  const TransportFigures grpc =
      Figures(10, microseconds(0), microseconds(0), milliseconds(1), milliseconds(1));
  const nlohmann::json line = nlohmann::json::parse(HttpResultLine(1, json, grpc).Text());
  EXPECT_TRUE(line["json_to_grpc_cpu_ratio"].is_null());
  EXPECT_EQ(line["grpc_server_cpu_us_per_page"], 0);
}

}  // namespace
}  // namespace sitrep::bench
