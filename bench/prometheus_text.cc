#include "bench/prometheus_text.h"

#include <cerrno>
#include <cstdlib>
#include <string>

namespace sitrep::bench {
namespace {

std::optional<double> ParseNumber(std::string_view text) {
  // Prometheus writes "+Inf", "-Inf" and "NaN" too, which strtod reads as well.
  const std::string copy(text);
  char* end = nullptr;
  errno = 0;
  const double value = std::strtod(copy.c_str(), &end);
  if (end == copy.c_str() || *end != '\0' || errno == ERANGE) return std::nullopt;
  return value;
}

// The position of the '}' that closes the label set `labels` starts with; label values may
// hold '}' and escaped quotes.
size_t EndOfLabels(std::string_view labels) {
  bool quoted = false;
  for (size_t i = 1; i < labels.size(); ++i) {
    const char c = labels[i];
    if (quoted && c == '\\') {
      ++i;
    } else if (c == '"') {
      quoted = !quoted;
    } else if (!quoted && c == '}') {
      return i;
    }
  }
  return std::string_view::npos;
}

}  // namespace

std::optional<double> ParseSampleValue(std::string_view exposition, std::string_view name) {
  while (!exposition.empty()) {
    const size_t newline = exposition.find('\n');
    std::string_view line = exposition.substr(0, newline);
    exposition =
        newline == std::string_view::npos ? std::string_view{} : exposition.substr(newline + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (!line.starts_with(name)) continue;
    std::string_view rest = line.substr(name.size());
    if (rest.starts_with('{')) {
      const size_t close = EndOfLabels(rest);
      if (close == std::string_view::npos) continue;
      rest = rest.substr(close + 1);
    }
    if (rest.empty() || (rest.front() != ' ' && rest.front() != '\t')) continue;
    const size_t start = rest.find_first_not_of(" \t");
    if (start == std::string_view::npos) continue;
    rest = rest.substr(start);
    // An optional timestamp follows the value after a space.
    return ParseNumber(rest.substr(0, rest.find_first_of(" \t")));
  }
  return std::nullopt;
}

}  // namespace sitrep::bench
