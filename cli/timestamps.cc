#include "cli/timestamps.h"

#include <ctime>

namespace sitrep::cli {

std::string FormatTimestamp(const google::protobuf::Timestamp& time) {
  if (time.seconds() == 0 && time.nanos() == 0) return std::string();
  const std::time_t seconds = static_cast<std::time_t>(time.seconds());
  std::tm utc{};
  if (gmtime_r(&seconds, &utc) == nullptr) return std::to_string(time.seconds());
  char text[64];
  const std::size_t length = std::strftime(text, sizeof text, "%Y-%m-%d %H:%M:%SZ", &utc);
  return std::string(text, length);
}

}  // namespace sitrep::cli
