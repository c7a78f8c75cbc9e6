#include "bench/result_line.h"

#include <gtest/gtest.h>

#include <cmath>
#include <sstream>

namespace sitrep::bench {
namespace {

TEST(ResultLineTest, KeepsOrderRoundsAndWritesNullForWhatWasNotMeasured) {
  ResultLine line("ingest");
  line.Count("records", 1000000)
      .Rate("records_per_s", 43210.06)
      .Rate("copy_rows_per_s", std::nullopt)
      .Ratio("ratio_vs_copy", 0.81234)
      .Megabytes("server_rss_mb", 123456789.0)
      .Milliseconds("p99_ms", std::chrono::microseconds(4321));
  EXPECT_EQ(line.Text(), R"({"bench":"ingest","records":1000000,"records_per_s":43210.1,)"
                         R"("copy_rows_per_s":null,"ratio_vs_copy":0.812,"server_rss_mb":123.5,)"
                         R"("p99_ms":4.321})");
}

TEST(ResultLineTest, WritesNullForAFigureThatCannotBeComputed) {
  ResultLine line("ingest");
  line.Ratio("ratio_vs_copy", std::nan("")).Rate("records_per_s", INFINITY);
  EXPECT_EQ(line.Text(), R"({"bench":"ingest","ratio_vs_copy":null,"records_per_s":null})");
}

TEST(ResultLineTest, RoundsCpuCostsToTheMicrosecond) {
  ResultLine line("feeds");
  line.Micros("server_cpu_us_per_page", 812.4).Micros("client_cpu_us_per_page", std::nullopt);
  EXPECT_EQ(line.Text(),
            R"({"bench":"feeds","server_cpu_us_per_page":812,"client_cpu_us_per_page":null})");
}

TEST(ResultLineTest, PrintsOneLine) {
  std::ostringstream out;
  ResultLine("feeds").Count("pages", 3).Print(out);
  EXPECT_EQ(out.str(), "{\"bench\":\"feeds\",\"pages\":3}\n");
}

}  // namespace
}  // namespace sitrep::bench
