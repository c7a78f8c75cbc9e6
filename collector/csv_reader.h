#pragma once

#include <cstddef>
#include <cstdint>
#include <istream>
#include <string>
#include <vector>

namespace sitrep::collector {

// RFC 4180 CSV: fields separated by ',', optionally quoted with '"' (a quoted field may hold
// commas, line breaks and "" for a quote), records ended by CRLF or LF. Not thread-safe.
class CsvReader final {
 public:
  enum class Result { kRecord, kError, kEnd };

  // Reads `in` from its current position, which is byte `start_offset` of the file and the
  // start of line `start_line` + 1 (for messages after a resume). No record may exceed
  // `max_record_bytes`.
  explicit CsvReader(std::istream& in, uint64_t start_offset = 0, uint64_t start_line = 0,
                     size_t max_record_bytes = size_t{1} << 20);

  // The next record's fields. kError leaves a sentence in `error`: an unterminated quote, a
  // stray quote inside a field, or an over-long record; reading goes on after the record's end
  // except after an unterminated quote (which runs to the end of the file).
  [[nodiscard]] Result Next(std::vector<std::string>& fields, std::string& error);

  // Bytes consumed through the last record: where a rerun resumes.
  [[nodiscard]] uint64_t offset() const { return offset_; }
  // Physical lines consumed through the last record.
  [[nodiscard]] uint64_t line() const { return line_; }
  // The line on which the last record began, for messages.
  [[nodiscard]] uint64_t record_line() const { return record_line_; }

 private:
  int Get();  // the next byte, or -1 at end

  std::istream& in_;
  const size_t max_record_bytes_;
  uint64_t offset_;
  uint64_t line_;
  uint64_t record_line_ = 0;
};

}  // namespace sitrep::collector
