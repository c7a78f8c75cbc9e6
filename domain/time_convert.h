#pragma once

#include <google/protobuf/timestamp.pb.h>

#include <algorithm>
#include <chrono>
#include <cstdint>

namespace sitrep {

// Conversions between std::chrono and google.protobuf.Timestamp, at microsecond precision
// (PostgreSQL's timestamptz precision).

[[nodiscard]] inline google::protobuf::Timestamp ToTimestamp(
    std::chrono::system_clock::time_point time) {
  const auto micros =
      std::chrono::duration_cast<std::chrono::microseconds>(time.time_since_epoch()).count();
  google::protobuf::Timestamp timestamp;
  int64_t seconds = micros / 1'000'000;
  int64_t remainder = micros % 1'000'000;
  if (remainder < 0) remainder += 1'000'000, seconds -= 1;
  timestamp.set_seconds(seconds);
  timestamp.set_nanos(static_cast<int32_t>(remainder * 1000));
  return timestamp;
}

// For a Timestamp that passed CheckTimestamp (domain/field_checks.h). system_clock counts
// nanoseconds in 64 bits (years 1678..2262), fewer years than a Timestamp names: a time beyond
// them saturates to a point a century inside them, which compares like the time it stands for
// with any time near now and leaves room to add or subtract a few years without overflow.
[[nodiscard]] inline std::chrono::system_clock::time_point FromTimestamp(
    const google::protobuf::Timestamp& timestamp) {
  constexpr int64_t kLimitSeconds = 200LL * 365 * 24 * 3600;  // about 1770 and 2170
  const int64_t seconds = std::clamp<int64_t>(timestamp.seconds(), -kLimitSeconds, kLimitSeconds);
  return std::chrono::system_clock::time_point(
      std::chrono::duration_cast<std::chrono::system_clock::duration>(
          std::chrono::seconds(seconds) + std::chrono::microseconds(timestamp.nanos() / 1000)));
}

}  // namespace sitrep
