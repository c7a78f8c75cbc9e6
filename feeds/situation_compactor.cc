#include "feeds/situation_compactor.h"

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

void SituationCompactor::Run() {
  std::unique_lock lock(mu_);
  while (!wake_.wait_for(lock, interval_, [this] { return stopping_; })) {
    lock.unlock();
    try {
      const auto started = std::chrono::steady_clock::now();
      const int64_t moved = store_.Compact();
      if (moved > 0) {
        const auto millis = std::chrono::duration_cast<std::chrono::milliseconds>(
            std::chrono::steady_clock::now() - started);
        Log(LogLevel::kDebug, "situation.compacted",
            {{"deltas", std::to_string(moved)}, {"ms", std::to_string(millis.count())}});
      }
    } catch (const std::exception& error) {
      std::string reason = error.what();
      Log(LogLevel::kWarn, "situation.compaction_failed", {{"error", reason.substr(0, 200)}});
    }
    lock.lock();
  }
}

}  // namespace sitrep::feeds
