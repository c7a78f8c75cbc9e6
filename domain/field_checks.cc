#include "domain/field_checks.h"

#include <cstdint>

#include "domain/utf8.h"

namespace sitrep {
namespace {

bool IsUnstorable(const std::string& text) {
  return text.find('\0') != std::string::npos || !IsValidUtf8(text);
}

std::string UnstorableIn(const google::protobuf::Message& message, const std::string& prefix) {
  using google::protobuf::FieldDescriptor;
  const google::protobuf::Descriptor& descriptor = *message.GetDescriptor();
  const google::protobuf::Reflection& reflection = *message.GetReflection();
  for (int f = 0; f < descriptor.field_count(); ++f) {
    const FieldDescriptor* field = descriptor.field(f);
    const std::string path = prefix.empty() ? field->name() : prefix + "." + field->name();
    const bool is_string = field->cpp_type() == FieldDescriptor::CPPTYPE_STRING;
    const bool is_message = field->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE;
    if (!field->is_repeated()) {
      if (is_string && IsUnstorable(reflection.GetString(message, field))) return path;
      if (is_message && reflection.HasField(message, field)) {
        std::string inner = UnstorableIn(reflection.GetMessage(message, field), path);
        if (!inner.empty()) return inner;
      }
      continue;
    }
    for (int i = 0; i < reflection.FieldSize(message, field); ++i) {
      const std::string item = path + "[" + std::to_string(i) + "]";
      if (is_string && IsUnstorable(reflection.GetRepeatedString(message, field, i))) return item;
      if (!is_message) continue;
      if (!UnstorableIn(reflection.GetRepeatedMessage(message, field, i), "").empty()) {
        // A map's entries have no stable index: the map is named.
        return field->is_map()
                   ? path
                   : UnstorableIn(reflection.GetRepeatedMessage(message, field, i), item);
      }
    }
  }
  return "";
}

}  // namespace

bool CheckText(std::string_view text, const std::string& field, size_t min_chars, size_t max_chars,
               FieldViolations& violations, bool multiline) {
  uint32_t code_point = 0;
  size_t chars = 0;
  for (size_t pos = 0; pos < text.size(); ++chars) {
    const size_t length = DecodeUtf8(text, pos, code_point);
    if (length == 0) {
      violations.push_back({field, "INVALID_UTF8", field + " is not valid UTF-8."});
      return false;
    }
    const bool allowed_whitespace =
        multiline && (code_point == '\n' || code_point == '\t' || code_point == '\r');
    if (IsControlCharacter(code_point) && !allowed_whitespace) {
      violations.push_back({field, "CONTROL_CHARACTER", field + " contains a control character."});
      return false;
    }
    pos += length;
  }
  if (chars < min_chars) {
    violations.push_back({field, "REQUIRED", field + " is required."});
    return false;
  }
  if (chars > max_chars) {
    violations.push_back({field, "TOO_LONG",
                          field + " is longer than " + std::to_string(max_chars) + " characters."});
    return false;
  }
  return true;
}

std::string FirstUnstorableText(const google::protobuf::Message& message) {
  return UnstorableIn(message, "");
}

bool CheckIdentifier(std::string_view text, const std::string& field, size_t max_chars,
                     FieldViolations& violations) {
  if (text.empty()) {
    violations.push_back({field, "REQUIRED", field + " is required."});
    return false;
  }
  if (text.size() > max_chars) {
    violations.push_back({field, "TOO_LONG",
                          field + " is longer than " + std::to_string(max_chars) + " characters."});
    return false;
  }
  for (const char c : text) {
    const bool allowed = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                         (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-' || c == ':';
    if (!allowed) {
      violations.push_back(
          {field, "INVALID_CHARACTER", field + " may hold only letters, digits and . _ - :"});
      return false;
    }
  }
  return true;
}

bool CheckTimestamp(const google::protobuf::Timestamp& time, const std::string& field,
                    FieldViolations& violations) {
  if (time.nanos() < 0 || time.nanos() > 999'999'999) {
    violations.push_back({field, "INVALID_TIMESTAMP", field + " has nanos outside 0..999999999."});
    return false;
  }
  if (time.seconds() < kMinTimestampSeconds || time.seconds() > kMaxTimestampSeconds) {
    violations.push_back({field, "OUT_OF_RANGE", field + " lies outside the years 0001 to 9999."});
    return false;
  }
  return true;
}

bool CheckId(int64_t id, const std::string& field, FieldViolations& violations,
             bool zero_means_none) {
  if (id > 0 || (id == 0 && zero_means_none)) return true;
  violations.push_back(
      {field, "OUT_OF_RANGE",
       field + (zero_means_none ? " must not be negative." : " must be a positive id.")});
  return false;
}

}  // namespace sitrep
