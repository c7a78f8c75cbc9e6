#pragma once

#include <google/protobuf/timestamp.pb.h>

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "domain/time_convert.h"  // ToTimestamp, shared with the server

namespace CLI {
class Validator;
}

namespace sitrep::cli {

// Returns `time` in UTC as "2026-11-25 08:00:00Z" (whole seconds); "" when unset (zero).
[[nodiscard]] std::string FormatTimestamp(const google::protobuf::Timestamp& time);

// Parses a point in time given on a command line: a duration word (see ParseDurationWord) means
// that long before `now` ("24h": a day ago); otherwise an RFC 3339 time with its offset
// ("2026-11-25T08:00:00Z", "2026-11-25T16:00:00+08:00"), where a space may stand for the "T"
// (as FormatTimestamp prints), or a date alone ("2026-11-25": its midnight UTC). Returns
// nullopt for anything else.
[[nodiscard]] std::optional<google::protobuf::Timestamp> ParseTimeWord(
    std::string_view text, std::chrono::system_clock::time_point now);

// A CLI11 check that accepts exactly what ParseTimeWord() accepts; the option keeps the text,
// so the command parses it again against the time it runs at.
[[nodiscard]] CLI::Validator TimeWordValidator();

}  // namespace sitrep::cli
