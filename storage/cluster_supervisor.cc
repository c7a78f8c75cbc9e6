#include "storage/cluster_supervisor.h"

#include <algorithm>
#include <string>
#include <utility>

#include "logging/log.h"

namespace sitrep::storage {

ClusterSupervisor::ClusterSupervisor(EmbeddedCluster& cluster, Options options,
                                     std::function<void()> on_restarted)
    : cluster_(cluster),
      options_(options),
      on_restarted_(std::move(on_restarted)),
      thread_([this] { Loop(); }) {}

ClusterSupervisor::~ClusterSupervisor() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

void ClusterSupervisor::Loop() {
  std::unique_lock lock(mu_);
  while (!wake_.wait_for(lock, options_.interval, [this] { return stopping_; })) {
    lock.unlock();
    const bool alive = cluster_.postmaster_alive();
    lock.lock();
    if (!alive && !stopping_) Revive(lock);
  }
}

void ClusterSupervisor::Revive(std::unique_lock<std::mutex>& lock) {
  const auto died = std::chrono::steady_clock::now();
  Log(LogLevel::kWarn, "postgres.died", {});
  // The dead postmaster's backends and auxiliary processes hold its shared memory until they
  // notice it is gone, and PostgreSQL refuses to start beside them: the first attempt waits a
  // moment, and each failure waits twice as long as the one before.
  std::chrono::milliseconds backoff = options_.first_backoff;
  for (int attempt = 1;; ++attempt) {
    if (wake_.wait_for(lock, backoff, [this] { return stopping_; })) return;
    lock.unlock();
    std::string error;
    try {
      cluster_.RestartAfterDeath();
    } catch (const std::exception& failure) {
      error = failure.what();
    }
    lock.lock();
    if (error.empty()) {
      const auto down = std::chrono::duration_cast<std::chrono::milliseconds>(
          std::chrono::steady_clock::now() - died);
      Log(LogLevel::kInfo, "postgres.restarted",
          {{"attempts", std::to_string(attempt)}, {"down_ms", std::to_string(down.count())}});
      on_restarted_();
      return;
    }
    backoff = std::min(backoff * 2, options_.max_backoff);
    Log(LogLevel::kWarn, "postgres.restart_failed",
        {{"attempt", std::to_string(attempt)},
         {"error", error},
         {"retry_in_ms", std::to_string(backoff.count())}});
  }
}

}  // namespace sitrep::storage
