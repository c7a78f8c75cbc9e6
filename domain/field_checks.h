#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "domain/field_violation.h"
#include "google/protobuf/message.h"

namespace sitrep {

// Small building blocks for the Check* functions: each appends a violation for `field` when
// the value is wrong and returns whether it was right.

// True when `text` is well-formed UTF-8 (no overlongs, surrogates or code points > U+10FFFF).
[[nodiscard]] bool IsValidUtf8(std::string_view text);

// Number of code points of well-formed UTF-8 `text`.
[[nodiscard]] size_t Utf8Length(std::string_view text);

// Checks that `text` is valid UTF-8 without control characters (tab and newline allowed when
// `multiline`) and holds between `min_chars` and `max_chars` code points.
bool CheckText(std::string_view text, const std::string& field, size_t min_chars, size_t max_chars,
               FieldViolations& violations, bool multiline = false);

// Checks an identifier such as a principal name: 1..max_chars of [A-Za-z0-9._:-].
bool CheckIdentifier(std::string_view text, const std::string& field, size_t max_chars,
                     FieldViolations& violations);

// The path of the first string of `message` (nested messages and repeated fields included, as
// "indicators[1].value"; a map is named whole) that PostgreSQL cannot store as text: one that
// holds a NUL or is not UTF-8. "" when there is none. For naming what the database refused.
[[nodiscard]] std::string FirstUnstorableText(const google::protobuf::Message& message);

}  // namespace sitrep
