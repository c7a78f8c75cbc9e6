#include "cli/duration_words.h"

#include <CLI/CLI.hpp>
#include <cstdint>
#include <string>

namespace sitrep::cli {
namespace {

// Far beyond any sensible token lifetime or audit window; it also keeps the arithmetic below
// and the Timestamp the caller computes from it clear of overflow.
constexpr std::int64_t kMaxSeconds = std::int64_t{100} * 366 * 24 * 3600;

std::optional<std::int64_t> UnitSeconds(char unit) {
  switch (unit) {
    case 'd':
      return 24 * 3600;
    case 'h':
      return 3600;
    case 'm':
      return 60;
    case 's':
      return 1;
    default:
      return std::nullopt;
  }
}

}  // namespace

std::optional<std::chrono::seconds> ParseDurationWord(std::string_view text) {
  if (text.empty()) return std::nullopt;
  std::int64_t total = 0;
  std::size_t i = 0;
  while (i < text.size()) {
    std::int64_t number = 0;
    const std::size_t digits_start = i;
    for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i) {
      number = number * 10 + (text[i] - '0');
      if (number > kMaxSeconds) return std::nullopt;
    }
    if (i == digits_start || i == text.size()) return std::nullopt;
    const std::optional<std::int64_t> unit = UnitSeconds(text[i++]);
    if (!unit) return std::nullopt;
    if (number > kMaxSeconds / *unit) return std::nullopt;
    total += number * *unit;
    if (total > kMaxSeconds) return std::nullopt;
  }
  if (total == 0) return std::nullopt;
  return std::chrono::seconds(total);
}

CLI::Validator DurationWordValidator() {
  return CLI::Validator(
      [](std::string& input) -> std::string {
        if (ParseDurationWord(input)) return std::string();
        return "'" + input + "' is not a duration such as 30d, 12h, 90m or 1h30m";
      },
      "DURATION");
}

}  // namespace sitrep::cli
