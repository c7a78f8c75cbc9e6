#include "ingest/record_writer.h"

#include <algorithm>
#include <cstdint>
#include <optional>
#include <unordered_map>
#include <utility>

#include "domain/time_convert.h"
#include "ingest/advisory_matching.h"
#include "ingest/advisory_writer.h"
#include "ingest/write_permission.h"
#include "storage/asset_store.h"
#include "storage/enterprise_store.h"
#include "storage/incident_store.h"
#include "vulns/normalise.h"

namespace sitrep::ingest {
namespace {

using Facts = std::unordered_map<int64_t, storage::EnterpriseFacts>;

std::vector<int64_t> ReferencedEnterprises(std::span<const RecordsToWrite> batches) {
  std::vector<int64_t> ids;
  for (const RecordsToWrite& batch : batches) {
    if (batch.caller->enterprise_id != 0) ids.push_back(batch.caller->enterprise_id);
    for (const v1::Incident* incident : batch.incidents) {
      if (incident->enterprise_id() != 0) ids.push_back(incident->enterprise_id());
    }
    for (const v1::Asset* asset : batch.assets) {
      if (asset->enterprise_id() != 0) ids.push_back(asset->enterprise_id());
    }
  }
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  return ids;
}

RecordVerdict Rejected(FieldViolation violation) {
  return RecordVerdict{RecordVerdict::kRejected, 0, std::move(violation), std::nullopt};
}

// Fills an enterprise caller's own id into a record that names no enterprise, then applies the
// write permission and checks the named enterprise against the registry. Returns why the record
// may not be stored, if it may not.
template <class Record>
std::optional<FieldViolation> Admit(Record& record, const Principal& caller, const Facts& facts) {
  if (caller.is(v1::ROLE_ENTERPRISE) && record.enterprise_id() == 0) {
    record.set_enterprise_id(caller.enterprise_id);
  }
  if (auto denied = CheckMayWrite(caller, record.province(), record.enterprise_id(), "")) {
    return denied;
  }
  const auto found = facts.find(record.enterprise_id());
  return CheckEnterpriseInProvince(
      record.province(), record.enterprise_id(),
      found == facts.end() ? std::nullopt : std::optional(found->second.province), "");
}

// What an incident that leaves a field unset is stored with (SPEC §3: shared within its
// province; SPEC §4: a new report).
void ApplyDefaults(v1::Incident& incident) {
  if (incident.sharing_scope() == v1::SHARING_SCOPE_UNSPECIFIED) {
    incident.set_sharing_scope(v1::SHARING_SCOPE_PROVINCE);
  }
  if (incident.status() == v1::INCIDENT_STATUS_UNSPECIFIED) {
    incident.set_status(v1::INCIDENT_STATUS_REPORTED);
  }
}

void ApplyDefaults(v1::Asset& asset) {
  if (asset.sector().empty()) asset.set_sector("other");
  if (asset.type() == v1::ASSET_TYPE_UNSPECIFIED) asset.set_type(v1::ASSET_TYPE_OTHER);
}

uint32_t GradeOf(int64_t enterprise_id, const Facts& facts) {
  const auto found = facts.find(enterprise_id);
  return found == facts.end() ? 0 : found->second.grade;
}

RecordVerdict VerdictOf(storage::WriteResult& result) {
  if (result.outcome != storage::WriteResult::kStored) return RecordVerdict{};
  return RecordVerdict{RecordVerdict::kStored, result.id, std::nullopt, std::move(result.row)};
}

}  // namespace

std::vector<BatchVerdicts> WriteRecords(storage::Tx& tx, std::span<const RecordsToWrite> batches,
                                        const escalation::Escalator* escalator,
                                        std::chrono::system_clock::time_point now) {
  const Facts facts = storage::FindEnterpriseFacts(tx, ReferencedEnterprises(batches));
  std::vector<BatchVerdicts> verdicts(batches.size());
  std::vector<storage::IncidentWrite> incident_writes;
  std::vector<std::pair<size_t, size_t>> incident_origins;  // (batch, incident)
  std::vector<storage::AssetWrite> asset_writes;
  std::vector<std::pair<size_t, size_t>> asset_origins;
  for (size_t b = 0; b < batches.size(); ++b) {
    const RecordsToWrite& batch = batches[b];
    const Principal& caller = *batch.caller;
    verdicts[b].incidents.resize(batch.incidents.size());
    verdicts[b].assets.resize(batch.assets.size());
    for (size_t i = 0; i < batch.incidents.size(); ++i) {
      v1::Incident& incident = *batch.incidents[i];
      if (auto refused = Admit(incident, caller, facts)) {
        verdicts[b].incidents[i] = Rejected(*std::move(refused));
        continue;
      }
      ApplyDefaults(incident);
      incident_writes.push_back({caller.id, &incident, &caller, batch.return_rows});
      incident_origins.emplace_back(b, i);
    }
    for (size_t i = 0; i < batch.assets.size(); ++i) {
      v1::Asset& asset = *batch.assets[i];
      if (auto refused = Admit(asset, caller, facts)) {
        verdicts[b].assets[i] = Rejected(*std::move(refused));
        continue;
      }
      ApplyDefaults(asset);
      // An observation without a time is seen now; a collector that resends must stamp it.
      std::string vendor_norm = vulns::Normalise(asset.vendor());
      std::string product_key = vulns::ProductKey(vendor_norm, asset.product());
      asset_writes.push_back(
          {caller.id, &asset,
           asset.has_last_seen_time() ? FromTimestamp(asset.last_seen_time()) : now, &caller,
           std::move(vendor_norm), std::move(product_key)});
      asset_origins.emplace_back(b, i);
    }
  }
  std::vector<storage::WriteResult> incident_results =
      storage::IncidentStore::Insert(tx, incident_writes, now);
  std::vector<storage::WriteResult> asset_results =
      storage::AssetStore::Upsert(tx, asset_writes, now);

  // The notices commit with the records that call for them, or not at all: never missed,
  // never doubled.
  std::vector<escalation::StoredIncident> stored_incidents;
  for (size_t k = 0; k < incident_results.size(); ++k) {
    if (incident_results[k].outcome != storage::WriteResult::kStored) continue;
    const v1::Incident& incident = *incident_writes[k].incident;
    stored_incidents.push_back(
        {incident_results[k].id, &incident, GradeOf(incident.enterprise_id(), facts)});
  }
  std::vector<escalation::StoredAsset> stored_assets;
  std::vector<int64_t> stored_asset_ids;
  for (size_t k = 0; k < asset_results.size(); ++k) {
    if (asset_results[k].outcome != storage::WriteResult::kStored) continue;
    stored_assets.push_back({asset_results[k].id, asset_writes[k].asset});
    stored_asset_ids.push_back(asset_results[k].id);
  }
  if (escalator != nullptr) escalator->RaiseForIngest(tx, stored_incidents, stored_assets, now);
  // A changed asset may now match other advisories, or none; then the group's advisories
  // re-match every stored asset of their vendors, these included.
  MatchWrittenAssets(tx, stored_asset_ids, escalator, now);
  WriteAdvisories(tx, batches, verdicts, escalator, now);

  for (size_t k = 0; k < incident_results.size(); ++k) {
    const auto [b, i] = incident_origins[k];
    verdicts[b].incidents[i] = VerdictOf(incident_results[k]);
  }
  for (size_t k = 0; k < asset_results.size(); ++k) {
    const auto [b, i] = asset_origins[k];
    verdicts[b].assets[i] = VerdictOf(asset_results[k]);
  }
  return verdicts;
}

}  // namespace sitrep::ingest
