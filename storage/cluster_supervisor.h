#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

#include "storage/embedded_cluster.h"

namespace sitrep::storage {

// Watches the postmaster of the embedded cluster and starts it again when it dies (kill -9,
// the OOM killer): sitrepd owns that cluster, and nobody else would bring it back. Attempts
// wait with exponential backoff; the death, each failed attempt and the recovery are logged.
// Runs its own thread until destroyed. `cluster` must outlive the supervisor and is used by
// nothing else meanwhile (stop the cluster only after destroying its supervisor).
class ClusterSupervisor final {
 public:
  struct Options {
    std::chrono::milliseconds interval{1000};       // between checks of the postmaster
    std::chrono::milliseconds first_backoff{250};   // before the first attempt, then doubled
    std::chrono::milliseconds max_backoff{30'000};  // the longest wait between attempts
  };

  // `on_restarted` is called on the supervisor's thread after every successful restart.
  ClusterSupervisor(EmbeddedCluster& cluster, Options options, std::function<void()> on_restarted);
  ~ClusterSupervisor();
  ClusterSupervisor(const ClusterSupervisor&) = delete;
  ClusterSupervisor& operator=(const ClusterSupervisor&) = delete;

 private:
  void Loop();
  // Restarts the cluster, retrying until it is up or the supervisor stops. Called and
  // returns with `lock` held; releases it while pg_ctl runs and while waiting.
  void Revive(std::unique_lock<std::mutex>& lock);

  EmbeddedCluster& cluster_;
  const Options options_;
  const std::function<void()> on_restarted_;
  std::mutex mu_;
  std::condition_variable wake_;
  bool stopping_ = false;  // guarded by mu_
  std::thread thread_;
};

}  // namespace sitrep::storage
