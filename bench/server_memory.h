#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>

namespace sitrep::bench {

// GETs http://<address><path> (address "host:port") with a blocking HTTP/1.0 request and
// returns the body of a 200 answer; nullopt when the server cannot be reached, does not
// answer within `timeout` (for each of connect, send and every receive), or answers otherwise.
[[nodiscard]] std::optional<std::string> HttpGet(const std::string& address, std::string_view path,
                                                 std::chrono::milliseconds timeout);

// Samples the server's process_resident_memory_bytes from http://<address>/metrics every
// `interval` on its own thread, from construction until Stop(), and keeps the peak.
class ResidentMemoryPeak final {
 public:
  ResidentMemoryPeak(std::string address, std::chrono::milliseconds interval);
  // Stops sampling if Stop() has not.
  ~ResidentMemoryPeak();

  ResidentMemoryPeak(const ResidentMemoryPeak&) = delete;
  ResidentMemoryPeak& operator=(const ResidentMemoryPeak&) = delete;

  // Stops sampling (after one last sample) and returns the peak in bytes; nullopt when no
  // sample could be taken. Call it once, from the thread that made the object.
  [[nodiscard]] std::optional<double> Stop();

 private:
  void Run();
  void Sample();

  // Set at construction.
  const std::string address_;
  const std::chrono::milliseconds interval_;

  std::mutex mu_;
  std::condition_variable stop_requested_;
  bool stopping_ = false;       // guarded by mu_
  std::optional<double> peak_;  // guarded by mu_
  std::thread thread_;
};

}  // namespace sitrep::bench
