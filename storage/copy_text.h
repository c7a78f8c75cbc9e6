#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "google/protobuf/map.h"
#include "google/protobuf/repeated_ptr_field.h"

// Building rows of COPY's text format, for the bulk writes of the ingest path; internal to
// storage/. A row is fields separated by tabs; the caller ends nothing (the writer adds the
// line end).

namespace sitrep::storage {

// `value` as a JSON string literal, quotes included.
[[nodiscard]] std::string JsonString(std::string_view value);
// `values` as a text[] literal, every element quoted: {"a","b"}.
[[nodiscard]] std::string ArrayLiteral(
    const google::protobuf::RepeatedPtrField<std::string>& values);
// `values` as a JSON object of strings.
[[nodiscard]] std::string JsonObjectText(
    const google::protobuf::Map<std::string, std::string>& values);

class CopyRow final {
 public:
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
  // Already-encoded JSON text (a jsonb column).
  CopyRow& Json(std::string_view json) { return Text(json); }

  [[nodiscard]] const std::string& line() const { return line_; }

 private:
  void Separate();
  std::string line_;
  bool first_ = true;
};

}  // namespace sitrep::storage
