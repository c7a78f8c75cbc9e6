#include "collector/csv_reader.h"

namespace sitrep::collector {

CsvReader::CsvReader(std::istream& in, uint64_t start_offset, uint64_t start_line,
                     size_t max_record_bytes)
    : in_(in), max_record_bytes_(max_record_bytes), offset_(start_offset), line_(start_line) {}

int CsvReader::Get() {
  const int c = in_.get();
  if (c == std::char_traits<char>::eof()) return -1;
  ++offset_;
  return c;
}

CsvReader::Result CsvReader::Next(std::vector<std::string>& fields, std::string& error) {
  fields.clear();
  error.clear();
  record_line_ = line_ + 1;
  int c = Get();
  if (c < 0) return Result::kEnd;
  size_t bytes = 0;
  std::string field;
  bool quoted = false;      // inside a quoted field
  bool was_quoted = false;  // the current field began with a quote that has closed
  // After an error the record is still read to its end, but nothing more is kept of it.
  const auto keep = [&](int byte) {
    if (error.empty()) field.push_back(static_cast<char>(byte));
  };
  for (;; c = Get()) {
    if (c >= 0 && ++bytes > max_record_bytes_ && error.empty()) {
      error = "record longer than " + std::to_string(max_record_bytes_) + " bytes";
    }
    if (quoted) {
      if (c < 0) {
        ++line_;
        fields.clear();
        error = "unterminated quoted field";
        return Result::kError;
      }
      if (c == '"' && in_.peek() == '"') {
        Get();
        keep('"');
      } else if (c == '"') {
        quoted = false;
        was_quoted = true;
      } else {
        if (c == '\n') ++line_;
        keep(c);
      }
      continue;
    }
    if (c == '\r' && in_.peek() == '\n') continue;  // CRLF ends a record like LF
    if (c < 0 || c == '\n') {
      ++line_;
      if (!error.empty()) {
        fields.clear();
        return Result::kError;
      }
      fields.push_back(std::move(field));
      return Result::kRecord;
    }
    if (c == ',') {
      if (error.empty()) fields.push_back(std::move(field));
      field.clear();
      was_quoted = false;
    } else if (c == '"' && field.empty() && !was_quoted) {
      quoted = true;
    } else if (was_quoted) {
      if (error.empty()) {
        error = "text after the closing quote of field " + std::to_string(fields.size() + 1);
      }
    } else {
      keep(c);
    }
  }
}

}  // namespace sitrep::collector
