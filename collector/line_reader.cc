#include "collector/line_reader.h"

#include <poll.h>
#include <unistd.h>

#include <cerrno>
#include <system_error>

namespace sitrep::collector {
namespace {

constexpr size_t kReadBytes = 64 << 10;

}  // namespace

LineReader::LineReader(int fd, size_t max_line_bytes, uint64_t start_offset,
                       std::chrono::milliseconds poll_interval)
    : fd_(fd),
      max_line_bytes_(max_line_bytes),
      poll_interval_(poll_interval),
      offset_(start_offset) {}

bool LineReader::Fill() {
  idle_ = false;
  if (eof_) return false;
  // poll() says a regular file is always readable, so this waits only on pipes and terminals,
  // where the caller wants control back now and then (to commit what it has, or to stop).
  pollfd ready{fd_, POLLIN, 0};
  const int polled = ::poll(&ready, 1, static_cast<int>(poll_interval_.count()));
  if (polled == 0 || (polled < 0 && errno == EINTR)) {
    idle_ = true;
    return false;
  }
  if (start_ > 0) {
    buffer_.erase(0, start_);
    start_ = 0;
  }
  const size_t old_size = buffer_.size();
  buffer_.resize(old_size + kReadBytes);
  ssize_t got = 0;
  do {
    got = ::read(fd_, buffer_.data() + old_size, kReadBytes);
  } while (got < 0 && errno == EINTR);
  if (got < 0) {
    buffer_.resize(old_size);
    throw std::system_error(errno, std::generic_category(), "cannot read input");
  }
  buffer_.resize(old_size + static_cast<size_t>(got));
  if (got == 0) eof_ = true;
  return got > 0;
}

LineReader::Result LineReader::Next(std::string& line) {
  for (;;) {
    const size_t newline = buffer_.find('\n', start_);
    if (newline != std::string::npos) {
      const size_t length = newline - start_;
      const bool too_long = skipping_ || length > max_line_bytes_;
      if (!too_long) {
        line.assign(buffer_, start_, length);
        if (!line.empty() && line.back() == '\r') line.pop_back();
      }
      offset_ += length + 1;
      start_ = newline + 1;
      skipping_ = false;
      return too_long ? Result::kTooLong : Result::kLine;
    }
    if (buffer_.size() - start_ > max_line_bytes_) {
      // Drop what is buffered of an over-long line and keep skipping until its end.
      offset_ += buffer_.size() - start_;
      buffer_.clear();
      start_ = 0;
      skipping_ = true;
    }
    if (Fill()) continue;
    if (idle_) return Result::kIdle;
    const size_t rest = buffer_.size() - start_;
    if (!skipping_ && rest == 0) return Result::kEnd;
    const bool too_long = skipping_;
    if (!too_long) {
      line.assign(buffer_, start_, rest);
      if (!line.empty() && line.back() == '\r') line.pop_back();
    }
    offset_ += rest;
    buffer_.clear();
    start_ = 0;
    skipping_ = false;
    return too_long ? Result::kTooLong : Result::kLine;
  }
}

}  // namespace sitrep::collector
