#include "cli/situation_report.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <ctime>
#include <functional>
#include <map>
#include <sstream>
#include <utility>

#include "cli/enum_words.h"
#include "cli/severity_colour.h"
#include "cli/table.h"
#include "cli/text_charts.h"

namespace sitrep::cli {
namespace {

namespace v1 = ::sitrep::v1;

constexpr std::size_t kBarWidth = 30;
constexpr std::size_t kMinBarWidth = 8;
// The rest is in --json: a report lists what a reader can take in.
constexpr int kShownExposures = 15;
// The server buckets days in China Standard Time (feeds/situation.h), so the report names
// days and hours there too, whatever the reader's time zone.
constexpr std::int64_t kChinaOffsetSeconds = 8 * 3600;
constexpr std::int64_t kDaySeconds = 86400;
constexpr std::int64_t kHourSeconds = 3600;
constexpr v1::Severity kSeverities[] = {v1::SEVERITY_I, v1::SEVERITY_II, v1::SEVERITY_III,
                                        v1::SEVERITY_IV};
// More incidents is bad news: up is red, down green.
constexpr const char* kWorseColour = "31";
constexpr const char* kBetterColour = "32";
constexpr const char* kAlarmColour = "1;31";

std::string ChinaTime(std::int64_t unix_seconds, const char* format) {
  const std::time_t shifted = static_cast<std::time_t>(unix_seconds + kChinaOffsetSeconds);
  std::tm parts{};
  gmtime_r(&shifted, &parts);
  char text[64];
  const std::size_t length = std::strftime(text, sizeof text, format, &parts);
  return std::string(text, length);
}

std::string TrendColour(std::int64_t current, std::int64_t previous) {
  const int direction = TrendDirection(current, previous);
  return direction > 0 ? kWorseColour : direction < 0 ? kBetterColour : "";
}

// One row's incidents by severity, and its total (which also counts an unset severity).
struct BySeverity {
  std::array<std::int64_t, 5> counts{};
  std::int64_t total = 0;

  void Add(v1::Severity severity, std::int64_t count) {
    if (severity >= 0 && static_cast<std::size_t>(severity) < counts.size()) {
      counts[severity] += count;
    }
    total += count;
  }
};

// One row of a breakdown: this period by severity, and the previous period's total.
struct Trended {
  BySeverity current;
  std::int64_t previous = 0;
};

// A table whose numeric columns are right-aligned and which may end in a bar column, whose
// bars are scaled to the largest value in the table and sized to what the terminal leaves.
class ReportTable final {
 public:
  // `numeric[i]` says whether column i is right-aligned; `bars` adds the bar column.
  ReportTable(std::vector<std::string> headers, std::vector<bool> numeric, bool bars)
      : headers_(std::move(headers)), numeric_(std::move(numeric)), bars_(bars) {}

  void AddRow(std::vector<std::string> cells, std::vector<std::string> colours = {},
              std::int64_t bar = 0) {
    rows_.push_back(Row{std::move(cells), std::move(colours), bar});
  }

  [[nodiscard]] bool empty() const { return rows_.empty(); }

  [[nodiscard]] std::string Render(const Terminal& terminal) const {
    std::vector<std::string> headers = headers_;
    std::vector<Row> rows = rows_;
    for (std::size_t column = 0; column < headers.size(); ++column) {
      if (column >= numeric_.size() || !numeric_[column]) continue;
      std::size_t width = DisplayWidth(headers[column]);
      for (const Row& row : rows) {
        if (column < row.cells.size()) width = std::max(width, DisplayWidth(row.cells[column]));
      }
      const auto pad = [width](std::string& cell) {
        cell.insert(0, width - DisplayWidth(cell), ' ');
      };
      pad(headers[column]);
      for (Row& row : rows) {
        row.cells.resize(std::max(row.cells.size(), headers.size()));
        pad(row.cells[column]);
      }
    }
    TableStyle style;
    style.colour = terminal.colour;
    if (!bars_) return Build(headers, rows, 0).Render(style);

    std::size_t bar_width = kBarWidth;
    if (terminal.width != 0) {
      std::size_t used = 0;
      for (const std::size_t width : Build(headers, rows, 0).ColumnWidths(style)) {
        used += width + 2;  // and the two spaces before the next column
      }
      bar_width = terminal.width > used + kMinBarWidth ? std::min(kBarWidth, terminal.width - used)
                                                       : kMinBarWidth;
    }
    headers.emplace_back();
    return Build(headers, rows, bar_width).Render(style);
  }

