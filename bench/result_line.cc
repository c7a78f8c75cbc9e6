#include "bench/result_line.h"

#include <cmath>

namespace sitrep::bench {

ResultLine::ResultLine(std::string_view bench) : fields_(nlohmann::ordered_json::object()) {
  fields_["bench"] = bench;
}

ResultLine& ResultLine::Count(std::string_view key, uint64_t value) {
  fields_[std::string(key)] = value;
  return *this;
}

ResultLine& ResultLine::Rate(std::string_view key, std::optional<double> per_second) {
  return Rounded(key, per_second, 10);
}

ResultLine& ResultLine::Ratio(std::string_view key, std::optional<double> ratio) {
  return Rounded(key, ratio, 1000);
}

ResultLine& ResultLine::Megabytes(std::string_view key, std::optional<double> bytes) {
  if (bytes) *bytes /= 1e6;
  return Rounded(key, bytes, 10);
}

ResultLine& ResultLine::Milliseconds(std::string_view key,
                                     std::optional<std::chrono::nanoseconds> value) {
  std::optional<double> millis;
  if (value) millis = std::chrono::duration<double, std::milli>(*value).count();
  return Rounded(key, millis, 1000);
}

ResultLine& ResultLine::Micros(std::string_view key, std::optional<double> micros) {
  if (!micros || !std::isfinite(*micros)) return Rounded(key, std::nullopt, 1);
  // An integer, so that JSON prints 812 rather than 812.0.
  fields_[std::string(key)] = static_cast<int64_t>(std::llround(*micros));
  return *this;
}

ResultLine& ResultLine::Rounded(std::string_view key, std::optional<double> value,
                                double per_unit) {
  // JSON has no NaN or infinity: a figure that cannot be computed is null, like one not taken.
  if (!value || !std::isfinite(*value)) {
    fields_[std::string(key)] = nullptr;
  } else {
    // Dividing the rounded integer (not multiplying by 0.1) gives the double nearest to the
    // decimal, which JSON then prints without a tail of ...0000002.
    fields_[std::string(key)] = std::round(*value * per_unit) / per_unit;
  }
  return *this;
}

std::string ResultLine::Text() const { return fields_.dump(); }

void ResultLine::Print(std::ostream& out) const { out << Text() << '\n' << std::flush; }

}  // namespace sitrep::bench
