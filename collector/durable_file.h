#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace sitrep::collector {

// Small-file and fsync primitives of the spool. Every function throws std::system_error naming
// the path when the operating system refuses.

// Replaces `path` with `content` so that a crash at any instant leaves either the old or the new
// content, never a mix: writes `path`.tmp, fsyncs it, renames it over `path`, fsyncs the folder.
// When it fails before the rename, `path` is unchanged and `path`.tmp is removed (on a full disk
// it would hold the space the next attempt needs).
void ReplaceFileAtomically(const std::filesystem::path& path, std::string_view content);

// The whole content of `path`, or nullopt when it does not exist.
[[nodiscard]] std::optional<std::string> ReadSmallFile(const std::filesystem::path& path);

// Makes the folder's entries (created, renamed or removed files) durable.
void SyncDirectory(const std::filesystem::path& dir);

// Makes `fd`'s data durable (fdatasync); `path` only names it in the error.
void SyncFile(int fd, const std::filesystem::path& path);

// Writes all of `bytes` to `fd`, retrying short writes and EINTR.
void WriteAll(int fd, std::string_view bytes, const std::filesystem::path& path);

// Writes all of `bytes` to `fd` at `offset` (pwrite: the file position is not used, so a failed
// write can be repeated at the same place), retrying short writes and EINTR.
void WriteAllAt(int fd, std::string_view bytes, uint64_t offset, const std::filesystem::path& path);

}  // namespace sitrep::collector
