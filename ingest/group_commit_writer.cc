#include "ingest/group_commit_writer.h"

#include <algorithm>
#include <future>
#include <pqxx/pqxx>
#include <span>
#include <stdexcept>
#include <tuple>
#include <utility>

#include "domain/field_checks.h"
#include "domain/principal.h"
#include "domain/time_convert.h"
#include "ingest/write_permission.h"
#include "logging/log.h"
#include "storage/asset_store.h"
#include "storage/copy_text.h"
#include "storage/enterprise_store.h"
#include "storage/incident_store.h"
#include "storage/transaction.h"

namespace sitrep::ingest {
namespace {

// The identity of the group transactions: they mix several callers' batches, each of which
// was authorised record by record before it was queued.
Principal WriterPrincipal() {
  Principal writer;
  writer.name = "ingest-writer";
  writer.role = v1::ROLE_ADMIN;
  return writer;
}

v1::Rejection DatabaseRejection(v1::RecordKind kind, uint32_t index, const std::string& key,
                                const char* field, const char* reason, std::string message) {
  v1::Rejection rejection;
  rejection.set_kind(kind);
  rejection.set_index(index);
  rejection.set_key(key);
  rejection.set_field(field);
  rejection.set_reason(reason);
  rejection.set_message(std::move(message));
  return rejection;
}

// Fills an enterprise caller's own id into a record that names no enterprise, then checks the
// named enterprise against the registry. Returns a rejection when it is wrong.
template <class Record>
std::optional<v1::Rejection> ResolveEnterprise(
    Record& record, const Principal& caller,
    const std::unordered_map<int64_t, storage::EnterpriseFacts>& facts, v1::RecordKind kind,
    uint32_t index, const std::string& key) {
  if (caller.is(v1::ROLE_ENTERPRISE) && record.enterprise_id() == 0) {
    record.set_enterprise_id(caller.enterprise_id);
  }
  const auto found = facts.find(record.enterprise_id());
  const std::optional<uint32_t> registered_province =
      found == facts.end() ? std::nullopt : std::optional(found->second.province);
  if (std::optional<FieldViolation> wrong = CheckEnterpriseInProvince(
          record.province(), record.enterprise_id(), registered_province, "")) {
    return DatabaseRejection(kind, index, key, wrong->field.c_str(), wrong->reason.c_str(),
                             std::move(wrong->description));
  }
  return std::nullopt;
}

std::vector<int64_t> ReferencedEnterprises(const std::vector<PreparedBatch*>& batches) {
  std::vector<int64_t> ids;
  for (const PreparedBatch* batch : batches) {
    if (batch->caller.enterprise_id != 0) ids.push_back(batch->caller.enterprise_id);
    for (const v1::Incident* incident : batch->incidents) {
      if (incident->enterprise_id() != 0) ids.push_back(incident->enterprise_id());
    }
    for (const v1::Asset* asset : batch->assets) {
      if (asset->enterprise_id() != 0) ids.push_back(asset->enterprise_id());
    }
  }
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  return ids;
}

// A record of a group: its batch, kind and position in that batch's incidents or assets.
struct RecordRef {
  size_t batch;
  bool incident;
  size_t index;
};

// Thrown by a probe's body so that InTransaction rolls its writes back.
struct ProbeDone {};

// Whether the exception being handled is PostgreSQL refusing a value or a row (classes 22 and
// 23), which one record can cause, rather than a statement or the connection failing.
bool IsDataError(const std::exception_ptr& error) {
  try {
    std::rethrow_exception(error);
  } catch (const pqxx::data_exception&) {
    return true;
  } catch (const pqxx::integrity_constraint_violation&) {
    return true;
  } catch (...) {
    return false;
  }
}

// The batches of `group` holding only the records of `refs` (pointers into the group's arenas).
std::vector<PreparedBatch> Subset(const std::vector<PreparedBatch*>& group,
                                  std::span<const RecordRef> refs) {
  std::vector<PreparedBatch> subset(group.size());
  for (size_t b = 0; b < group.size(); ++b) subset[b].caller = group[b]->caller;
  for (const RecordRef& ref : refs) {
    const PreparedBatch& from = *group[ref.batch];
    PreparedBatch& to = subset[ref.batch];
    if (ref.incident) {
      to.incidents.push_back(from.incidents[ref.index]);
      to.incident_indices.push_back(from.incident_indices[ref.index]);
    } else {
      to.assets.push_back(from.assets[ref.index]);
      to.asset_indices.push_back(from.asset_indices[ref.index]);
    }
  }
  return subset;
}

void Count(KindCounts& counts, v1::PushAck& ack, storage::WriteResult::Outcome outcome) {
  if (outcome == storage::WriteResult::kStored) {
    ++counts.accepted;
    ack.set_accepted(ack.accepted() + 1);
  } else {
    ++counts.duplicates;
    ack.set_duplicates(ack.duplicates() + 1);
  }
}

}  // namespace

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
  for (Pending& pending : abandoned) {
    pending.done(std::make_exception_ptr(pqxx::broken_connection("the server is stopping")));
  }
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
  done(std::make_exception_ptr(pqxx::broken_connection("the server is stopping")));
}

