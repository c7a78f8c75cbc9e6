#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

namespace sitrep::storage {

// LISTENs on the feed channel (storage/schema/03_records.sql) on a connection of its own
// and wakes every waiting watcher when incidents, assets, notice targets (0006) or advisories
// (07_vulns.sql) commit; one per server, however many watchers. Reconnects on its own after
// PostgreSQL restarts, waking everybody so nothing committed meanwhile waits for the next
// change. Thread-safe.
class FeedListener final {
 public:
  enum class Table { kIncidents, kAssets, kNotificationTargets, kAdvisories };

  explicit FeedListener(std::string url);
  ~FeedListener();

  // The number of changes of `table` heard so far; pass it to WaitForChange.
  [[nodiscard]] uint64_t generation(Table table) const;
  // Waits until a change of `table` newer than `seen` is heard or `timeout` passes; returns
  // the new generation (the same one on a timeout).
  uint64_t WaitForChange(Table table, uint64_t seen, std::chrono::milliseconds timeout);
  // The newest transaction id that committed a change of `table` (0: none heard).
  [[nodiscard]] uint64_t latest_xid(Table table) const;
  // Wakes every waiter as a change of every table would, so that a watch that must end (its
  // credential ended) does not sleep out its wait first.
  void WakeAll();

 private:
  void Run();
  void Heard(const std::string& payload);

  const std::string url_;
  mutable std::mutex mu_;
  std::condition_variable changed_;
  static constexpr int kTables = 4;
  uint64_t generations_[kTables] = {};  // guarded by mu_
  uint64_t latest_xids_[kTables] = {};  // guarded by mu_
  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

}  // namespace sitrep::storage
