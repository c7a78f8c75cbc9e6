#include "ingest/group_commit_writer.h"

#include <algorithm>
#include <future>
#include <stdexcept>
#include <tuple>
#include <utility>

#include "domain/field_checks.h"
#include "domain/principal.h"
#include "ingest/record_writer.h"
#include "logging/log.h"
#include "storage/copy_text.h"

namespace sitrep::ingest {
namespace {

// The identity a group transaction starts with: nobody, so that the write policies admit no
// row until WriteRecords has set the real caller of each batch's rows.
Principal WriterPrincipal() {
  Principal writer;
  writer.name = "ingest-writer";
  return writer;
}

// Thrown by a probe's body so that InTransaction rolls its writes back.
struct ProbeDone {};

std::string WhatOf(const std::exception_ptr& error) {
  try {
    std::rethrow_exception(error);
  } catch (const std::exception& e) {
    return e.what();
  } catch (...) {
    return "unknown error";
  }
}

// The verdict of a record PostgreSQL refused: named by its column when PostgreSQL names one,
// else by the first field that holds bytes that are not text (PostgreSQL refuses those, NUL or
// not UTF-8, for the whole line).
RecordVerdict RefusedVerdict(const google::protobuf::Message& record, const std::string& error) {
  std::string field = storage::RefusedField(error);
  if (field.empty()) field = FirstUnstorableText(record);
  const std::string named = field.empty() ? "a value" : field;
  return RecordVerdict{
      RecordVerdict::kRejected, 0,
      FieldViolation{field, "REFUSED_BY_DATABASE",
                     "the database refused " + named + " of this record; it was not stored."},
      std::nullopt};
}

size_t RecordsOf(const PreparedBatch& batch) {
  return batch.incidents.size() + batch.assets.size() + batch.advisories.size();
}

}  // namespace

RecordVerdict& GroupCommitWriter::VerdictAt(BatchVerdicts& verdicts, const RecordRef& ref) {
  switch (ref.kind) {
    case Kind::kIncident:
      return verdicts.incidents[ref.index];
    case Kind::kAsset:
      return verdicts.assets[ref.index];
    case Kind::kAdvisory:
      break;
  }
  return verdicts.advisories[ref.index];
}

const google::protobuf::Message& GroupCommitWriter::RecordAt(const PreparedBatch& batch,
                                                             const RecordRef& ref) {
  switch (ref.kind) {
    case Kind::kIncident:
      return *batch.incidents[ref.index];
    case Kind::kAsset:
      return *batch.assets[ref.index];
    case Kind::kAdvisory:
      break;
  }
  return *batch.advisories[ref.index];
}

uint32_t GroupCommitWriter::IndexInBatch(const PreparedBatch& batch, const RecordRef& ref) {
  switch (ref.kind) {
    case Kind::kIncident:
      return batch.incident_indices[ref.index];
    case Kind::kAsset:
      return batch.asset_indices[ref.index];
    case Kind::kAdvisory:
      break;
  }
  return batch.advisory_indices[ref.index];
}

Error StoppingError() {
  return Error{ErrorCode::kUnavailable,
               "the server is stopping and did not store this batch; resend it once the server "
               "is back.",
               {}};
}

GroupCommitWriter::GroupCommitWriter(storage::Pool& pool, const Clock& clock, Options options,
                                     CommitObserver on_commit)
    : pool_(pool), clock_(clock), options_(options), on_commit_(std::move(on_commit)) {
  for (int i = 0; i < std::max(options_.writers, 1); ++i) {
    threads_.emplace_back([this] { RunWriter(); });
  }
}

GroupCommitWriter::~GroupCommitWriter() {
  std::deque<Pending> abandoned;
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
    abandoned.swap(queue_);
  }
  queued_.notify_all();
  for (std::thread& thread : threads_) thread.join();
  for (Pending& pending : abandoned) pending.done(Stopping{});
}

void GroupCommitWriter::Submit(PreparedBatch batch, Done done) {
  {
    std::lock_guard lock(mu_);
    if (!stopping_) {
      bytes_ += batch.bytes;
      queue_.push_back({std::move(batch), std::move(done)});
      queued_.notify_one();
      return;
    }
  }
  done(Stopping{});
}