BatchResult GroupCommitWriter::Write(PreparedBatch batch) {
  std::promise<Outcome> promise;
  std::future<Outcome> future = promise.get_future();
  Submit(std::move(batch), [&promise](Outcome outcome) { promise.set_value(std::move(outcome)); });
  Outcome outcome = future.get();
  if (auto* error = std::get_if<std::exception_ptr>(&outcome)) std::rethrow_exception(*error);
  return std::get<BatchResult>(std::move(outcome));
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
        records += queue_.front().batch.incidents.size() + queue_.front().batch.assets.size();
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
    std::vector<PreparedBatch*> batches;
    for (Pending& pending : group) batches.push_back(&pending.batch);
    std::vector<BatchResult> results;
    try {
      results = WriteBatches(batches, Mode::kCommit);
    } catch (const pqxx::sql_error& error) {
      // Refused data is settled record by record; once the refused records are out, the rest
      // commits. Should the refusal not come from any one record, the group fails below.
      if (!IsDataError(std::current_exception()) || IsolateRefused(group, error.what()) == 0) {
        throw;
      }
      results = WriteBatches(batches, Mode::kCommit);
    }
    if (on_commit_) {
      size_t records = 0;
      for (const Pending& pending : group) {
        records += pending.batch.incidents.size() + pending.batch.assets.size();
      }
      on_commit_(std::chrono::steady_clock::now() - start, records);
    }
    Release(group);
    for (size_t i = 0; i < group.size(); ++i) group[i].done(std::move(results[i]));
    return;
  } catch (const pqxx::sql_error&) {
    // PostgreSQL refused a statement (not the connection): maybe one batch's data. Alone,
    // each batch either commits or fails by itself.
    if (group.size() > 1) {
      for (Pending& pending : group) {
        std::vector<Pending> one;
        one.push_back(std::move(pending));
        Commit(one);
      }
      return;
    }
    failure = std::current_exception();
  } catch (...) {
    failure = std::current_exception();
  }
  Release(group);
  for (Pending& pending : group) pending.done(failure);
}

size_t GroupCommitWriter::IsolateRefused(std::vector<Pending>& group,
                                         const std::string& group_error) {
  std::vector<PreparedBatch*> batches;
  std::vector<RecordRef> all;
  for (size_t b = 0; b < group.size(); ++b) {
    PreparedBatch& batch = group[b].batch;
    batches.push_back(&batch);
    for (size_t i = 0; i < batch.incidents.size(); ++i) all.push_back({b, true, i});
    for (size_t i = 0; i < batch.assets.size(); ++i) all.push_back({b, false, i});
  }
  // Each range is known to fail (the whole group did); its halves are probed.
  std::vector<std::pair<RecordRef, std::string>> refused;
  std::vector<std::span<const RecordRef>> failing = {all};
  while (!failing.empty()) {
    const std::span<const RecordRef> range = failing.back();
    failing.pop_back();
    if (range.size() == 1) {  // only the whole group can be a range of one not yet probed
      refused.emplace_back(range[0], group_error);
      continue;
    }
    for (const std::span<const RecordRef> half :
         {range.first(range.size() / 2), range.subspan(range.size() / 2)}) {
      std::vector<PreparedBatch> subset = Subset(batches, half);
      std::vector<PreparedBatch*> probe;
      for (PreparedBatch& batch : subset) probe.push_back(&batch);
      try {
        (void)WriteBatches(probe, Mode::kProbe);
      } catch (const ProbeDone&) {
      } catch (const pqxx::sql_error& error) {
        if (!IsDataError(std::current_exception())) throw;
        if (half.size() == 1) {
          refused.emplace_back(half[0], error.what());
        } else {
          failing.push_back(half);
        }
      }
    }
  }
  // Out of the batches, last index first so that the earlier ones stay valid.
  std::sort(refused.begin(), refused.end(), [](const auto& a, const auto& b) {
    return std::tie(a.first.batch, a.first.incident, a.first.index) >
           std::tie(b.first.batch, b.first.incident, b.first.index);
  });
  for (const auto& [ref, error] : refused) {
    PreparedBatch& batch = *batches[ref.batch];
    // PostgreSQL names the column of a value its type refuses, but refuses bytes that are not
    // text (NUL, not UTF-8) for the whole line: those are found in the record itself.
    std::string field = storage::RefusedField(error);
    if (field.empty()) {
      field = FirstUnstorableText(
          ref.incident ? static_cast<const google::protobuf::Message&>(*batch.incidents[ref.index])
                       : *batch.assets[ref.index]);
    }
    const std::string named = field.empty() ? "a value" : field;
    const v1::RecordKind kind = ref.incident ? v1::RECORD_KIND_INCIDENT : v1::RECORD_KIND_ASSET;
    const uint32_t index =
        ref.incident ? batch.incident_indices[ref.index] : batch.asset_indices[ref.index];
    const std::string key = ref.incident ? batch.incidents[ref.index]->external_id()
                                         : batch.assets[ref.index]->asset_key();
    batch.rejections.push_back(
        DatabaseRejection(kind, index, key, field.c_str(), "REFUSED_BY_DATABASE",
                          "the database refused " + named + " of this record; it was not stored."));
    Log(LogLevel::kError, "ingest.record_refused",
        {{"index", std::to_string(index)}, {"field", field}, {"error", error}});
    if (ref.incident) {
      batch.incidents.erase(batch.incidents.begin() + static_cast<ptrdiff_t>(ref.index));
      batch.incident_indices.erase(batch.incident_indices.begin() +
                                   static_cast<ptrdiff_t>(ref.index));
    } else {
      batch.assets.erase(batch.assets.begin() + static_cast<ptrdiff_t>(ref.index));
      batch.asset_indices.erase(batch.asset_indices.begin() + static_cast<ptrdiff_t>(ref.index));
    }
  }
  return refused.size();
}

