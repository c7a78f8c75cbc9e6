#pragma once

#include <string>
#include <string_view>

namespace sitrep {

// JSON string literals, one escaping for every JSON the server writes by hand: log lines
// (logging/log.h) and the JSON values storage sends to PostgreSQL (storage/copy_text.h).

// Appends `value` as a JSON string literal, quotes included: '"' and '\' escaped, line feed,
// carriage return and tab as \n, \r and \t, other bytes below 0x20 as \u00XX. Every other
// byte, UTF-8 included, passes as it is.
void AppendJsonString(std::string& json, std::string_view value);

// `value` as a JSON string literal.
[[nodiscard]] std::string JsonString(std::string_view value);

}  // namespace sitrep