sitrep::Outcome<WrittenBatch> GroupCommitWriter::Write(PreparedBatch batch) {
  std::promise<Outcome> promise;
  std::future<Outcome> future = promise.get_future();
  Submit(std::move(batch), [&promise](Outcome outcome) { promise.set_value(std::move(outcome)); });
  Outcome outcome = future.get();
  if (auto* error = std::get_if<std::exception_ptr>(&outcome)) std::rethrow_exception(*error);
  if (std::holds_alternative<Stopping>(outcome)) return StoppingError();
  return std::get<WrittenBatch>(std::move(outcome));
}

bool GroupCommitWriter::HasRoom() const {
  std::lock_guard lock(mu_);
  return bytes_ < options_.max_queued_bytes;
}

void GroupCommitWriter::WhenRoom(std::function<void()> resume) {
  {
    std::lock_guard lock(mu_);
    if (bytes_ >= options_.max_queued_bytes && !stopping_) {
      waiting_.push_back(std::move(resume));
      return;
    }
  }
  resume();
}

size_t GroupCommitWriter::queued_batches() const {
  std::lock_guard lock(mu_);
  return queue_.size();
}

void GroupCommitWriter::RunWriter() {
  for (;;) {
    std::vector<Pending> group;
    {
      std::unique_lock lock(mu_);
      queued_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (stopping_) return;
      size_t records = 0;
      while (!queue_.empty() && (group.empty() || records < options_.max_group_records)) {
        records += RecordsOf(queue_.front().batch);
        group.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
    }
    Commit(group);
  }
}

void GroupCommitWriter::Commit(std::vector<Pending>& group) {
  const auto start = std::chrono::steady_clock::now();
  std::exception_ptr failure;
  try {
    std::vector<BatchVerdicts> verdicts = WriteRefusing(group);
    if (on_commit_) {
      size_t records = 0;
      for (const Pending& pending : group) {
        records += RecordsOf(pending.batch);
      }
      on_commit_(std::chrono::steady_clock::now() - start, records);
    }
    Release(group);
    for (size_t i = 0; i < group.size(); ++i) {
      group[i].done(WrittenBatch{std::move(group[i].batch), std::move(verdicts[i])});
    }
    return;
  } catch (...) {
    failure = std::current_exception();
  }
  // PostgreSQL refused a statement (not the connection): maybe one batch's data. Alone, each
  // batch either commits or fails by itself.
  if (group.size() > 1 && storage::ClassifyFailure(failure) != storage::FailureKind::kOther) {
    for (Pending& pending : group) {
      std::vector<Pending> one;
      one.push_back(std::move(pending));
      Commit(one);
    }
    return;
  }
  Release(group);
  for (Pending& pending : group) pending.done(failure);
}

std::vector<BatchVerdicts> GroupCommitWriter::WriteRefusing(std::vector<Pending>& group) {
  std::vector<RecordRef> all;
  for (size_t b = 0; b < group.size(); ++b) {
    const PreparedBatch& batch = group[b].batch;
    for (size_t i = 0; i < batch.incidents.size(); ++i) all.push_back({b, Kind::kIncident, i});
    for (size_t i = 0; i < batch.assets.size(); ++i) all.push_back({b, Kind::kAsset, i});
    for (size_t i = 0; i < batch.advisories.size(); ++i) all.push_back({b, Kind::kAdvisory, i});
  }
  try {
    return Write(group, all, Mode::kCommit);
  } catch (...) {
    const std::exception_ptr error = std::current_exception();
    // Refused data is settled record by record; once the refused records are out, the rest
    // commits. Should the refusal not come from any one record, the group fails.
    if (storage::ClassifyFailure(error) != storage::FailureKind::kRefusedData) throw;
    const std::vector<Refusal> refused = IsolateRefused(group, all, WhatOf(error));
    if (refused.empty()) throw;
    std::vector<RecordRef> rest;
    for (const RecordRef& ref : all) {
      if (std::none_of(refused.begin(), refused.end(), [&](const Refusal& refusal) {
            return std::tie(refusal.record.batch, refusal.record.kind, refusal.record.index) ==
                   std::tie(ref.batch, ref.kind, ref.index);
          })) {
        rest.push_back(ref);
      }
    }
    std::vector<BatchVerdicts> verdicts = Write(group, rest, Mode::kCommit);
    for (const auto& [ref, why] : refused) {
      const PreparedBatch& batch = group[ref.batch].batch;
      RecordVerdict& verdict = VerdictAt(verdicts[ref.batch], ref);
      verdict = RefusedVerdict(RecordAt(batch, ref), why);
      Log(LogLevel::kError, "ingest.record_refused",
          {{"index", std::to_string(IndexInBatch(batch, ref))},
           {"field", verdict.violation->field},
           {"error", why}});
    }
    return verdicts;
  }
}

std::vector<GroupCommitWriter::Refusal> GroupCommitWriter::IsolateRefused(
    std::vector<Pending>& group, std::span<const RecordRef> all, const std::string& group_error) {
  // Each range is known to fail (the whole group did); its halves are probed.
  std::vector<Refusal> refused;
  std::vector<std::span<const RecordRef>> failing = {all};
  while (!failing.empty()) {
    const std::span<const RecordRef> range = failing.back();
    failing.pop_back();
    if (range.size() == 1) {  // only the whole group can be a range of one not yet probed
      refused.push_back({range[0], group_error});
      continue;
    }
    for (const std::span<const RecordRef> half :
         {range.first(range.size() / 2), range.subspan(range.size() / 2)}) {
      try {
        (void)Write(group, half, Mode::kProbe);
      } catch (const ProbeDone&) {
      } catch (...) {
        const std::exception_ptr error = std::current_exception();
        if (storage::ClassifyFailure(error) != storage::FailureKind::kRefusedData) throw;
        if (half.size() == 1) {
          refused.push_back({half[0], WhatOf(error)});
        } else {
          failing.push_back(half);
        }
      }
    }
  }
  return refused;
}

std::vector<BatchVerdicts> GroupCommitWriter::Write(std::vector<Pending>& group,
                                                    std::span<const RecordRef> refs, Mode mode) {
  std::vector<RecordsToWrite> views(group.size());
  std::vector<std::vector<size_t>> incident_at(group.size());  // view position -> batch index
  std::vector<std::vector<size_t>> asset_at(group.size());
  std::vector<std::vector<size_t>> advisory_at(group.size());
  for (size_t b = 0; b < group.size(); ++b) {
    views[b].caller = &group[b].batch.caller;
    views[b].return_rows = group[b].batch.return_rows;
  }
  for (const RecordRef& ref : refs) {
    PreparedBatch& batch = group[ref.batch].batch;
    switch (ref.kind) {
      case Kind::kIncident:
        views[ref.batch].incidents.push_back(batch.incidents[ref.index]);
        incident_at[ref.batch].push_back(ref.index);
        break;
      case Kind::kAsset:
        views[ref.batch].assets.push_back(batch.assets[ref.index]);
        asset_at[ref.batch].push_back(ref.index);
        break;
      case Kind::kAdvisory:
        views[ref.batch].advisories.push_back(batch.advisories[ref.index]);
        advisory_at[ref.batch].push_back(ref.index);
        break;
    }
  }
  const auto now = clock_.Now();
  std::vector<BatchVerdicts> written =
      storage::InTransaction(pool_, WriterPrincipal(), [&](storage::Tx& tx) {
        std::vector<BatchVerdicts> verdicts = WriteRecords(tx, views, options_.escalator, now);
        if (mode == Mode::kProbe) throw ProbeDone{};
        return verdicts;
      });
  std::vector<BatchVerdicts> verdicts(group.size());
  for (size_t b = 0; b < group.size(); ++b) {
    verdicts[b].incidents.resize(group[b].batch.incidents.size());
    verdicts[b].assets.resize(group[b].batch.assets.size());
    verdicts[b].advisories.resize(group[b].batch.advisories.size());
    for (size_t k = 0; k < incident_at[b].size(); ++k) {
      verdicts[b].incidents[incident_at[b][k]] = std::move(written[b].incidents[k]);
    }
    for (size_t k = 0; k < asset_at[b].size(); ++k) {
      verdicts[b].assets[asset_at[b][k]] = std::move(written[b].assets[k]);
    }
    for (size_t k = 0; k < advisory_at[b].size(); ++k) {
      verdicts[b].advisories[advisory_at[b][k]] = std::move(written[b].advisories[k]);
    }
  }
  return verdicts;
}

void GroupCommitWriter::Release(const std::vector<Pending>& group) {
  std::vector<std::function<void()>> resume;
  {
    std::lock_guard lock(mu_);
    for (const Pending& pending : group) bytes_ -= std::min(bytes_, pending.batch.bytes);
    if (bytes_ < options_.max_queued_bytes) resume.swap(waiting_);
  }
  for (auto& callback : resume) callback();
}

}  // namespace sitrep::ingest
