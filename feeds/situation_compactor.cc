#include "feeds/situation_compactor.h"

#include <algorithm>
#include <exception>
#include <string>

#include "logging/log.h"

namespace sitrep::feeds {

SituationCompactor::SituationCompactor(storage::SituationStore& store,
                                       std::chrono::milliseconds interval)
    : store_(store), interval_(interval), thread_([this] { Run(); }) {}

SituationCompactor::~SituationCompactor() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

// Compaction costs CPU per incident revision (reading it, fanning it out, adding the sums), so
// under heavy ingest it must not take a core away from the writers: after a step that took t
// it rests t, which caps it at half of one core. A step folds up to
// SituationStore::kCompactionStep revisions in one transaction, which the feeds' horizon
// ignores (storage/feed_horizon.h). While steps find work it goes on at that pace; when none is
// left it waits the interval. Revisions that wait keep the answers exact (readers add them);
// the overview only reads more rows.
constexpr int kRestPerWorkUnit = 1;

void SituationCompactor::Run() {
  std::unique_lock lock(mu_);
  std::chrono::milliseconds rest = interval_;
  while (!wake_.wait_for(lock, rest, [this] { return stopping_; })) {
    lock.unlock();
    rest = interval_;
    try {
      const auto started = std::chrono::steady_clock::now();
      const int64_t moved = store_.Compact();
      const auto millis = std::chrono::duration_cast<std::chrono::milliseconds>(
          std::chrono::steady_clock::now() - started);
      rest = moved > 0 ? std::max(std::chrono::milliseconds(10), millis * kRestPerWorkUnit)
                       : interval_;
      if (moved > 0) {
        Log(LogLevel::kDebug, "situation.compacted",
            {{"records", std::to_string(moved)}, {"ms", std::to_string(millis.count())}});
      }
    } catch (const std::exception& error) {
      std::string reason = error.what();
      Log(LogLevel::kWarn, "situation.compaction_failed", {{"error", reason.substr(0, 200)}});
    }
    lock.lock();
  }
}

}  // namespace sitrep::feeds
