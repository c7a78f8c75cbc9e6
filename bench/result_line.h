#pragma once

#include <chrono>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>

namespace sitrep::bench {

// The one JSON object every benchmark prints as the last line of stdout, for scripts and for
// the SPEC §7 comparisons: {"bench": <mode>, …} with fields in the order added. An unset
// optional becomes null (a figure that was not measured); numbers are rounded to what the
// measurement supports. Not thread-safe.
class ResultLine final {
 public:
  explicit ResultLine(std::string_view bench);

  ResultLine& Count(std::string_view key, uint64_t value);
  // Events per second, to one decimal.
  ResultLine& Rate(std::string_view key, std::optional<double> per_second);
  // A dimensionless ratio, to three decimals.
  ResultLine& Ratio(std::string_view key, std::optional<double> ratio);
  // Bytes as decimal megabytes (10^6 bytes, as SPEC §7's "300 MB"), to one decimal.
  ResultLine& Megabytes(std::string_view key, std::optional<double> bytes);
  // A duration in milliseconds, to three decimals (latency percentiles).
  ResultLine& Milliseconds(std::string_view key, std::optional<std::chrono::nanoseconds> value);

  // A CPU cost in microseconds per unit of work, to the microsecond.
  ResultLine& Micros(std::string_view key, std::optional<double> micros);

  // The object on one line, without the newline.
  [[nodiscard]] std::string Text() const;
  // Writes Text() and a newline to `out` and flushes it.
  void Print(std::ostream& out) const;

 private:
  // Rounds to 1 / per_unit (per_unit 10: one decimal).
  ResultLine& Rounded(std::string_view key, std::optional<double> value, double per_unit);

  nlohmann::ordered_json fields_;
};

}  // namespace sitrep::bench