 private:
  struct Row {
    std::vector<std::string> cells;
    std::vector<std::string> colours;
    std::int64_t bar = 0;
  };

  // The table of `rows`, with a bar cell of `bar_width` columns at the end of each when that
  // is not 0.
  static Table Build(const std::vector<std::string>& headers, const std::vector<Row>& rows,
                     std::size_t bar_width) {
    std::int64_t max = 0;
    for (const Row& row : rows) max = std::max(max, row.bar);
    Table table(headers);
    for (Row row : rows) {
      if (bar_width != 0) {
        row.cells.resize(std::max(row.cells.size(), headers.size() - 1));
        row.cells.push_back(Bar(row.bar, max, bar_width));
      }
      table.AddRow(std::move(row.cells), std::move(row.colours));
    }
    return table;
  }

  const std::vector<std::string> headers_;
  const std::vector<bool> numeric_;
  const bool bars_;
  std::vector<Row> rows_;
};

// The cells (and colours) of a severity breakdown: one count per severity, coloured when not 0.
void AddSeverityCells(const BySeverity& counts, std::vector<std::string>& cells,
                      std::vector<std::string>& colours) {
  for (const v1::Severity severity : kSeverities) {
    const std::int64_t count = counts.counts[severity];
    cells.push_back(std::to_string(count));
    colours.push_back(count != 0 ? SeverityColour(severity) : "");
  }
}

// "by province" etc.: a table of `rows` sorted by this period's total, the largest first.
template <typename Key>
std::string Breakdown(const std::string& title, const std::string& header,
                      const std::map<Key, Trended>& rows,
                      const std::function<std::string(const Key&)>& name_of,
                      const Terminal& terminal) {
  std::vector<std::pair<Key, Trended>> sorted(rows.begin(), rows.end());
  std::stable_sort(sorted.begin(), sorted.end(), [](const auto& a, const auto& b) {
    if (a.second.current.total != b.second.current.total) {
      return a.second.current.total > b.second.current.total;
    }
    return a.second.previous > b.second.previous;
  });
  ReportTable table({header, "INCIDENTS", "I", "II", "III", "IV", "PREVIOUS", "TREND"},
                    {false, true, true, true, true, true, true, false}, true);
  for (const auto& [key, row] : sorted) {
    std::vector<std::string> cells{name_of(key), std::to_string(row.current.total)};
    std::vector<std::string> colours{"", ""};
    AddSeverityCells(row.current, cells, colours);
    cells.push_back(std::to_string(row.previous));
    colours.emplace_back();
    cells.push_back(Trend(row.current.total, row.previous));
    colours.push_back(TrendColour(row.current.total, row.previous));
    table.AddRow(std::move(cells), std::move(colours), row.current.total);
  }
  return title + "\n" + table.Render(terminal);
}

class Report final {
 public:
  Report(const v1::Situation& situation, const ReferenceWords& words,
         const std::vector<std::uint32_t>& provinces, const Terminal& terminal)
      : situation_(situation), words_(words), provinces_(provinces), terminal_(terminal) {
    start_ = situation.time_range().start_time().seconds();
    end_ = situation.time_range().end_time().seconds();
    hourly_ = situation.bucket() == v1::BUCKET_HOUR;
    Tally();
  }

  std::string Text() {
    Header();
    Headline();
    if (situation_.total_incidents() != 0 || situation_.previous_period_total_incidents() != 0) {
      Breakdowns();
      Series();
    }
    Exposure();
    AdvisoryExposure();
    NoticeBacklog();
    TopEnterprises();
    return out_.str();
  }

