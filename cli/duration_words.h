#pragma once

#include <chrono>
#include <optional>
#include <string_view>

namespace CLI {
class Validator;
}

namespace sitrep::cli {

// Parses a positive duration written as one or more <integer><unit> parts with the units
// d (days), h (hours), m (minutes) and s (seconds), e.g. "30d", "12h", "90m", "1h30m".
// Returns nullopt for anything else: empty text, a missing number or unit, an unknown unit,
// a total of zero, or a total beyond 100 years.
[[nodiscard]] std::optional<std::chrono::seconds> ParseDurationWord(std::string_view text);

// A CLI11 check that accepts exactly what ParseDurationWord() accepts; the option keeps the
// text, so the command parses it again (which then cannot fail).
[[nodiscard]] CLI::Validator DurationWordValidator();

}  // namespace sitrep::cli
