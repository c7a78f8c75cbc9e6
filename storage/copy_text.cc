#include "storage/copy_text.h"

#include <algorithm>
#include <charconv>
#include <utility>
#include <vector>

namespace sitrep::storage {
namespace {

// The index of the first byte of `value` that `special` picks, or value.size().
template <class Special>
size_t FindFirst(std::string_view value, Special special) {
  size_t i = 0;
  while (i < value.size() && !special(value[i])) ++i;
  return i;
}

// COPY text format escapes only these; every other byte, UTF-8 included, passes as it is.
// Runs without them (nearly all text) are appended whole.
void AppendCopyEscaped(std::string& out, std::string_view value) {
  while (!value.empty()) {
    const size_t special =
        FindFirst(value, [](char c) { return c == '\\' || c == '\t' || c == '\n' || c == '\r'; });
    out.append(value.substr(0, special));
    if (special == value.size()) return;
    switch (value[special]) {
      case '\\':
        out += "\\\\";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\n':
        out += "\\n";
        break;
      default:
        out += "\\r";
    }
    value.remove_prefix(special + 1);
  }
}

}  // namespace

void CopyRow::Separate() {
  if (!first_) out_ += '\t';
  first_ = false;
}

CopyRow& CopyRow::Text(std::string_view value) {
  Separate();
  AppendCopyEscaped(out_, value);
  return *this;
}

CopyRow& CopyRow::Int(int64_t value) {
  Separate();
  char digits[24];
  const auto end = std::to_chars(digits, digits + sizeof digits, value).ptr;
  out_.append(digits, end);
  return *this;
}

CopyRow& CopyRow::Bool(bool value) {
  Separate();
  out_ += value ? 't' : 'f';
  return *this;
}

CopyRow& CopyRow::Null() {
  Separate();
  out_ += "\\N";
  return *this;
}

std::string ArrayLiteral(const google::protobuf::RepeatedPtrField<std::string>& values) {
  // Every element quoted, so that commas, braces, spaces and the word NULL stay text.
  std::string literal = "{";
  for (int i = 0; i < values.size(); ++i) {
    if (i > 0) literal += ',';
    literal += '"';
    std::string_view value = values[i];
    for (;;) {
      const size_t special = FindFirst(value, [](char c) { return c == '"' || c == '\\'; });
      literal.append(value.substr(0, special));
      if (special == value.size()) break;
      literal += '\\';
      literal += value[special];
      value.remove_prefix(special + 1);
    }
    literal += '"';
  }
  literal += '}';
  return literal;
}

std::string JsonObjectText(const google::protobuf::Map<std::string, std::string>& values) {
  // A protobuf map iterates in an order that changes from process to process; sorted keys make
  // the text a function of the map (sitrep-bench's loads are the same bytes for the same seed).
  std::vector<const google::protobuf::MapPair<std::string, std::string>*> pairs;
  pairs.reserve(values.size());
  for (const auto& pair : values) pairs.push_back(&pair);
  std::sort(pairs.begin(), pairs.end(),
            [](const auto* a, const auto* b) { return a->first < b->first; });
  std::string json = "{";
  for (const auto* pair : pairs) {
    if (json.size() > 1) json += ',';
    AppendJsonString(json, pair->first);
    json += ':';
    AppendJsonString(json, pair->second);
  }
  json += '}';
  return json;
}

std::string RefusedField(std::string_view error) {
  constexpr std::string_view kColumn = ", column ";
  const size_t context = error.find("CONTEXT:");
  if (context == std::string_view::npos) return "";
  const size_t at = error.find(kColumn, context);
  if (at == std::string_view::npos) return "";
  const std::string_view rest = error.substr(at + kColumn.size());
  const std::string column(rest.substr(0, rest.find_first_not_of("abcdefghijklmnopqrstuvwxyz_")));
  // The staging columns that are not named as the proto field they hold.
  static const std::pair<std::string_view, std::string_view> kRenamed[] = {
      {"occurred_micros", "occur_time"},
      {"detected_micros", "detect_time"},
      {"first_micros", "last_seen_time"},
      {"last_micros", "last_seen_time"},
      {"asset_type", "type"},
      {"ord", ""},
      {"observations", ""},
      {"reporter_id", ""}};
  for (const auto& [staged, field] : kRenamed) {
    if (column == staged) return std::string(field);
  }
  return column;
}

}  // namespace sitrep::storage