 private:
  // Sums the cells into the rows of every breakdown and the buckets of the series.
  void Tally() {
    for (const v1::IncidentCount& cell : situation_.totals()) {
      if (cell.province() != 0) {
        by_province_[cell.province()].current.Add(cell.severity(), cell.count());
      } else if (!cell.sector().empty()) {
        by_sector_[cell.sector()].current.Add(cell.severity(), cell.count());
      } else if (cell.category() != v1::CATEGORY_UNSPECIFIED) {
        by_category_[cell.category()].current.Add(cell.severity(), cell.count());
        // Every incident has one category: these cells count each incident once.
        by_severity_[cell.severity()].current.Add(cell.severity(), cell.count());
      }
    }
    for (const v1::IncidentCount& cell : situation_.previous_period_totals()) {
      if (cell.province() != 0) {
        by_province_[cell.province()].previous += cell.count();
      } else if (!cell.sector().empty()) {
        by_sector_[cell.sector()].previous += cell.count();
      } else if (cell.category() != v1::CATEGORY_UNSPECIFIED) {
        by_category_[cell.category()].previous += cell.count();
      }
    }
    for (const v1::IncidentCount& cell : situation_.previous_period_by_severity()) {
      by_severity_[cell.severity()].previous += cell.count();
    }
    for (const v1::IncidentCount& cell : situation_.incidents()) {
      if (cell.category() == v1::CATEGORY_UNSPECIFIED || !cell.has_bucket_start()) continue;
      buckets_[cell.bucket_start().seconds()].Add(cell.severity(), cell.count());
    }
  }

  std::string PeriodWords() const {
    const std::int64_t length = end_ - start_;
    if (!hourly_ || length % kDaySeconds == 0) {
      const std::int64_t days = length / kDaySeconds;
      return std::to_string(days) + (days == 1 ? " day" : " days");
    }
    const std::int64_t hours = length / kHourSeconds;
    return std::to_string(hours) + (hours == 1 ? " hour" : " hours");
  }

  void Header() {
    out_ << "Situation from " << ChinaTime(start_, "%Y-%m-%d %H:%M") << " to "
         << ChinaTime(end_, "%Y-%m-%d %H:%M") << " China Standard Time: " << PeriodWords() << " in "
         << (hourly_ ? "hour" : "day") << " buckets\n";
    out_ << "Scope: ";
    if (provinces_.empty()) out_ << "every province you may see";
    for (std::size_t i = 0; i < provinces_.size(); ++i) {
      out_ << (i ? "; " : "") << words_.ProvinceFullName(provinces_[i]);
    }
    out_ << "\n\n";
  }

  void Headline() {
    const std::int64_t now = situation_.total_incidents();
    const std::int64_t before = situation_.previous_period_total_incidents();
    out_ << "Incidents: " << GroupedCount(now) << ", against " << GroupedCount(before) << " in the "
         << PeriodWords() << " before  " << Paint(Trend(now, before), TrendColour(now, before))
         << "\n";
    if (now == 0 && before == 0) {
      out_ << "\n";
      return;
    }
    ReportTable table({"SEVERITY", "INCIDENTS", "PREVIOUS", "TREND"}, {false, true, true, false},
                      true);
    for (const v1::Severity severity : kSeverities) {
      const Trended& row = by_severity_[severity];
      table.AddRow({SeverityText(severity), std::to_string(row.current.total),
                    std::to_string(row.previous), Trend(row.current.total, row.previous)},
                   {SeverityColour(severity), "", "", TrendColour(row.current.total, row.previous)},
                   row.current.total);
    }
    out_ << "\n" << table.Render(terminal_) << "\n";
  }

  void Breakdowns() {
    out_ << Breakdown<std::uint32_t>(
                "Incidents by province", "PROVINCE", by_province_,
                [this](const std::uint32_t& code) { return words_.ProvinceShortName(code); },
                terminal_)
         << "\n";
    out_ << Breakdown<std::string>(
                "Incidents by sector", "SECTOR", by_sector_,
                [this](const std::string& code) { return words_.SectorFullName(code); }, terminal_)
         << "\n";
    out_ << Breakdown<v1::Category>(
                "Incidents by category", "CATEGORY", by_category_,
                [](const v1::Category& category) { return EnumWord(category); }, terminal_)
         << "\n";
  }

  void Series() {
    std::int64_t peak = 0;
    std::int64_t peak_at = start_;
    for (const auto& [at, counts] : buckets_) {
      if (counts.total > peak) {
        peak = counts.total;
        peak_at = at;
      }
    }
    if (hourly_) {
      HourSeries(peak);
    } else {
      DaySeries();
    }
    if (peak != 0) {
      out_ << "Peak: " << GroupedCount(peak) << " incidents "
           << (hourly_ ? "in the hour from " + ChinaTime(peak_at, "%m-%d %H:00")
                       : "on " + ChinaTime(peak_at, "%m-%d %a"))
           << "\n";
    }
    out_ << "\n";
  }

