#include "storage/copy_text.h"

#include <cstdio>

namespace sitrep::storage {
namespace {

// COPY text format escapes only these; every other byte, UTF-8 included, passes as it is.
void AppendCopyEscaped(std::string& out, std::string_view value) {
  for (const char c : value) {
    switch (c) {
      case '\\':
        out += "\\\\";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      default:
        out += c;
    }
  }
}

}  // namespace

void CopyRow::Separate() {
  if (!first_) line_ += '\t';
  first_ = false;
}

CopyRow& CopyRow::Text(std::string_view value) {
  Separate();
  AppendCopyEscaped(line_, value);
  return *this;
}

CopyRow& CopyRow::Int(int64_t value) {
  Separate();
  line_ += std::to_string(value);
  return *this;
}

CopyRow& CopyRow::Bool(bool value) {
  Separate();
  line_ += value ? 't' : 'f';
  return *this;
}

CopyRow& CopyRow::Null() {
  Separate();
  line_ += "\\N";
  return *this;
}

std::string ArrayLiteral(const google::protobuf::RepeatedPtrField<std::string>& values) {
  // Every element quoted, so that commas, braces, spaces and the word NULL stay text.
  std::string literal = "{";
  for (int i = 0; i < values.size(); ++i) {
    if (i > 0) literal += ',';
    literal += '"';
    for (const char c : values[i]) {
      if (c == '"' || c == '\\') literal += '\\';
      literal += c;
    }
    literal += '"';
  }
  literal += '}';
  return literal;
}

std::string JsonObjectText(const google::protobuf::Map<std::string, std::string>& values) {
  std::string json = "{";
  bool first = true;
  for (const auto& [key, value] : values) {
    if (!first) json += ',';
    first = false;
    json += JsonString(key);
    json += ':';
    json += JsonString(value);
  }
  json += '}';
  return json;
}

std::string JsonString(std::string_view value) {
  std::string json = "\"";
  for (const char c : value) {
    const auto byte = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      json += '\\';
      json += c;
    } else if (byte < 0x20) {
      char escaped[8];
      std::snprintf(escaped, sizeof escaped, "\\u%04x", byte);
      json += escaped;
    } else {
      json += c;
    }
  }
  json += '"';
  return json;
}

}  // namespace sitrep::storage
