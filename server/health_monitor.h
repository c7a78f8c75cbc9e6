#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

namespace sitrep {

// Probes PostgreSQL every `interval` (storage::DatabaseProbe, on a connection of its own, so a
// busy pool cannot make the server look down) and reports each change of reachability to
// `on_change`, starting with the first answer. Runs its own thread until destroyed.
class HealthMonitor final {
 public:
  HealthMonitor(std::string database_url, std::chrono::milliseconds interval,
                std::function<void(bool serving)> on_change);
  ~HealthMonitor();
  HealthMonitor(const HealthMonitor&) = delete;
  HealthMonitor& operator=(const HealthMonitor&) = delete;

  [[nodiscard]] bool serving() const { return serving_.load(); }

 private:
  void Loop();

  const std::string database_url_;
  const std::chrono::milliseconds interval_;
  const std::function<void(bool)> on_change_;
  std::atomic<bool> serving_{false};
  std::mutex mu_;
  std::condition_variable wake_;
  bool stopping_ = false;  // guarded by mu_
  std::thread thread_;
};

// `url` with a libpq connect_timeout, in either URI or keyword/value form.
[[nodiscard]] std::string WithConnectTimeout(const std::string& url, int seconds);

}  // namespace sitrep
