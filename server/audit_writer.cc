#include "server/audit_writer.h"

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "logging/log.h"

namespace sitrep {
namespace {

// Entries written per transaction while draining: short transactions, few round trips.
constexpr size_t kDrainBatch = 500;

size_t BytesOf(const storage::AuditRecord& record) {
  return sizeof record + record.method.size() + record.target.size() + record.status.size() +
         record.peer.size();
}

}  // namespace

AuditWriter::AuditWriter(storage::AuditStore& store, Metrics& metrics, Options options)
    : store_(store), metrics_(metrics), options_(options), thread_([this] { Loop(); }) {}

AuditWriter::~AuditWriter() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

void AuditWriter::Write(storage::AuditRecord record) {
  {
    std::lock_guard lock(mu_);
    if (!pending_.empty()) {
      Keep(std::move(record));
      return;
    }
  }
  std::string error;
  try {
    store_.Append({record});
  } catch (const std::exception& failure) {
    error = failure.what();
  }
  std::lock_guard lock(mu_);
  if (error.empty()) {
    if (in_outage_ && pending_.empty()) EndOutage();
    return;
  }
  if (!in_outage_) {
    in_outage_ = true;
    Log(LogLevel::kWarn, "audit.buffering",
        {{"error", error.substr(0, error.find('\n'))},
         {"max_entries", std::to_string(options_.max_entries)},
         {"max_bytes", std::to_string(options_.max_bytes)}});
  }
  Keep(std::move(record));
  wake_.notify_one();
}

void AuditWriter::Keep(storage::AuditRecord record) {
  const size_t bytes = BytesOf(record);
  if (pending_.size() >= options_.max_entries || pending_bytes_ + bytes > options_.max_bytes) {
    if (dropped_in_outage_++ == 0) {
      Log(LogLevel::kError, "audit.buffer_full",
          {{"entries", std::to_string(pending_.size())},
           {"bytes", std::to_string(pending_bytes_)}});
    }
    metrics_.CountAuditDropped(1);
    return;
  }
  pending_bytes_ += bytes;
  pending_.push_back(std::move(record));
  metrics_.SetAuditBuffered(pending_.size());
}

void AuditWriter::Loop() {
  std::unique_lock lock(mu_);
  while (!stopping_) {
    wake_.wait(lock, [this] { return stopping_ || !pending_.empty(); });
    if (stopping_) break;
    if (!WriteOldest(lock)) {
      wake_.wait_for(lock, options_.retry_interval, [this] { return stopping_; });
    }
  }
  while (!pending_.empty() && WriteOldest(lock)) {
  }
  if (!pending_.empty()) {
    Log(LogLevel::kError, "audit.lost", {{"count", std::to_string(pending_.size())}});
    metrics_.CountAuditDropped(pending_.size());
    pending_.clear();
    pending_bytes_ = 0;
    metrics_.SetAuditBuffered(0);
  }
}

bool AuditWriter::WriteOldest(std::unique_lock<std::mutex>& lock) {
  // Entries leave the buffer only once committed, so calls finishing meanwhile see it
  // non-empty and queue behind them rather than overtaking them.
  const size_t count = std::min(pending_.size(), kDrainBatch);
  const std::vector<storage::AuditRecord> batch(pending_.begin(), pending_.begin() + count);
  lock.unlock();
  bool written = true;
  try {
    store_.Append(batch);
  } catch (const std::exception&) {
    written = false;  // the database is still away; "audit.buffering" said why
  }
  lock.lock();
  if (!written) return false;
  for (size_t i = 0; i < count; ++i) {
    pending_bytes_ -= BytesOf(pending_.front());
    pending_.pop_front();
  }
  written_in_outage_ += count;
  metrics_.SetAuditBuffered(pending_.size());
  if (pending_.empty()) EndOutage();
  return true;
}

void AuditWriter::EndOutage() {
  Log(dropped_in_outage_ == 0 ? LogLevel::kInfo : LogLevel::kError, "audit.buffer_drained",
      {{"written", std::to_string(written_in_outage_)},
       {"dropped", std::to_string(dropped_in_outage_)}});
  in_outage_ = false;
  written_in_outage_ = 0;
  dropped_in_outage_ = 0;
}

}  // namespace sitrep
