#pragma once

#include <cstdint>
#include <filesystem>
#include <string>

namespace sitrep::collector {

// A real, small filesystem for full-disk tests: a tmpfs of `bytes` mounted at a fresh temporary
// folder, inside a mount namespace of the calling thread alone (threads it starts later share
// it), so nothing outside the test process sees the mount and it vanishes with the process even
// after a crash. Needs root (CAP_SYS_ADMIN); mounted() says whether it worked, why_not() why not.
class SmallDisk final {
 public:
  explicit SmallDisk(uint64_t bytes);
  ~SmallDisk();  // unmounts and removes the folder
  SmallDisk(const SmallDisk&) = delete;
  SmallDisk& operator=(const SmallDisk&) = delete;

  [[nodiscard]] bool mounted() const { return mounted_; }
  [[nodiscard]] const std::string& why_not() const { return why_not_; }
  [[nodiscard]] const std::filesystem::path& path() const { return path_; }
  // Bytes in use on the filesystem, as df counts them.
  [[nodiscard]] uint64_t used_bytes() const;

 private:
  std::filesystem::path path_;
  bool mounted_ = false;
  std::string why_not_;
};

}  // namespace sitrep::collector
