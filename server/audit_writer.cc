#include "server/audit_writer.h"

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "logging/log.h"

namespace sitrep {
namespace {

// Entries written per transaction: one statement either way (storage::AuditStore::Append), so
// this only bounds the statement's size.
constexpr size_t kBatch = 1'000;

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
  (void)Enqueue(std::move(record), /*keep=*/true);
}

bool AuditWriter::WriteBeforeReply(storage::AuditRecord record) {
  return Enqueue(std::move(record), /*keep=*/false);
}

bool AuditWriter::Enqueue(storage::AuditRecord record, bool keep) {
  Waiter waiter;
  std::unique_lock lock(mu_);
  if (stopping_ || (in_outage_ && keep)) {
    // The writer is going, or the database is away: an entry that may wait does so in the
    // buffer, behind older entries.
    if (keep) Keep(Entry{std::move(record), nullptr, true});
    return false;
  }
  // A read in an outage asks for an attempt now rather than at the next retry: the database
  // may be back, and a refused attempt costs one failed connection.
  if (in_outage_) retry_now_ = true;
  pending_bytes_ += BytesOf(record);
  pending_.push_back(Entry{std::move(record), &waiter, keep});
  wake_.notify_one();
  committed_.wait(lock, [&] { return waiter.done; });
  return waiter.written;
}

void AuditWriter::Keep(Entry entry) {
  const size_t bytes = BytesOf(entry.record);
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
  pending_.push_back(std::move(entry));
  metrics_.SetAuditBuffered(pending_.size());
}

void AuditWriter::Loop() {
  std::unique_lock lock(mu_);
  while (!stopping_) {
    wake_.wait(lock, [this] { return stopping_ || !pending_.empty(); });
    if (stopping_) break;
    if (!WriteOldest(lock)) {
      wake_.wait_for(lock, options_.retry_interval, [this] { return stopping_ || retry_now_; });
    }
    retry_now_ = false;
  }
  while (!pending_.empty() && WriteOldest(lock)) {
  }
  if (!pending_.empty()) {
    Refuse("the server is stopping");
    Log(LogLevel::kError, "audit.lost", {{"count", std::to_string(pending_.size())}});
    metrics_.CountAuditDropped(pending_.size());
    pending_.clear();
    pending_bytes_ = 0;
    metrics_.SetAuditBuffered(0);
  }
}

bool AuditWriter::WriteOldest(std::unique_lock<std::mutex>& lock) {
  // Entries leave the queue only once committed, so entries queued meanwhile wait behind
  // them rather than overtaking them.
  const size_t count = std::min(pending_.size(), kBatch);
  std::vector<storage::AuditRecord> batch;
  batch.reserve(count);
  for (size_t i = 0; i < count; ++i) batch.push_back(pending_[i].record);
  lock.unlock();
  std::string error;
  try {
    store_.Append(batch);
  } catch (const std::exception& failure) {
    error = failure.what();
    if (error.empty()) error = "unknown failure";
  }
  lock.lock();
  if (!error.empty()) {
    Refuse(error);
    return false;
  }
  for (size_t i = 0; i < count; ++i) {
    if (Waiter* waiter = pending_.front().waiter) *waiter = Waiter{.done = true, .written = true};
    pending_bytes_ -= BytesOf(pending_.front().record);
    pending_.pop_front();
  }
  committed_.notify_all();
  if (in_outage_) {
    written_in_outage_ += count;
    metrics_.SetAuditBuffered(pending_.size());
    if (pending_.empty()) EndOutage();
  }
  return true;
}

void AuditWriter::Refuse(const std::string& error) {
  if (!in_outage_) {
    in_outage_ = true;
    Log(LogLevel::kWarn, "audit.buffering",
        {{"error", error.substr(0, error.find('\n'))},
         {"max_entries", std::to_string(options_.max_entries)},
         {"max_bytes", std::to_string(options_.max_bytes)}});
  }
  std::deque<Entry> kept;
  size_t kept_bytes = 0;
  for (Entry& entry : pending_) {
    if (entry.waiter)
      *std::exchange(entry.waiter, nullptr) = Waiter{.done = true, .written = false};
    if (!entry.keep) continue;
    const size_t bytes = BytesOf(entry.record);
    if (kept.size() >= options_.max_entries || kept_bytes + bytes > options_.max_bytes) {
      if (dropped_in_outage_++ == 0) {
        Log(LogLevel::kError, "audit.buffer_full",
            {{"entries", std::to_string(kept.size())}, {"bytes", std::to_string(kept_bytes)}});
      }
      metrics_.CountAuditDropped(1);
      continue;
    }
    kept_bytes += bytes;
    kept.push_back(std::move(entry));
  }
  pending_ = std::move(kept);
  pending_bytes_ = kept_bytes;
  committed_.notify_all();
  metrics_.SetAuditBuffered(pending_.size());
}

void AuditWriter::EndOutage() {
  Log(dropped_in_outage_ == 0 ? LogLevel::kInfo : LogLevel::kError, "audit.buffer_drained",
      {{"written", std::to_string(written_in_outage_)},
       {"dropped", std::to_string(dropped_in_outage_)}});
  in_outage_ = false;
  written_in_outage_ = 0;
  dropped_in_outage_ = 0;
  metrics_.SetAuditBuffered(0);
}

}  // namespace sitrep
