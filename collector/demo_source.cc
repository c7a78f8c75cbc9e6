#include "collector/demo_source.h"

#include <algorithm>

namespace sitrep::collector {
namespace {

constexpr uint64_t kChunkRecords = 1000;

}  // namespace

DemoSource::DemoSource(DemoOptions options, InputProgress start)
    : count_(options.count),
      generator_(std::move(options)),
      produced_(std::min(start.offset, count_)),
      done_(start.complete) {
  for (uint64_t i = 0; i < produced_; ++i) static_cast<void>(generator_.Next());
}

bool DemoSource::Next(ImportChunk& chunk) {
  chunk.Clear();
  if (done_) return false;
  const uint64_t end = std::min(count_, produced_ + kChunkRecords);
  for (; produced_ < end; ++produced_) chunk.records.push_back(generator_.Next());
  done_ = produced_ == count_;
  chunk.progress = InputProgress{produced_, produced_, done_};
  return true;
}

std::string DemoSource::Key(const DemoOptions& options) {
  return "demo:seed=" + std::to_string(options.seed) + ",count=" + std::to_string(options.count) +
         ",province=" + (options.province ? std::to_string(*options.province) : "all") +
         ",assets=" + std::to_string(options.asset_share) +
         ",duplicates=" + std::to_string(options.duplicate_share) +
         ",invalid=" + std::to_string(options.invalid_share);
}

}  // namespace sitrep::collector
