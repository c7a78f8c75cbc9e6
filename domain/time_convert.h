#pragma once

#include <google/protobuf/timestamp.pb.h>

#include <chrono>

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

[[nodiscard]] inline std::chrono::system_clock::time_point FromTimestamp(
    const google::protobuf::Timestamp& timestamp) {
  return std::chrono::system_clock::time_point(
      std::chrono::duration_cast<std::chrono::system_clock::duration>(
          std::chrono::seconds(timestamp.seconds()) +
          std::chrono::microseconds(timestamp.nanos() / 1000)));
}

}  // namespace sitrep
