#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>

namespace sitrep::collector {

// Reads lines from a file descriptor without ever holding more than `max_line_bytes` of one
// line, so a hostile input cannot exhaust memory. Not thread-safe; does not own the fd.
class LineReader final {
 public:
  enum class Result {
    kLine,     // `line` holds the next line, without "\n" or "\r\n"
    kTooLong,  // the next line exceeded max_line_bytes; it was skipped through its end
    kIdle,     // no input arrived within the poll interval (pipes and terminals only)
    kEnd,      // end of input
  };

  // `start_offset` is where the fd is positioned, so offset() counts from the file's start.
  LineReader(int fd, size_t max_line_bytes, uint64_t start_offset = 0,
             std::chrono::milliseconds poll_interval = std::chrono::milliseconds(200));

  // The next line; throws std::system_error when reading fails. A last line without "\n" counts.
  [[nodiscard]] Result Next(std::string& line);

  // Bytes consumed through the last line returned (or skipped): where a rerun resumes.
  [[nodiscard]] uint64_t offset() const { return offset_; }

 private:
  bool Fill();  // false at end of input or when idle (then idle_ is set)

  const int fd_;
  const size_t max_line_bytes_;
  const std::chrono::milliseconds poll_interval_;
  std::string buffer_;
  size_t start_ = 0;  // first unconsumed byte in buffer_
  uint64_t offset_ = 0;
  bool eof_ = false;
  bool skipping_ = false;  // inside a line longer than max_line_bytes_
  bool idle_ = false;
};

}  // namespace sitrep::collector
