#pragma once

#include <sys/types.h>

#include <filesystem>
#include <string>
#include <vector>

namespace sitrep::testing {

// A program started with fork/exec, its stdout and stderr going to `log`; killed (SIGKILL)
// when destroyed if still running. For tests that kill and restart real binaries.
class ChildProcess final {
 public:
  ChildProcess(const std::vector<std::string>& argv, const std::filesystem::path& log);
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  void Kill(int signal);
  // Waits for the exit and returns the exit code (128 + N when killed by signal N).
  int Wait();
  [[nodiscard]] bool running();
  [[nodiscard]] pid_t pid() const { return pid_; }

 private:
  pid_t pid_ = -1;
  int status_ = -1;
};

// A TCP port on 127.0.0.1 that was free a moment ago.
[[nodiscard]] int FreePort();

}  // namespace sitrep::testing
