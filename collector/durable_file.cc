#include "collector/durable_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <fstream>
#include <sstream>
#include <system_error>

namespace sitrep::collector {
namespace {

[[noreturn]] void ThrowErrno(const std::string& what, const std::filesystem::path& path) {
  throw std::system_error(errno, std::generic_category(), what + " " + path.string());
}

// Closes the descriptor on every path out of a function, including exceptions.
class FdCloser final {
 public:
  explicit FdCloser(int fd) : fd_(fd) {}
  FdCloser(const FdCloser&) = delete;
  FdCloser& operator=(const FdCloser&) = delete;
  ~FdCloser() { ::close(fd_); }

 private:
  int fd_;
};

}  // namespace

void WriteAll(int fd, std::string_view bytes, const std::filesystem::path& path) {
  while (!bytes.empty()) {
    const ssize_t written = ::write(fd, bytes.data(), bytes.size());
    if (written < 0) {
      if (errno == EINTR) continue;
      ThrowErrno("cannot write", path);
    }
    bytes.remove_prefix(static_cast<size_t>(written));
  }
}

void WriteAllAt(int fd, std::string_view bytes, uint64_t offset,
                const std::filesystem::path& path) {
  while (!bytes.empty()) {
    const ssize_t written = ::pwrite(fd, bytes.data(), bytes.size(), static_cast<off_t>(offset));
    if (written < 0) {
      if (errno == EINTR) continue;
      ThrowErrno("cannot write", path);
    }
    bytes.remove_prefix(static_cast<size_t>(written));
    offset += static_cast<uint64_t>(written);
  }
}

void SyncFile(int fd, const std::filesystem::path& path) {
  while (::fdatasync(fd) != 0) {
    if (errno != EINTR) ThrowErrno("cannot fsync", path);
  }
}

void SyncDirectory(const std::filesystem::path& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) ThrowErrno("cannot open folder", dir);
  FdCloser closer(fd);
  // fdatasync on a folder is not enough on every filesystem: directory entries are metadata.
  while (::fsync(fd) != 0) {
    if (errno != EINTR) ThrowErrno("cannot fsync folder", dir);
  }
}

void ReplaceFileAtomically(const std::filesystem::path& path, std::string_view content) {
  std::filesystem::path temp = path;
  temp += ".tmp";
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) ThrowErrno("cannot create", temp);
  try {
    {
      FdCloser closer(fd);
      WriteAll(fd, content, temp);
      SyncFile(fd, temp);
    }
    if (::rename(temp.c_str(), path.c_str()) != 0) ThrowErrno("cannot rename onto", path);
  } catch (...) {
    ::unlink(temp.c_str());
    throw;
  }
  SyncDirectory(path.parent_path().empty() ? std::filesystem::path(".") : path.parent_path());
}

std::optional<std::string> ReadSmallFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    if (!std::filesystem::exists(path)) return std::nullopt;
    ThrowErrno("cannot read", path);
  }
  std::ostringstream content;
  content << in.rdbuf();
  return content.str();
}

}  // namespace sitrep::collector
