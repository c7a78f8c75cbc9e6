#pragma once

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

namespace sitrep {

enum class LogLevel { kDebug, kInfo, kWarn, kError };

// One key and its value in a log line; numbers are passed as text by the caller.
struct LogField {
  std::string_view key;
  std::string value;
};

// Parses "debug", "info", "warn" or "error"; nullopt for anything else.
[[nodiscard]] std::optional<LogLevel> ParseLogLevel(std::string_view text);

// The process-wide threshold. Log lines are a process-wide sink (stderr) by nature, so the
// level is the one piece of global state; it defaults to kInfo. Thread-safe.
void SetLogLevel(LogLevel level);

// Writes one JSON object per line to stderr: {"time":…,"level":…,"event":…, fields…}.
// Thread-safe; lines of concurrent callers never interleave.
void Log(LogLevel level, std::string_view event, std::initializer_list<LogField> fields = {});

// The same line as Log would write, without the time; exposed for tests.
[[nodiscard]] std::string FormatLogLine(std::string_view time, LogLevel level,
                                        std::string_view event,
                                        std::initializer_list<LogField> fields);

}  // namespace sitrep