  void DaySeries() {
    std::vector<std::int64_t> totals;
    ReportTable table({"DAY", "INCIDENTS", "I", "II", "III", "IV"},
                      {false, true, true, true, true, true}, true);
    for (std::int64_t at = start_; at < end_; at += kDaySeconds) {
      const auto found = buckets_.find(at);
      const BySeverity counts = found == buckets_.end() ? BySeverity() : found->second;
      totals.push_back(counts.total);
      std::vector<std::string> cells{ChinaTime(at, "%m-%d %a"), std::to_string(counts.total)};
      std::vector<std::string> colours{"", ""};
      AddSeverityCells(counts, cells, colours);
      table.AddRow(std::move(cells), std::move(colours), counts.total);
    }
    out_ << "Incidents per day  " << Sparkline(totals) << "\n" << table.Render(terminal_);
  }

  // One line per day of China Standard Time, its hours as a sparkline on the scale of the
  // busiest hour of the whole range.
  void HourSeries(std::int64_t peak) {
    ReportTable table({"DAY", "INCIDENTS", "HOURS 00-23"}, {false, true, false}, false);
    for (std::int64_t day = start_ - (start_ + kChinaOffsetSeconds) % kDaySeconds; day < end_;
         day += kDaySeconds) {
      std::vector<std::int64_t> hours;
      std::int64_t total = 0;
      for (std::int64_t at = day; at < day + kDaySeconds; at += kHourSeconds) {
        const auto found = buckets_.find(at);
        const std::int64_t count = found == buckets_.end() ? 0 : found->second.total;
        hours.push_back(count);
        total += count;
      }
      table.AddRow({ChinaTime(day, "%m-%d %a"), std::to_string(total), Sparkline(hours, peak)});
    }
    out_ << "Incidents per hour\n" << table.Render(terminal_);
  }

  void Exposure() {
    const std::int64_t exposed = situation_.exposed_assets();
    if (exposed == 0) {
      out_ << "Exposed assets: none on the Internet that you may see\n\n";
      return;
    }
    const bool listed = situation_.known_exploited_list_loaded();
    const std::int64_t exploited = situation_.exposed_assets_with_known_exploited_cves();
    out_ << "Exposed assets: " << GroupedCount(exposed) << " on the Internet, ";
    if (listed) {
      char share[32];
      std::snprintf(share, sizeof share, "%.1f%%",
                    100.0 * static_cast<double>(exploited) / static_cast<double>(exposed));
      out_ << Paint(GroupedCount(exploited) + " (" + share + ")",
                    exploited != 0 ? kAlarmColour : "")
           << " carrying known-exploited CVEs\n";
    } else {
      out_ << "known-exploited CVEs not counted (the server has no list loaded)\n";
    }
    ReportTable table({"PROTOCOL", "VENDOR", "ASSETS", "KNOWN-EXPLOITED"},
                      {false, false, true, true}, true);
    int shown = 0;
    for (const v1::ExposureCount& count : situation_.exposures()) {
      if (shown++ == kShownExposures) break;
      const std::int64_t kev = count.assets_with_known_exploited_cves();
      table.AddRow({count.protocol().empty() ? "-" : count.protocol(),
                    count.vendor().empty() ? "-" : count.vendor(), std::to_string(count.assets()),
                    listed ? std::to_string(kev) : "-"},
                   {"", "", "", kev != 0 ? kAlarmColour : ""}, count.assets());
    }
    out_ << table.Render(terminal_);
    if (situation_.exposures_size() > kShownExposures) {
      out_ << "… and " << situation_.exposures_size() - kShownExposures
           << " more protocol and vendor pairs (--json lists them)\n";
    }
    out_ << "\n";
  }

