#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace sitrep::cli {

// Small pictures made of text for reports on a terminal (`sitrep situation`): bars, trends and
// sparklines. Pure functions of their arguments; every result is UTF-8 whose display width
// (table.h DisplayWidth) is stated.

// A horizontal bar of full blocks "█" and one partial block (▏▎▍▌▋▊▉, eighths) for `value`
// scaled so that `max` fills `width` columns: about value / max × width columns, at most
// `width`. A value above zero always shows at least "▏", so that it is never mistaken for none;
// 0, a negative value, max ≤ 0 or width 0 give "".
[[nodiscard]] std::string Bar(std::int64_t value, std::int64_t max, std::size_t width);

// How `current` compares with `previous`: "↑ +23%" (more), "↓ -8.5%" (fewer) or "→ 0%" (the
// same to within half a percent); "↑ new" when there were none before and are some now, and
// "→ 0%" when both are zero. Below 10 % the percentage has one decimal, else none.
[[nodiscard]] std::string Trend(std::int64_t current, std::int64_t previous);

// The direction Trend() shows: +1 up, -1 down, 0 level.
[[nodiscard]] int TrendDirection(std::int64_t current, std::int64_t previous);

// One character per value, "▁" (the smallest non-zero) to "█" (`max` and above), scaled to
// `max`, or to the largest value when `max` is 0 (pass the largest of a longer series to draw
// its parts on one scale); a value of 0 (or below) is " " so that quiet buckets stand out as
// gaps. The result is values.size() columns wide.
[[nodiscard]] std::string Sparkline(const std::vector<std::int64_t>& values, std::int64_t max = 0);

// `value` with thousands separated by commas: "10,000,000", "-1,234", "7".
[[nodiscard]] std::string GroupedCount(std::int64_t value);

// A length of time for people, to two units: "45s", "12m", "1h 20m", "3d 4h"; "<1s" below
// half a second; "-" for 0 or less (nothing measured).
[[nodiscard]] std::string ShortDuration(double seconds);

}  // namespace sitrep::cli
