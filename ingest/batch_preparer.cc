#include "ingest/batch_preparer.h"

#include <string>

#include "domain/record_checks.h"
#include "ingest/advisory_checks.h"

namespace sitrep::ingest {
namespace {

v1::Rejection MakeRejection(v1::RecordKind kind, uint32_t index, const std::string& key,
                            const FieldViolation& violation) {
  v1::Rejection rejection;
  rejection.set_kind(kind);
  rejection.set_index(index);
  rejection.set_key(key);
  rejection.set_field(violation.field);
  rejection.set_reason(violation.reason);
  rejection.set_message(violation.description);
  return rejection;
}

// Moves each record that passes `check` into `accepted` (with its index; the write permission
// is WriteRecords', in the writer's transaction); the first violation of any other stands for it as
// a rejection, to be fixed and sent again.
template <class Record, class Check, class Key>
void SortRecords(google::protobuf::RepeatedPtrField<Record>& records, v1::RecordKind kind,
                 Check check, Key key, std::vector<Record*>& accepted,
                 std::vector<uint32_t>& indices, PreparedBatch& prepared) {
  accepted.reserve(records.size());
  for (int i = 0; i < records.size(); ++i) {
    Record& record = records[i];
    FieldViolations violations = check(record);
    if (!violations.empty()) {
      prepared.rejections.push_back(
          MakeRejection(kind, static_cast<uint32_t>(i), key(record), violations.front()));
      continue;
    }
    accepted.push_back(&record);
    indices.push_back(static_cast<uint32_t>(i));
  }
}

}  // namespace

FieldViolations CheckBatchSize(const v1::PushBatch& batch) {
  const size_t records =
      static_cast<size_t>(batch.incidents_size() + batch.assets_size() + batch.advisories_size());
  if (records <= kMaxBatchRecords) return {};
  return {{"incidents", "TOO_MANY_RECORDS",
           "a batch holds at most " + std::to_string(kMaxBatchRecords) + " records, not " +
               std::to_string(records) + "."}};
}

PreparedBatch PrepareBatch(const Principal& caller, ArenaBatch&& parsed,
                           const ReferenceCodes& codes, std::chrono::system_clock::time_point now) {
  v1::PushBatch& batch = *parsed.batch;
  PreparedBatch prepared;
  prepared.caller = caller;
  prepared.sequence = batch.sequence();
  prepared.bytes = parsed.arena->SpaceAllocated();
  SortRecords(
      *batch.mutable_incidents(), v1::RECORD_KIND_INCIDENT,
      [&](const v1::Incident& incident) { return CheckIncident(incident, codes, now, ""); },
      [](const v1::Incident& incident) { return incident.external_id(); }, prepared.incidents,
      prepared.incident_indices, prepared);
  SortRecords(
      *batch.mutable_assets(), v1::RECORD_KIND_ASSET,
      [&](const v1::Asset& asset) { return CheckAsset(asset, codes, now, ""); },
      [](const v1::Asset& asset) { return asset.asset_key(); }, prepared.assets,
      prepared.asset_indices, prepared);
  SortRecords(
      *batch.mutable_advisories(), v1::RECORD_KIND_ADVISORY,
      [](v1::Advisory& advisory) { return CheckAdvisory(advisory); },
      [](const v1::Advisory& advisory) { return advisory.tracking_id(); }, prepared.advisories,
      prepared.advisory_indices, prepared);
  prepared.arena = std::move(parsed.arena);
  return prepared;
}

}  // namespace sitrep::ingest
