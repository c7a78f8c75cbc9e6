#include "bench/prometheus_text.h"

#include <gtest/gtest.h>

#include "bench/process_cpu.h"

namespace sitrep::bench {
namespace {

// The shape prometheus-cpp's exposer writes (server/process_metrics.cc adds these families).
constexpr std::string_view kExposition =
    "# HELP process_resident_memory_bytes_max Not a real metric, a prefix trap.\n"
    "# TYPE process_resident_memory_bytes_max gauge\n"
    "process_resident_memory_bytes_max 1\n"
    "# HELP process_resident_memory_bytes Resident memory size in bytes.\n"
    "# TYPE process_resident_memory_bytes gauge\n"
    "process_resident_memory_bytes 1.2345678e+08\n"
    "# TYPE sitrep_ingest_records_total counter\n"
    "sitrep_ingest_records_total{kind=\"incident\",outcome=\"accepted\"} 1000 1712345678000\n"
    "sitrep_ingest_records_total{kind=\"a}b \\\"q\\\"\",outcome=\"rejected\"} 7\r\n"
    "process_open_fds 12";

TEST(ParseSampleValueTest, ReadsAGaugeInScientificNotation) {
  EXPECT_EQ(ParseSampleValue(kExposition, "process_resident_memory_bytes"), 123456780.0);
}

TEST(ParseSampleValueTest, DoesNotMatchALongerName) {
  EXPECT_EQ(ParseSampleValue(kExposition, "process_resident_memory"), std::nullopt);
}

TEST(ParseSampleValueTest, TakesTheFirstLabelledSampleAndIgnoresTheTimestamp) {
  EXPECT_EQ(ParseSampleValue(kExposition, "sitrep_ingest_records_total"), 1000.0);
}

TEST(ParseSampleValueTest, ReadsTheLastLineWithoutNewline) {
  EXPECT_EQ(ParseSampleValue(kExposition, "process_open_fds"), 12.0);
}

TEST(ParseSampleValueTest, SkipsLabelValuesHoldingBracesAndQuotes) {
  EXPECT_EQ(ParseSampleValue("m{k=\"}\\\"\"} 5\r\n", "m"), 5.0);
}

TEST(ParseSampleValueTest, RefusesWhatIsNotANumber) {
  EXPECT_EQ(ParseSampleValue("m 12abc\n", "m"), std::nullopt);
  EXPECT_EQ(ParseSampleValue("m\n", "m"), std::nullopt);
  EXPECT_EQ(ParseSampleValue("", "m"), std::nullopt);
}

// The CPU figures read PostgreSQL's processes from /proc/<pid>/stat (bench/process_cpu.h): the
// command name may hold spaces and parentheses, so the fields are counted after the last ')'.
TEST(ParseProcStatTest, ReadsParentAndCpuAfterTheCommandName) {
  const std::optional<StatCpu> cpu = ParseProcStat(
      "4242 (postgres: app (x) idle) S 17 4242 4242 0 -1 4194560 100 0 0 0 250 50 7 3 20 0 1 0",
      100);
  ASSERT_TRUE(cpu.has_value());
  EXPECT_EQ(cpu->parent_pid, 17);
  EXPECT_EQ(cpu->own, std::chrono::milliseconds(3000));
  EXPECT_EQ(cpu->reaped_children, std::chrono::milliseconds(100));
}

TEST(ParseProcStatTest, RefusesATruncatedOrGarbledLine) {
  EXPECT_EQ(ParseProcStat("4242 (postgres) S 17 4242", 100), std::nullopt);
  EXPECT_EQ(ParseProcStat("4242 postgres S 17", 100), std::nullopt);
  EXPECT_EQ(ParseProcStat("4242 (p) S x 1 1 0 -1 0 0 0 0 0 a b c d 20 0", 100), std::nullopt);
}

}  // namespace
}  // namespace sitrep::bench
