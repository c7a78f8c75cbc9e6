#include "collector/small_disk.h"

#include <sched.h>
#include <stdlib.h>
#include <sys/mount.h>
#include <sys/statvfs.h>

#include <cerrno>
#include <cstring>

namespace sitrep::collector {

SmallDisk::SmallDisk(uint64_t bytes) {
  std::string pattern = (std::filesystem::temp_directory_path() / "small-disk-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) {
    why_not_ = std::string("mkdtemp: ") + std::strerror(errno);
    return;
  }
  path_ = pattern;
  // A private namespace keeps the mount away from the rest of the machine; without MS_PRIVATE
  // it would still propagate to the host through a shared root mount.
  if (::unshare(CLONE_NEWNS) != 0) {
    why_not_ = std::string("unshare(CLONE_NEWNS): ") + std::strerror(errno);
    return;
  }
  if (::mount("none", "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0) {
    why_not_ = std::string("making / private: ") + std::strerror(errno);
    return;
  }
  const std::string options = "size=" + std::to_string(bytes) + ",mode=0700";
  if (::mount("tmpfs", path_.c_str(), "tmpfs", MS_NOSUID | MS_NODEV, options.c_str()) != 0) {
    why_not_ = std::string("mount -t tmpfs: ") + std::strerror(errno);
    return;
  }
  mounted_ = true;
}

SmallDisk::~SmallDisk() {
  if (mounted_) ::umount2(path_.c_str(), MNT_DETACH);
  std::error_code ignored;
  if (!path_.empty()) std::filesystem::remove_all(path_, ignored);
}

uint64_t SmallDisk::used_bytes() const {
  struct statvfs stats {};
  if (::statvfs(path_.c_str(), &stats) != 0) return 0;
  return (uint64_t{stats.f_blocks} - stats.f_bfree) * stats.f_frsize;
}

}  // namespace sitrep::collector
