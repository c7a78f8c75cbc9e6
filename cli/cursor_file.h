#pragma once

#include <filesystem>
#include <string>

namespace sitrep::cli {

// The feed position that `--follow FILE` keeps between runs, so that a consumer re-run by cron
// continues where the last run stopped (SPEC §4: following the cursor never misses or repeats
// a record). The file holds the cursor and a newline. Not thread-safe.
class CursorFile final {
 public:
  // Takes the lock of `path` (the file `path`.lock beside it, which stays; a lock held by a
  // process ends with it) and reads the cursor: "" when `path` does not exist yet. Throws
  // UsageError when `path` or its lock cannot be opened or read, std::runtime_error when
  // another process holds the lock (two runs would print the same records).
  explicit CursorFile(std::filesystem::path path);
  ~CursorFile();

  CursorFile(const CursorFile&) = delete;
  CursorFile& operator=(const CursorFile&) = delete;

  [[nodiscard]] const std::filesystem::path& path() const { return path_; }

  // The cursor last read or saved; "" for the start of the feed.
  [[nodiscard]] const std::string& cursor() const { return cursor_; }

  // Makes `cursor` the file's content, atomically and durably: it is written to `path`.tmp,
  // flushed to disk and renamed over `path`, so that a crash leaves the old cursor or the new
  // one, never a mix or nothing. Does nothing when `cursor` is the one already there. Throws
  // std::runtime_error naming the file when it cannot.
  void Save(const std::string& cursor);

 private:
  const std::filesystem::path path_;
  int lock_fd_ = -1;
  std::string cursor_;
};

}  // namespace sitrep::cli
