#include "cli/text_charts.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace sitrep::cli {
namespace {

// Left blocks of one to seven eighths of a column (U+258F down to U+2589).
constexpr const char* kEighths[] = {"", "▏", "▎", "▍", "▌", "▋", "▊", "▉"};
constexpr const char* kFull = "█";
// Lower blocks of one to eight eighths (U+2581 to U+2588).
constexpr const char* kLevels[] = {"▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"};

// A change smaller than this (in percent) shows as level: counts of a few hundred move by
// that much from noise alone, and "↑ +0.1%" would draw the eye for nothing.
constexpr double kLevelPercent = 0.5;

double PercentChange(std::int64_t current, std::int64_t previous) {
  return (static_cast<double>(current) - static_cast<double>(previous)) * 100.0 /
         static_cast<double>(previous);
}

}  // namespace

std::string Bar(std::int64_t value, std::int64_t max, std::size_t width) {
  if (value <= 0 || max <= 0 || width == 0) return "";
  value = std::min(value, max);
  // Rounded to the nearest eighth; long double keeps 10^9 × width × 8 exact.
  const long double exact = static_cast<long double>(value) * static_cast<long double>(width) *
                            8.0L / static_cast<long double>(max);
  std::int64_t eighths = std::llround(exact);
  eighths = std::clamp<std::int64_t>(eighths, 1, static_cast<std::int64_t>(width) * 8);
  std::string bar;
  for (std::int64_t i = 0; i < eighths / 8; ++i) bar += kFull;
  bar += kEighths[eighths % 8];
  return bar;
}

int TrendDirection(std::int64_t current, std::int64_t previous) {
  if (previous <= 0) return current > 0 ? 1 : 0;
  const double change = PercentChange(current, previous);
  if (std::fabs(change) < kLevelPercent) return 0;
  return change > 0 ? 1 : -1;
}

std::string Trend(std::int64_t current, std::int64_t previous) {
  const int direction = TrendDirection(current, previous);
  if (previous <= 0) return direction > 0 ? "↑ new" : "→ 0%";
  if (direction == 0) return "→ 0%";
  const double change = PercentChange(current, previous);
  const double size = std::fabs(change);
  char text[48];
  // Round first, so that 9.96 % prints as "10%" rather than "10.0%".
  if (std::round(size * 10) / 10 < 10) {
    std::snprintf(text, sizeof text, "%.1f%%", size);
  } else {
    std::snprintf(text, sizeof text, "%.0f%%", size);
  }
  return std::string(direction > 0 ? "↑ +" : "↓ -") + text;
}

std::string Sparkline(const std::vector<std::int64_t>& values, std::int64_t max) {
  if (max <= 0 && !values.empty()) max = *std::max_element(values.begin(), values.end());
  std::string line;
  for (const std::int64_t value : values) {
    if (value <= 0 || max <= 0) {
      line += ' ';
      continue;
    }
    // The smallest level that reaches value / max: only the largest values fill a column.
    const long double exact =
        static_cast<long double>(std::min(value, max)) * 8.0L / static_cast<long double>(max);
    const auto level = std::clamp<std::int64_t>(static_cast<std::int64_t>(std::ceil(exact)), 1, 8);
    line += kLevels[level - 1];
  }
  return line;
}

std::string GroupedCount(std::int64_t value) {
  const bool negative = value < 0;
  // Through unsigned so that the most negative value has a magnitude too.
  std::uint64_t magnitude =
      negative ? ~static_cast<std::uint64_t>(value) + 1 : static_cast<std::uint64_t>(value);
  std::string digits = std::to_string(magnitude);
  std::string grouped;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i != 0 && (digits.size() - i) % 3 == 0) grouped += ',';
    grouped += digits[i];
  }
  return negative ? "-" + grouped : grouped;
}

std::string ShortDuration(double seconds) {
  if (!(seconds > 0)) return "-";
  const auto whole = static_cast<std::int64_t>(std::llround(seconds));
  if (whole == 0) return "<1s";
  struct Unit {
    std::int64_t seconds;
    const char* name;
  };
  constexpr Unit kUnits[] = {{86400, "d"}, {3600, "h"}, {60, "m"}, {1, "s"}};
  for (std::size_t i = 0; i < std::size(kUnits); ++i) {
    if (whole < kUnits[i].seconds && i + 1 < std::size(kUnits)) continue;
    const std::int64_t first = whole / kUnits[i].seconds;
    std::string text = std::to_string(first) + kUnits[i].name;
    if (i + 1 < std::size(kUnits)) {
      const std::int64_t second = whole % kUnits[i].seconds / kUnits[i + 1].seconds;
      if (second != 0) text += " " + std::to_string(second) + kUnits[i + 1].name;
    }
    return text;
  }
  return "-";
}

}  // namespace sitrep::cli
