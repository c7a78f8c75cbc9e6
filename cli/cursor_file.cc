#include "cli/cursor_file.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

#include "cli/usage_error.h"

namespace sitrep::cli {
namespace {

std::string ErrnoText() { return std::strerror(errno); }

// Writes all of `text` to `fd`, retrying short writes and interruptions.
bool WriteAll(int fd, const std::string& text) {
  std::size_t written = 0;
  while (written < text.size()) {
    const ssize_t n = ::write(fd, text.data() + written, text.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    written += static_cast<std::size_t>(n);
  }
  return true;
}

// The cursor in `path`; "" when it does not exist. Surrounding whitespace is not part of it
// (an editor may have added a newline).
std::string ReadCursor(const std::filesystem::path& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return std::string();
    throw UsageError("cannot read cursor file " + path.string() + ": " + ErrnoText());
  }
  std::string content;
  char buffer[4096];
  for (;;) {
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      const std::string error = ErrnoText();
      ::close(fd);
      throw UsageError("cannot read cursor file " + path.string() + ": " + error);
    }
    if (n == 0) break;
    content.append(buffer, static_cast<std::size_t>(n));
  }
  ::close(fd);
  const std::size_t first = content.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) return std::string();
  return content.substr(first, content.find_last_not_of(" \t\r\n") + 1 - first);
}

}  // namespace

CursorFile::CursorFile(std::filesystem::path path) : path_(std::move(path)) {
  // The lock lives in a file of its own: Save() replaces `path` by rename, and a lock taken on
  // the replaced file would not keep a second run, opening the new one, out.
  const std::string lock_path = path_.string() + ".lock";
  lock_fd_ = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0666);
  if (lock_fd_ < 0) {
    throw UsageError("cannot open lock file " + lock_path + ": " + ErrnoText());
  }
  if (::flock(lock_fd_, LOCK_EX | LOCK_NB) != 0) {
    const bool busy = errno == EWOULDBLOCK;
    const std::string error = ErrnoText();
    ::close(lock_fd_);
    if (busy) {
      throw std::runtime_error("another sitrep is following " + path_.string() + " (it holds " +
                               lock_path + ")");
    }
    throw UsageError("cannot lock " + lock_path + ": " + error);
  }
  try {
    cursor_ = ReadCursor(path_);
  } catch (...) {
    ::close(lock_fd_);
    throw;
  }
}

CursorFile::~CursorFile() { ::close(lock_fd_); }  // closing releases the flock

void CursorFile::Save(const std::string& cursor) {
  if (cursor == cursor_) return;
  const std::string temp = path_.string() + ".tmp";
  const auto fail = [&](const std::string& what) {
    throw std::runtime_error("cannot save the cursor to " + path_.string() + " (" + what +
                             "): " + ErrnoText());
  };
  // The lock makes this process the only writer, so a fixed temporary name cannot collide.
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
  if (fd < 0) fail("open " + temp);
  if (!WriteAll(fd, cursor + "\n") || ::fsync(fd) != 0) {
    const int error = errno;
    ::close(fd);
    errno = error;
    fail("write " + temp);
  }
  if (::close(fd) != 0) fail("close " + temp);
  if (::rename(temp.c_str(), path_.c_str()) != 0) fail("rename " + temp);
  // The rename is durable once the directory holding the entry is on disk too.
  std::filesystem::path directory = path_.parent_path();
  if (directory.empty()) directory = ".";
  const int dir_fd = ::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir_fd < 0) fail("open " + directory.string());
  const int synced = ::fsync(dir_fd);
  ::close(dir_fd);
  if (synced != 0) fail("sync " + directory.string());
  cursor_ = cursor;
}

}  // namespace sitrep::cli
