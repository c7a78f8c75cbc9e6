#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "storage/situation_store.h"

namespace sitrep::feeds {

// Folds new incident revisions and asset writes into the situation rollups every `interval`
// on a thread of its own, so that overviews read compact rows
// (storage/schema/05_situation.sql). Readers
// are exact without it; it only keeps them fast. Stops (after a compaction in progress) when
// destroyed. A failing database is logged and retried at the next interval.
class SituationCompactor final {
 public:
  SituationCompactor(storage::SituationStore& store, std::chrono::milliseconds interval);
  ~SituationCompactor();
  SituationCompactor(const SituationCompactor&) = delete;
  SituationCompactor& operator=(const SituationCompactor&) = delete;

 private:
  void Run();

  storage::SituationStore& store_;
  const std::chrono::milliseconds interval_;
  std::mutex mu_;
  std::condition_variable wake_;
  bool stopping_ = false;  // guarded by mu_
  std::thread thread_;     // last: starts once the members above exist
};

}  // namespace sitrep::feeds
