#pragma once

#include <google/protobuf/timestamp.pb.h>

#include <chrono>
#include <string>

namespace sitrep::cli {

// Returns `time` in UTC as "2026-11-25 08:00:00Z" (whole seconds); "" when unset (zero).
[[nodiscard]] std::string FormatTimestamp(const google::protobuf::Timestamp& time);

// Returns `time` as a Timestamp, truncated to whole seconds.
[[nodiscard]] google::protobuf::Timestamp ToTimestamp(std::chrono::system_clock::time_point time);

}  // namespace sitrep::cli
