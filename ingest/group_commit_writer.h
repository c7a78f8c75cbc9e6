#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <exception>
#include <functional>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <thread>
#include <unordered_map>
#include <variant>
#include <vector>

#include "domain/clock.h"
#include "domain/outcome.h"
#include "escalation/escalator.h"
#include "ingest/prepared_batch.h"
#include "storage/tx.h"

namespace sitrep::ingest {

// What a write that reached a stopping server hears (UNAVAILABLE): not a database failure,
// and another server, or this one once restarted, takes the resend.
[[nodiscard]] Error StoppingError();

// The write path's one door to PostgreSQL, and its mechanism only: batches from every stream
// queue here, and each writer thread takes as many as are waiting (up to a group's size) and
// commits them in one transaction, then reports each batch's verdicts. What is written and how
// each record fares is decided by WriteRecords (ingest/record_writer.h); this class queues,
// groups, commits, and, when PostgreSQL refuses a group, splits it until the refused records
// stand alone. Memory is bounded by the queue's byte budget: callers ask HasRoom() before
// reading more from the network, and WhenRoom() tells them when to resume. Thread-safe.
class GroupCommitWriter final {
 public:
  struct Options {
    int writers = 2;                      // threads, each with its own connection per group
    size_t max_queued_bytes = 64u << 20;  // beyond this HasRoom() is false
    size_t max_group_records = 4'000;     // records per transaction, at least one batch
    // Raises the notices of SPEC §5 inside each group's transaction (not owned; outlives the
    // writer); nullptr: no escalation.
    const escalation::Escalator* escalator = nullptr;
  };
  // The server stopped before the batch reached PostgreSQL (StoppingError()).
  struct Stopping {};
  // A batch's verdicts, the server stopping, or the exception that failed its transaction
  // (PostgreSQL away: the client resends, which idempotency makes safe).
  using Outcome = std::variant<WrittenBatch, Stopping, std::exception_ptr>;
  using Done = std::function<void(Outcome)>;
  // Called after every committed group with its latency and record count (metrics).
  using CommitObserver = std::function<void(std::chrono::steady_clock::duration, size_t)>;

  GroupCommitWriter(storage::Pool& pool, const Clock& clock, Options options,
                    CommitObserver on_commit = {});
  // Fails what is still queued with Stopping and joins the threads.
  ~GroupCommitWriter();

  // Queues `batch`; `done` runs on a writer thread once the batch is committed or failed.
  // Never blocks: the byte budget is enforced by callers through HasRoom().
  void Submit(PreparedBatch batch, Done done);
  // Submits and waits (unary calls): the verdicts, or StoppingError(); rethrows a failure.
  [[nodiscard]] sitrep::Outcome<WrittenBatch> Write(PreparedBatch batch);

  [[nodiscard]] bool HasRoom() const;
  // Runs `resume` once (on a writer thread) when HasRoom() becomes true; at once if it is.
  void WhenRoom(std::function<void()> resume);

  [[nodiscard]] size_t queued_batches() const;
  // The escalator of Options (nullptr: none), for writes outside the group path (amendments).
  [[nodiscard]] const escalation::Escalator* escalator() const { return options_.escalator; }

 private:
  struct Pending {
    PreparedBatch batch;
    Done done;
  };
  // A record of a group: its batch, kind and position in that batch's incidents or assets.
  enum class Kind { kIncident, kAsset, kAdvisory };
  struct RecordRef {
    size_t batch;
    Kind kind;
    size_t index;
  };
  // A record PostgreSQL refused, and what it said.
  struct Refusal {
    RecordRef record;
    std::string error;
  };

  // The verdict, the record and its index in the pushed batch that `ref` names.
  static RecordVerdict& VerdictAt(BatchVerdicts& verdicts, const RecordRef& ref);
  static const google::protobuf::Message& RecordAt(const PreparedBatch& batch,
                                                   const RecordRef& ref);
  static uint32_t IndexInBatch(const PreparedBatch& batch, const RecordRef& ref);

  // Whether Write keeps what it wrote or only finds out whether PostgreSQL takes it.
  enum class Mode { kCommit, kProbe };

  void RunWriter();
  // Commits `group` in one transaction and reports each batch's verdicts; on a statement
  // failure that isolating refused records does not cure, retries the batches one by one so
  // that the others still commit.
  void Commit(std::vector<Pending>& group);
  // Writes every record of `group`; when PostgreSQL refuses a value (bad data the checks
  // missed), finds the refused records (IsolateRefused), rejects them alone and writes the
  // others.
  std::vector<BatchVerdicts> WriteRefusing(std::vector<Pending>& group);
  // Writes the records `refs` of `group` in one transaction through WriteRecords; verdicts of
  // records not in `refs` are left for the caller to fill.
  std::vector<BatchVerdicts> Write(std::vector<Pending>& group, std::span<const RecordRef> refs,
                                   Mode mode);
  // Bisects `all` with rolled-back probes until each record PostgreSQL refuses stands alone.
  // `group_error` is what PostgreSQL said when the whole group failed.
  std::vector<Refusal> IsolateRefused(std::vector<Pending>& group, std::span<const RecordRef> all,
                                      const std::string& group_error);
  void Release(const std::vector<Pending>& group);

  // Set at construction.
  storage::Pool& pool_;
  const Clock& clock_;
  const Options options_;
  const CommitObserver on_commit_;

  mutable std::mutex mu_;
  std::condition_variable queued_;
  std::deque<Pending> queue_;                   // guarded by mu_
  size_t bytes_ = 0;                            // queued or being written; guarded by mu_
  std::vector<std::function<void()>> waiting_;  // guarded by mu_
  bool stopping_ = false;                       // guarded by mu_
  std::vector<std::thread> threads_;
};

}  // namespace sitrep::ingest
