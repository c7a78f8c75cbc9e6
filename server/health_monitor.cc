#include "server/health_monitor.h"

#include "logging/log.h"
#include "storage/database_probe.h"

namespace sitrep {

std::string WithConnectTimeout(const std::string& url, int seconds) {
  const std::string timeout = "connect_timeout=" + std::to_string(seconds);
  if (url.rfind("postgres://", 0) == 0 || url.rfind("postgresql://", 0) == 0) {
    return url + (url.find('?') == std::string::npos ? "?" : "&") + timeout;
  }
  return url + " " + timeout;
}

HealthMonitor::HealthMonitor(std::string database_url, std::chrono::milliseconds interval,
                             std::function<void(bool serving)> on_change)
    : database_url_(WithConnectTimeout(database_url, 2)),
      interval_(interval),
      on_change_(std::move(on_change)),
      thread_([this] { Loop(); }) {}

HealthMonitor::~HealthMonitor() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

void HealthMonitor::Loop() {
  storage::DatabaseProbe probe(database_url_);
  bool first = true;
  std::unique_lock lock(mu_);
  while (!stopping_) {
    lock.unlock();
    std::string error;
    const bool reachable = probe.Reachable(&error);
    if (!reachable && (serving_.load() || first)) {
      Log(LogLevel::kWarn, "database.unreachable", {{"error", error}});
    }
    if (first || reachable != serving_.load()) {
      serving_.store(reachable);
      if (!first || !reachable) {
        Log(reachable ? LogLevel::kInfo : LogLevel::kWarn, "health.changed",
            {{"serving", reachable ? "true" : "false"}});
      }
      on_change_(reachable);
      first = false;
    }
    lock.lock();
    wake_.wait_for(lock, interval_, [this] { return stopping_; });
  }
}

}  // namespace sitrep
