#pragma once

#include <google/protobuf/timestamp.pb.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "domain/field_violation.h"
#include "domain/utf8.h"
#include "google/protobuf/message.h"

namespace sitrep {

// Small building blocks for the Check* functions: each appends a violation for `field` when
// the value is wrong and returns whether it was right.

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

// The years a google.protobuf.Timestamp may name (its own definition): 0001-01-01T00:00:00Z
// up to 9999-12-31T23:59:59.999999999Z. PostgreSQL's timestamptz holds all of them.
inline constexpr int64_t kMinTimestampSeconds = -62'135'596'800;
inline constexpr int64_t kMaxTimestampSeconds = 253'402'300'799;

// Checks that `time` is a Timestamp at all: nanos within 0..999,999,999 and seconds within the
// years 1..9999. Every Timestamp of a request passes here before anything computes with it:
// after it, seconds * 1,000,000 + nanos / 1000 fits in int64 and FromTimestamp is exact or
// saturates (domain/time_convert.h), so no time arithmetic can overflow.
bool CheckTimestamp(const google::protobuf::Timestamp& time, const std::string& field,
                    FieldViolations& violations);

// Checks an id that names a row of a bigint identity column (every id column is one): ids are
// positive; 0 is allowed when `zero_means_none` (the field's "unset" or "every"). Anything
// else could never match and would otherwise reach PostgreSQL.
bool CheckId(int64_t id, const std::string& field, FieldViolations& violations,
             bool zero_means_none = false);

}  // namespace sitrep
