#include "cli/situation_report.h"

#include <gtest/gtest.h>

#include <sstream>

#include "cli/table.h"

namespace sitrep::cli {
namespace {

namespace v1 = ::sitrep::v1;

constexpr std::int64_t kStart = 1795363200;  // 2026-11-23 00:00 China Standard Time
constexpr std::int64_t kDay = 86400;

ReferenceWords Words() {
  v1::ListReferenceCodesResponse codes;
  for (const auto& [code, zh, en] : {std::tuple{440000u, "广东省", "Guangdong"},
                                     std::tuple{450000u, "广西壮族自治区", "Guangxi"}}) {
    v1::Province* province = codes.add_provinces();
    province->set_code(code);
    province->set_name_zh(zh);
    province->set_name_en(en);
  }
  v1::Sector* sector = codes.add_sectors();
  sector->set_code("energy");
  sector->set_name_zh("能源");
  return ReferenceWords(codes);
}

// A cell of `count` incidents of `severity` in `dimension` ("province", "sector" or
// "category") = `value`, in the day bucket `day` after kStart (-1: a period total).
v1::IncidentCount Cell(const std::string& dimension, const std::string& value,
                       v1::Severity severity, std::int64_t count, int day = -1) {
  v1::IncidentCount cell;
  if (dimension == "province") cell.set_province(std::stoul(value));
  if (dimension == "sector") cell.set_sector(value);
  if (dimension == "category") {
    v1::Category category = v1::CATEGORY_UNSPECIFIED;
    EXPECT_TRUE(v1::Category_Parse(value, &category));
    cell.set_category(category);
  }
  cell.set_severity(severity);
  cell.set_count(count);
  if (day >= 0) cell.mutable_bucket_start()->set_seconds(kStart + day * kDay);
  return cell;
}

// Three days: Guangdong 5 incidents (one of severity II), Guangxi 1; the three days before
// had 4, all in Guangxi.
v1::Situation ThreeDays() {
  v1::Situation situation;
  situation.mutable_time_range()->mutable_start_time()->set_seconds(kStart);
  situation.mutable_time_range()->mutable_end_time()->set_seconds(kStart + 3 * kDay);
  situation.set_bucket(v1::BUCKET_DAY);
  situation.set_total_incidents(6);
  situation.set_previous_period_total_incidents(4);
  for (const auto& [dimension, value] :
       {std::pair{"province", "440000"}, std::pair{"sector", "energy"},
        std::pair{"category", "CATEGORY_MALWARE"}}) {
    *situation.add_incidents() = Cell(dimension, value, v1::SEVERITY_III, 4, 0);
    *situation.add_incidents() = Cell(dimension, value, v1::SEVERITY_II, 1, 2);
  }
  *situation.add_incidents() = Cell("province", "450000", v1::SEVERITY_IV, 1, 2);
  *situation.add_incidents() = Cell("sector", "energy", v1::SEVERITY_IV, 1, 2);
  *situation.add_incidents() = Cell("category", "CATEGORY_NETWORK_ATTACK", v1::SEVERITY_IV, 1, 2);

  *situation.add_totals() = Cell("province", "440000", v1::SEVERITY_III, 4);
  *situation.add_totals() = Cell("province", "440000", v1::SEVERITY_II, 1);
  *situation.add_totals() = Cell("province", "450000", v1::SEVERITY_IV, 1);
  *situation.add_totals() = Cell("sector", "energy", v1::SEVERITY_III, 4);
  *situation.add_totals() = Cell("sector", "energy", v1::SEVERITY_II, 1);
  *situation.add_totals() = Cell("sector", "energy", v1::SEVERITY_IV, 1);
  *situation.add_totals() = Cell("category", "CATEGORY_MALWARE", v1::SEVERITY_III, 4);
  *situation.add_totals() = Cell("category", "CATEGORY_MALWARE", v1::SEVERITY_II, 1);
  *situation.add_totals() = Cell("category", "CATEGORY_NETWORK_ATTACK", v1::SEVERITY_IV, 1);
  *situation.add_previous_period_totals() = Cell("province", "450000", v1::SEVERITY_IV, 4);
  *situation.add_previous_period_totals() = Cell("sector", "energy", v1::SEVERITY_IV, 4);
  *situation.add_previous_period_totals() =
      Cell("category", "CATEGORY_MALWARE", v1::SEVERITY_IV, 4);
  v1::IncidentCount& before = *situation.add_previous_period_by_severity();
  before.set_severity(v1::SEVERITY_IV);
  before.set_count(4);

  situation.set_exposed_assets(200);
  situation.set_exposed_assets_with_known_exploited_cves(9);
  situation.set_known_exploited_list_loaded(true);
  v1::ExposureCount& exposure = *situation.add_exposures();
  exposure.set_protocol("modbus");
  exposure.set_vendor("Schneider");
  exposure.set_assets(200);
  exposure.set_assets_with_known_exploited_cves(9);

  v1::NoticeBacklog& backlog = *situation.add_notice_backlog();
  backlog.set_province(440000);
  backlog.set_open(3);
  backlog.set_overdue(1);
  backlog.set_median_seconds_to_acknowledge(1500);
  backlog.set_median_seconds_to_feedback(0);

  v1::EnterpriseCount& enterprise = *situation.add_top_enterprises();
  enterprise.set_enterprise_id(12);
  enterprise.set_name("某热电厂");
  enterprise.set_open_incidents(5);
  return situation;
}

std::vector<std::string> LinesOf(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// The line that starts with `prefix`, or "" when none does.
std::string LineStarting(const std::string& text, const std::string& prefix) {
  for (const std::string& line : LinesOf(text)) {
    if (line.rfind(prefix, 0) == 0) return line;
  }
  return "";
}

// `text` without its ANSI SGR sequences.
std::string WithoutColours(const std::string& text) {
  std::string plain;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\x1b') {
      i = text.find('m', i);
      continue;
    }
    plain += text[i];
  }
  return plain;
}

TEST(SituationReportTest, HeadlineComparesWithThePeriodBefore) {
  const std::string report = SituationReport(ThreeDays(), Words(), {}, {});
  EXPECT_EQ(LineStarting(report, "Situation"),
            "Situation from 2026-11-23 00:00 to 2026-11-26 00:00 China Standard Time: 3 days in "
            "day buckets");
  EXPECT_EQ(LineStarting(report, "Scope"), "Scope: every province you may see");
  EXPECT_EQ(LineStarting(report, "Incidents:"),
            "Incidents: 6, against 4 in the 3 days before  ↑ +50%");
  EXPECT_EQ(LineStarting(report, "II "),
            "II                1         0  ↑ new   " + std::string("███████▌"));
  EXPECT_EQ(LineStarting(report, "IV "), "IV                1         4  ↓ -75%  ███████▌");
  EXPECT_EQ(report.find('\x1b'), std::string::npos);  // no colour in a pipe
}

TEST(SituationReportTest, BreakdownsPutTheMostIncidentsFirst) {
  const std::vector<std::string> lines = LinesOf(SituationReport(ThreeDays(), Words(), {}, {}));
  const auto title = std::find(lines.begin(), lines.end(), "Incidents by province");
  ASSERT_NE(title, lines.end());
  EXPECT_EQ(title[1].rfind("PROVINCE  INCIDENTS  I  II  III  IV  PREVIOUS  TREND", 0), 0u)
      << title[1];
  EXPECT_EQ(
      title[2],
      "广东              5  0   1    4   0         0  ↑ new   ██████████████████████████████");
  EXPECT_EQ(title[3].rfind("广西              1  0   0    0   1         4  ↓ -75%  ██████", 0), 0u)
      << title[3];
  const std::string report = SituationReport(ThreeDays(), Words(), {}, {});
  EXPECT_NE(LineStarting(report, "energy 能源").find("  6  0   1    4   1         4  ↑ +50%"),
            std::string::npos)
      << report;
  EXPECT_EQ(LineStarting(report, "network_attack").rfind("network_attack          1", 0), 0u)
      << report;
}

TEST(SituationReportTest, EveryDayOfTheRangeHasARowQuietOnesToo) {
  const std::string report = SituationReport(ThreeDays(), Words(), {}, {});
  EXPECT_EQ(LineStarting(report, "Incidents per day"), "Incidents per day  █ ▄");
  EXPECT_EQ(LineStarting(report, "11-23 Mon"),
            "11-23 Mon          4  0   0    4   0  ██████████████████████████████");
  EXPECT_EQ(LineStarting(report, "11-24 Tue"), "11-24 Tue          0  0   0    0   0");
  EXPECT_EQ(LineStarting(report, "11-25 Wed").rfind("11-25 Wed          2  0   1    0   1  ███", 0),
            0u);
  EXPECT_EQ(LineStarting(report, "Peak"), "Peak: 4 incidents on 11-23 Mon");
}

TEST(SituationReportTest, ExposureBacklogAndEnterprises) {
  const std::string report = SituationReport(ThreeDays(), Words(), {440000}, {});
  EXPECT_EQ(LineStarting(report, "Scope"), "Scope: 440000 广东省 Guangdong");
  EXPECT_EQ(LineStarting(report, "Exposed assets"),
            "Exposed assets: 200 on the Internet, 9 (4.5%) carrying known-exploited CVEs");
  EXPECT_EQ(
      LineStarting(report, "modbus").rfind("modbus    Schneider     200                9  ██", 0),
      0u)
      << report;
  EXPECT_EQ(LineStarting(report, "Notice backlog"),
            "Notice backlog: 3 open, 1 overdue (medians over the notices issued in this range)");
  EXPECT_NE(report.find("\n广东         3        1            25m                   -  ███"),
            std::string::npos)
      << report;
  EXPECT_NE(report.find("1  某热电厂    12     5  ██"), std::string::npos) << report;
}

TEST(SituationReportTest, NothingToCountSaysSo) {
  v1::Situation empty;
  empty.mutable_time_range()->mutable_start_time()->set_seconds(kStart);
  empty.mutable_time_range()->mutable_end_time()->set_seconds(kStart + 30 * kDay);
  empty.set_bucket(v1::BUCKET_DAY);
  const std::string report = SituationReport(empty, Words(), {}, {});
  EXPECT_EQ(LineStarting(report, "Incidents:"),
            "Incidents: 0, against 0 in the 30 days before  → 0%");
  EXPECT_EQ(report.find("Incidents by province"), std::string::npos);
  EXPECT_EQ(LineStarting(report, "Exposed assets"),
            "Exposed assets: none on the Internet that you may see");
  EXPECT_EQ(LineStarting(report, "Notice backlog"),
            "Notice backlog: no notices open, nor issued in this range");
  EXPECT_EQ(LineStarting(report, "Top enterprises"),
            "Top enterprises: none has open incidents that you may see");
}

TEST(SituationReportTest, HourBucketsShowADayPerLine) {
  v1::Situation situation;
  situation.mutable_time_range()->mutable_start_time()->set_seconds(kStart + 22 * 3600);
  situation.mutable_time_range()->mutable_end_time()->set_seconds(kStart + 26 * 3600);
  situation.set_bucket(v1::BUCKET_HOUR);
  situation.set_total_incidents(3);
  v1::IncidentCount cell = Cell("category", "CATEGORY_MALWARE", v1::SEVERITY_III, 2);
  cell.mutable_bucket_start()->set_seconds(kStart + 23 * 3600);
  *situation.add_incidents() = cell;
  cell.set_count(1);
  cell.mutable_bucket_start()->set_seconds(kStart + 24 * 3600);
  *situation.add_incidents() = cell;
  const std::string report = SituationReport(situation, Words(), {}, {});
  EXPECT_NE(LineStarting(report, "Situation").find(": 4 hours in hour buckets"), std::string::npos);
  EXPECT_EQ(LineStarting(report, "11-23 Mon"), "11-23 Mon          2                         █");
  EXPECT_EQ(LineStarting(report, "11-24 Tue"), "11-24 Tue          1  ▄");
  EXPECT_EQ(LineStarting(report, "Peak"), "Peak: 2 incidents in the hour from 11-23 23:00");
}

TEST(SituationReportTest, ColoursAndWidthOnATerminal) {
  Terminal terminal;
  terminal.colour = true;
  terminal.width = 60;
  const std::string report = SituationReport(ThreeDays(), Words(), {}, terminal);
  EXPECT_NE(report.find("\x1b[31m↑ +50%\x1b[0m"), std::string::npos);  // worse: red
  EXPECT_NE(report.find("\x1b[1;31m1 overdue\x1b[0m"), std::string::npos);
  EXPECT_NE(report.find("\x1b[1;31mI\x1b[0m"), std::string::npos);  // severity I: bold red
  // Bars give way to the width, down to 8 columns where the other columns leave less.
  int bars = 0;
  for (const std::string& line : LinesOf(WithoutColours(report))) {
    const std::size_t bar = line.find("█");
    if (bar == std::string::npos) continue;
    ++bars;
    const std::size_t bar_width = DisplayWidth(line.substr(bar));
    EXPECT_TRUE(DisplayWidth(line) <= 60 || bar_width <= 8) << line;
    EXPECT_LE(bar_width, 30u) << line;
  }
  EXPECT_GT(bars, 10);
  EXPECT_NE(WithoutColours(report).find("\nIII               4         0  ↑ new   " +
                                        std::string("█████████████████████\n")),
            std::string::npos)
      << report;  // 39 columns of text leave 21 for the bar
}

}  // namespace
}  // namespace sitrep::cli
