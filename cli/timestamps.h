#pragma once

#include <google/protobuf/timestamp.pb.h>

#include <chrono>
#include <string>

#include "domain/time_convert.h"  // ToTimestamp, shared with the server

namespace sitrep::cli {

// Returns `time` in UTC as "2026-11-25 08:00:00Z" (whole seconds); "" when unset (zero).
[[nodiscard]] std::string FormatTimestamp(const google::protobuf::Timestamp& time);

}  // namespace sitrep::cli
