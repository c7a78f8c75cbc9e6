#include "logging/json_string.h"

#include <cstdio>

namespace sitrep {

void AppendJsonString(std::string& json, std::string_view value) {
  json += '"';
  for (;;) {
    // Runs without special bytes (nearly all text) are appended whole.
    size_t special = 0;
    while (special < value.size() && value[special] != '"' && value[special] != '\\' &&
           static_cast<unsigned char>(value[special]) >= 0x20) {
      ++special;
    }
    json.append(value.substr(0, special));
    if (special == value.size()) break;
    const char c = value[special];
    switch (c) {
      case '"':
      case '\\':
        json += '\\';
        json += c;
        break;
      case '\n':
        json += "\\n";
        break;
      case '\r':
        json += "\\r";
        break;
      case '\t':
        json += "\\t";
        break;
      default: {
        char escaped[8];
        std::snprintf(escaped, sizeof escaped, "\\u%04x", static_cast<unsigned char>(c));
        json += escaped;
      }
    }
    value.remove_prefix(special + 1);
  }
  json += '"';
}

std::string JsonString(std::string_view value) {
  std::string json;
  AppendJsonString(json, value);
  return json;
}

}  // namespace sitrep
