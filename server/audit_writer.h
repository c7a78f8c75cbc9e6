#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <mutex>
#include <thread>

#include "server/metrics.h"
#include "storage/audit_store.h"

namespace sitrep {

// Writes the audit entry of every call (SPEC §2 "Audit entry"), group-committed: one thread of
// its own writes every entry waiting, oldest first, in one transaction, so that calls
// finishing together share one round trip and one fsync, and a call waits about one commit.
//
// Two promises, by what the call did:
// - WriteBeforeReply (reads): returns true once the entry is durable. When the database cannot
//   take it, it returns false at once and keeps nothing: the caller must not send what it read
//   (no read ever escapes the log) and writes the entry of its refusal instead.
// - Write (everything else; the work is done whatever the log says): waits for the commit like
//   a read, but an entry the database cannot take (it is away) waits in a bounded buffer and
//   is written, in order, once the database answers again. An entry that finds the buffer
//   full is dropped and counted in sitrep_audit_dropped_total; an outage is logged when it
//   starts, when the buffer first fills and when it drains (with the counts), never per entry.
// Thread-safe. Destroying it makes one last attempt to write what waits; what the database
// still refuses then is dropped.
class AuditWriter final {
 public:
  struct Options {
    size_t max_entries = 10'000;                    // bound of the buffer in entries
    size_t max_bytes = 16u << 20;                   // and in bytes of the entries
    std::chrono::milliseconds retry_interval{500};  // between attempts while the database is away
  };

  AuditWriter(storage::AuditStore& store, Metrics& metrics, Options options);
  ~AuditWriter();
  AuditWriter(const AuditWriter&) = delete;
  AuditWriter& operator=(const AuditWriter&) = delete;

  // Stores `record` with the next group commit, or keeps it for later when the database is
  // away. Never throws for a database failure.
  void Write(storage::AuditRecord record);
  // Stores `record` with the next group commit; whether it is durable. Nothing is kept when
  // it is not. Never throws for a database failure.
  [[nodiscard]] bool WriteBeforeReply(storage::AuditRecord record);

 private:
  // Where a waiting call learns what became of its entry.
  struct Waiter {
    bool done = false;
    bool written = false;
  };
  struct Entry {
    storage::AuditRecord record;
    Waiter* waiter = nullptr;  // the call waiting for it; none once told
    bool keep = true;          // kept when the database is away (Write), or not (WriteBeforeReply)
  };

  // Queues the entry and waits until it is written or (for `keep`) buffered.
  bool Enqueue(storage::AuditRecord record, bool keep);
  void Loop();
  // Buffers `entry`, or drops and counts it when the buffer is full. Requires mu_.
  void Keep(Entry entry);
  // Writes the oldest waiting entries in one transaction; whether the database took them.
  // Called with `lock` held; releases it while writing.
  bool WriteOldest(std::unique_lock<std::mutex>& lock);
  // After a failed write: tells every waiting call, dropping the entries that are not kept.
  // Requires mu_.
  void Refuse(const std::string& error);
  // Logs the outage's counts once nothing waits any more. Requires mu_.
  void EndOutage();

  storage::AuditStore& store_;
  Metrics& metrics_;
  const Options options_;

  std::mutex mu_;
  std::condition_variable wake_;       // the writer thread: entries wait, or stopping
  std::condition_variable committed_;  // the calls: their entry was written or refused
  std::deque<Entry> pending_;          // guarded by mu_, oldest first
  size_t pending_bytes_ = 0;           // guarded by mu_
  bool in_outage_ = false;             // guarded by mu_: a write failed since the last drain
  size_t written_in_outage_ = 0;       // guarded by mu_
  size_t dropped_in_outage_ = 0;       // guarded by mu_
  bool stopping_ = false;              // guarded by mu_
  bool retry_now_ = false;             // guarded by mu_: a read waits for an attempt in an outage
  std::thread thread_;
};

}  // namespace sitrep
