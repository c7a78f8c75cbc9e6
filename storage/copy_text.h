#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "google/protobuf/map.h"
#include "google/protobuf/repeated_ptr_field.h"
#include "logging/json_string.h"

// Building rows of COPY's text format, for the bulk writes of the ingest path; internal to
// storage/. A row is fields separated by tabs, appended straight to the buffer of the whole
// COPY (BulkCopy::Row) so that a batch of a thousand rows costs no allocation per row.

namespace sitrep::storage {

// `values` as a text[] literal, every element quoted: {"a","b"}.
[[nodiscard]] std::string ArrayLiteral(
    const google::protobuf::RepeatedPtrField<std::string>& values);
// `values` as a JSON object of strings, keys in byte order.
[[nodiscard]] std::string JsonObjectText(
    const google::protobuf::Map<std::string, std::string>& values);

// The record field whose value PostgreSQL refused, from the CONTEXT of its error about a staging
// row ("COPY asset_staging, line 3, column ip: ..."), or "" when the error names no column
// (bytes that are not text in the server's encoding are refused for the whole line).
[[nodiscard]] std::string RefusedField(std::string_view error);

class CopyRow final {
 public:
  // Appends fields to `out`, which already ends where this row begins.
  explicit CopyRow(std::string& out) : out_(out) {}

  CopyRow& Text(std::string_view value);
  CopyRow& Int(int64_t value);
  CopyRow& Bool(bool value);
  CopyRow& Null();
  // `value`, or NULL when it is zero: optional references such as enterprise_id.
  CopyRow& IdOrNull(int64_t value) { return value == 0 ? Null() : Int(value); }
  CopyRow& TextArray(const google::protobuf::RepeatedPtrField<std::string>& values) {
    return Text(ArrayLiteral(values));
  }
  CopyRow& JsonObject(const google::protobuf::Map<std::string, std::string>& values) {
    return Text(JsonObjectText(values));
  }
  // A time as microseconds since the Unix epoch: staging columns are bigint, turned into
  // timestamptz by sitrep_time() (storage/sql_types.h).
  CopyRow& Micros(int64_t micros) { return Int(micros); }
  // Already-encoded JSON text (a jsonb column).
  CopyRow& Json(std::string_view json) { return Text(json); }

 private:
  void Separate();
  std::string& out_;
  bool first_ = true;
};

}  // namespace sitrep::storage
