#include "cli/timestamps.h"

#include <google/protobuf/util/time_util.h>

#include <CLI/CLI.hpp>
#include <ctime>

#include "cli/duration_words.h"

namespace sitrep::cli {
namespace {

constexpr std::size_t kDateLength = 10;  // "2026-11-25"

}  // namespace

std::string FormatTimestamp(const google::protobuf::Timestamp& time) {
  if (time.seconds() == 0 && time.nanos() == 0) return std::string();
  const std::time_t seconds = static_cast<std::time_t>(time.seconds());
  std::tm utc{};
  if (gmtime_r(&seconds, &utc) == nullptr) return std::to_string(time.seconds());
  char text[64];
  const std::size_t length = std::strftime(text, sizeof text, "%Y-%m-%d %H:%M:%SZ", &utc);
  return std::string(text, length);
}

std::optional<google::protobuf::Timestamp> ParseTimeWord(
    std::string_view text, std::chrono::system_clock::time_point now) {
  if (const std::optional<std::chrono::seconds> ago = ParseDurationWord(text)) {
    return ToTimestamp(now - *ago);
  }
  std::string rfc3339(text);
  if (rfc3339.size() == kDateLength) {
    rfc3339 += "T00:00:00Z";
  } else if (rfc3339.size() > kDateLength && rfc3339[kDateLength] == ' ') {
    rfc3339[kDateLength] = 'T';
  }
  google::protobuf::Timestamp time;
  if (!google::protobuf::util::TimeUtil::FromString(rfc3339, &time)) return std::nullopt;
  return time;
}

CLI::Validator TimeWordValidator() {
  return CLI::Validator(
      [](std::string& input) -> std::string {
        if (ParseTimeWord(input, std::chrono::system_clock::now())) return std::string();
        return "'" + input +
               "' is neither a duration such as 24h or 7d nor a time such as "
               "2026-11-25T08:00:00Z";
      },
      "TIME");
}

}  // namespace sitrep::cli
