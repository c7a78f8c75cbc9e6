#pragma once

#include <google/protobuf/generated_enum_reflection.h>
#include <google/protobuf/repeated_field.h>
#include <google/protobuf/timestamp.pb.h>

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

// How proto values are stored in columns; internal to storage/.
//
// Times cross the SQL boundary as microseconds since the Unix epoch (bigint): select
// `sitrep_micros(column)` and write `sitrep_time($n)` (storage/schema/01_reference.sql), which
// keeps full microsecond precision without parsing timestamp text.
//
// Enum columns hold the proto value's name without the enum's prefix: Role ROLE_PROVINCIAL is
// "PROVINCIAL", Tlp TLP_AMBER_STRICT is "AMBER_STRICT".
//
// Array columns are read as JSON: select `array_to_json(column)::text` and pass the field to
// ReadJsonArray. Their text format ({a,"b c"}) is never parsed here: quotes, backslashes and
// NULL need a full parser, and libpqxx 6.4's array_parser aborts the process on a single quote.
// They are written as ArrayLiteral (storage/copy_text.h), which quotes every element.

namespace pqxx {
class field;
}  // namespace pqxx

namespace sitrep::storage {

[[nodiscard]] int64_t ToMicros(const google::protobuf::Timestamp& timestamp);
[[nodiscard]] int64_t ToMicros(std::chrono::system_clock::time_point time);
[[nodiscard]] google::protobuf::Timestamp TimestampFromMicros(int64_t micros);

// The value of a NOT NULL sitrep_micros(...) column. For a nullable one, test is_null() first
// and leave the message field unset: calling mutable_…() would mark it present.
[[nodiscard]] google::protobuf::Timestamp TimestampFromMicros(const pqxx::field& micros);

// The text of every value of a proto enum is its name minus the prefix that the enum's
// value 0 ("<PREFIX>UNSPECIFIED") carries.
[[nodiscard]] std::string EnumText(const google::protobuf::EnumDescriptor& descriptor, int value);
// The value named `text` (without prefix); 0 (UNSPECIFIED) when no value has that name.
[[nodiscard]] int EnumValue(const google::protobuf::EnumDescriptor& descriptor,
                            std::string_view text);

// Appends the elements of a JSON array of strings (or of integers) to `out`; NULL adds none.
// Throws nlohmann::json's exception on anything else, which PostgreSQL's JSON never is.
void ReadJsonArray(const pqxx::field& json, google::protobuf::RepeatedPtrField<std::string>* out);
void ReadJsonArray(const pqxx::field& json, google::protobuf::RepeatedField<int64_t>* out);

template <class Enum>
[[nodiscard]] std::string EnumText(Enum value) {
  return EnumText(*google::protobuf::GetEnumDescriptor<Enum>(), static_cast<int>(value));
}

template <class Enum>
[[nodiscard]] Enum EnumFromText(std::string_view text) {
  return static_cast<Enum>(EnumValue(*google::protobuf::GetEnumDescriptor<Enum>(), text));
}

// Whether `text` is 64 hex digits, the form SHA-256 keys take as `decode($n, 'hex')`
// parameters. Key lookups check it first: text from a client that cannot be a hash is simply
// unknown, not a SQL error.
[[nodiscard]] bool IsSha256Hex(std::string_view text);

}  // namespace sitrep::storage