std::vector<BatchResult> GroupCommitWriter::WriteBatches(const std::vector<PreparedBatch*>& batches,
                                                         Mode mode) {
  const auto now = clock_.Now();
  return storage::InTransaction(pool_, WriterPrincipal(), [&](pqxx::work& tx) {
    const auto facts = storage::FindEnterpriseFacts(tx, ReferencedEnterprises(batches));
    std::vector<BatchResult> results(batches.size());
    std::vector<storage::IncidentWrite> incident_writes;
    std::vector<std::pair<size_t, size_t>> incident_origins;  // (batch, incident)
    std::vector<storage::AssetWrite> asset_writes;
    std::vector<std::pair<size_t, size_t>> asset_origins;
    for (size_t b = 0; b < batches.size(); ++b) {
      PreparedBatch& batch = *batches[b];
      BatchResult& result = results[b];
      result.ack.set_sequence(batch.sequence);
      for (const v1::Rejection& rejection : batch.rejections) {
        *result.ack.add_rejections() = rejection;
        ++(rejection.kind() == v1::RECORD_KIND_INCIDENT ? result.incidents : result.assets)
              .rejected;
      }
      result.incident_ids.assign(batch.incidents.size(), 0);
      for (size_t i = 0; i < batch.incidents.size(); ++i) {
        v1::Incident& incident = *batch.incidents[i];
        if (auto rejection =
                ResolveEnterprise(incident, batch.caller, facts, v1::RECORD_KIND_INCIDENT,
                                  batch.incident_indices[i], incident.external_id())) {
          *result.ack.add_rejections() = *std::move(rejection);
          ++result.incidents.rejected;
          continue;
        }
        incident_writes.push_back({batch.caller.id, &incident});
        incident_origins.emplace_back(b, i);
      }
      for (size_t i = 0; i < batch.assets.size(); ++i) {
        v1::Asset& asset = *batch.assets[i];
        if (auto rejection = ResolveEnterprise(asset, batch.caller, facts, v1::RECORD_KIND_ASSET,
                                               batch.asset_indices[i], asset.asset_key())) {
          *result.ack.add_rejections() = *std::move(rejection);
          ++result.assets.rejected;
          continue;
        }
        // An observation without a time is seen now; a collector that resends must stamp it.
        asset_writes.push_back(
            {batch.caller.id, &asset,
             asset.has_last_seen_time() ? FromTimestamp(asset.last_seen_time()) : now});
        asset_origins.emplace_back(b, i);
      }
    }
    const auto incident_results = storage::IncidentStore::Insert(tx, incident_writes, now);
    for (size_t k = 0; k < incident_results.size(); ++k) {
      const auto [b, i] = incident_origins[k];
      Count(results[b].incidents, results[b].ack, incident_results[k].outcome);
      results[b].incident_ids[i] = incident_results[k].id;
    }
    const auto asset_results = storage::AssetStore::Upsert(tx, asset_writes, now);
    for (size_t k = 0; k < asset_results.size(); ++k) {
      const auto [b, i] = asset_origins[k];
      (void)i;
      Count(results[b].assets, results[b].ack, asset_results[k].outcome);
    }
    if (mode == Mode::kProbe) throw ProbeDone{};
    if (options_.escalator != nullptr) {  // in this transaction: never missed, never doubled
      options_.escalator->RaiseForIngest(tx, incident_writes, incident_results, facts, asset_writes,
                                         asset_results, now);
    }
    for (BatchResult& result : results) {
      result.ack.set_rejected(static_cast<uint32_t>(result.ack.rejections_size()));
    }
    return results;
  });
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
