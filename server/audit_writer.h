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

// Writes the audit entry of every call (SPEC §2 "Audit entry"). An entry the database cannot
// take (it is away) waits in a bounded buffer, and entries arriving while any waits queue
// behind it, so the log keeps the calls' order; a thread of its own writes them, oldest first,
// once the database answers again. An entry that finds the buffer full is dropped and counted
// in sitrep_audit_dropped_total; an outage is logged when it starts, when the buffer first
// fills and when it drains (with the counts), never per entry. Thread-safe. Destroying it
// makes one last attempt to write what waits; what the database still refuses then is dropped.
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

  // Stores `record` now, or keeps it for later when the database is away or older entries
  // still wait. Never throws for a database failure.
  void Write(storage::AuditRecord record);

 private:
  void Loop();
  // Buffers `record`, or drops and counts it when the buffer is full. Requires mu_.
  void Keep(storage::AuditRecord record);
  // Writes the oldest waiting entries in one transaction; whether the database took them.
  // Called with `lock` held; releases it while writing.
  bool WriteOldest(std::unique_lock<std::mutex>& lock);
  // Logs the outage's counts once nothing waits any more. Requires mu_.
  void EndOutage();

  storage::AuditStore& store_;
  Metrics& metrics_;
  const Options options_;

  std::mutex mu_;
  std::condition_variable wake_;
  std::deque<storage::AuditRecord> pending_;  // guarded by mu_, oldest first
  size_t pending_bytes_ = 0;                  // guarded by mu_
  bool in_outage_ = false;        // guarded by mu_: an entry failed since the last drain
  size_t written_in_outage_ = 0;  // guarded by mu_
  size_t dropped_in_outage_ = 0;  // guarded by mu_
  bool stopping_ = false;         // guarded by mu_
  std::thread thread_;
};

}  // namespace sitrep