  // The vulnerability base's view of exposure: exposed assets matched by advisories.
  void AdvisoryExposure() {
    const std::int64_t matched = situation_.exposed_assets_matched();
    if (matched == 0) {
      out_ << "Advisory exposure: no exposed asset that you may see matches an advisory\n\n";
      return;
    }
    const std::int64_t exploited = situation_.exposed_assets_matched_known_exploited();
    out_ << "Advisory exposure: " << GroupedCount(matched)
         << " exposed assets matched by advisories, "
         << Paint(GroupedCount(exploited), exploited != 0 ? kAlarmColour : "")
         << " by one with a known-exploited CVE\n";
    ReportTable table({"ADVISORY", "VENDOR", "CVSS", "KEV", "ASSETS"},
                      {false, false, true, false, true}, true);
    int shown = 0;
    for (const v1::AdvisoryExposureCount& count : situation_.advisory_exposures()) {
      if (shown++ == kShownExposures) break;
      char score[16];
      std::snprintf(score, sizeof score, "%.1f", count.max_cvss());
      table.AddRow({count.advisory_id(), count.vendor().empty() ? "-" : count.vendor(),
                    count.max_cvss() > 0 ? score : "-", count.known_exploited() ? "yes" : "no",
                    std::to_string(count.exposed_assets())},
                   {"", "", "", count.known_exploited() ? kAlarmColour : "", ""},
                   count.exposed_assets());
    }
    out_ << table.Render(terminal_);
    if (situation_.advisory_exposures_size() > kShownExposures) {
      out_ << "… and " << situation_.advisory_exposures_size() - kShownExposures
           << " more advisories (--json lists them)\n";
    }
    out_ << "\n";
  }

  void NoticeBacklog() {
    if (situation_.notice_backlog().empty()) {
      out_ << "Notice backlog: no notices open, nor issued in this range\n\n";
      return;
    }
    std::vector<v1::NoticeBacklog> rows(situation_.notice_backlog().begin(),
                                        situation_.notice_backlog().end());
    std::stable_sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) {
      if (a.overdue() != b.overdue()) return a.overdue() > b.overdue();
      return a.open() > b.open();
    });
    std::int64_t open = 0;
    std::int64_t overdue = 0;
    ReportTable table({"PROVINCE", "OPEN", "OVERDUE", "MEDIAN TO ACK", "MEDIAN TO FEEDBACK"},
                      {false, true, true, true, true}, true);
    for (const v1::NoticeBacklog& row : rows) {
      open += row.open();
      overdue += row.overdue();
      table.AddRow(
          {words_.ProvinceShortName(row.province()), std::to_string(row.open()),
           std::to_string(row.overdue()), ShortDuration(row.median_seconds_to_acknowledge()),
           ShortDuration(row.median_seconds_to_feedback())},
          {"", "", row.overdue() != 0 ? kAlarmColour : ""}, row.open());
    }
    out_ << "Notice backlog: " << GroupedCount(open) << " open, "
         << Paint(GroupedCount(overdue) + " overdue", overdue != 0 ? kAlarmColour : "")
         << " (medians over the notices issued in this range)\n"
         << table.Render(terminal_) << "\n";
  }

  void TopEnterprises() {
    if (situation_.top_enterprises().empty()) {
      out_ << "Top enterprises: none has open incidents that you may see\n";
      return;
    }
    ReportTable table({"#", "ENTERPRISE", "ID", "OPEN"}, {true, false, true, true}, true);
    int rank = 0;
    for (const v1::EnterpriseCount& enterprise : situation_.top_enterprises()) {
      table.AddRow(
          {std::to_string(++rank), enterprise.name().empty() ? "-" : enterprise.name(),
           std::to_string(enterprise.enterprise_id()), std::to_string(enterprise.open_incidents())},
          {}, enterprise.open_incidents());
    }
    out_ << "Top enterprises by open incidents\n" << table.Render(terminal_);
  }

  // `text` in `colour` on a terminal that takes colours.
  std::string Paint(const std::string& text, const std::string& colour) const {
    if (!terminal_.colour || colour.empty()) return text;
    return "\x1b[" + colour + "m" + text + "\x1b[0m";
  }

  const v1::Situation& situation_;
  const ReferenceWords& words_;
  const std::vector<std::uint32_t>& provinces_;
  const Terminal& terminal_;
  std::int64_t start_ = 0;
  std::int64_t end_ = 0;
  bool hourly_ = false;
  std::map<std::uint32_t, Trended> by_province_;
  std::map<std::string, Trended> by_sector_;
  std::map<v1::Category, Trended> by_category_;
  std::map<int, Trended> by_severity_;
  std::map<std::int64_t, BySeverity> buckets_;  // by bucket start, in seconds
  std::ostringstream out_;
};

}  // namespace

std::string SituationReport(const v1::Situation& situation, const ReferenceWords& words,
                            const std::vector<std::uint32_t>& provinces, const Terminal& terminal) {
  return Report(situation, words, provinces, terminal).Text();
}

}  // namespace sitrep::cli
