#include "ingest/reports.h"

#include <string>

#include "domain/field_checks.h"
#include "domain/page_token.h"
#include "domain/record_checks.h"
#include "ingest/amendment.h"
#include "ingest/write_permission.h"
#include "storage/enterprise_store.h"
#include "storage/incident_store.h"

namespace sitrep::ingest {
namespace {

constexpr const char* kMyIncidentsList = "my-incidents";

// Who may amend or read the revisions of `incident`: its reporter, the enterprise it is
// about, and the national centre (SPEC §1: grade and close incidents).
bool MayAmend(const Principal& caller, const v1::Incident& incident) {
  if (caller.is(v1::ROLE_NATIONAL) || caller.is(v1::ROLE_ADMIN)) return true;
  if (caller.id == incident.reporter_id()) return true;
  return caller.is(v1::ROLE_ENTERPRISE) && caller.enterprise_id == incident.enterprise_id();
}

// The registry's province of the enterprise `incident` is about (nullopt: none, or not
// registered), read in the amendment's transaction.
std::optional<uint32_t> RegisteredProvince(storage::Tx& tx, const v1::Incident& incident) {
  if (incident.enterprise_id() == 0) return std::nullopt;
  const auto facts = storage::FindEnterpriseFacts(tx, {incident.enterprise_id()});
  const auto found = facts.find(incident.enterprise_id());
  return found == facts.end() ? std::nullopt : std::optional(found->second.province);
}

}  // namespace

Outcome<RecordVerdict> Reports::Report(const Principal& caller, const v1::Incident& incident) {
  FieldViolations violations = CheckIncident(incident, codes_, clock_.Now(), "incident");
  if (!violations.empty()) return InvalidArgument(std::move(violations));
  PreparedBatch batch;
  batch.caller = caller;
  batch.arena = MakeBatchArena();
  batch.incidents.push_back(
      google::protobuf::Arena::CreateMessage<v1::Incident>(batch.arena.get()));
  *batch.incidents.back() = incident;
  batch.incident_indices.push_back(0);
  batch.bytes = batch.arena->SpaceAllocated();
  batch.return_rows = true;
  Outcome<WrittenBatch> written = writer_.Write(std::move(batch));
  if (!written.ok()) return written.error();
  RecordVerdict verdict = std::move(written.value().verdicts.incidents.at(0));
  if (verdict.kind == RecordVerdict::kRejected) {
    FieldViolation violation = *std::move(verdict.violation);
    violation.field = violation.field.empty() ? "incident" : "incident." + violation.field;
    if (violation.reason == "PERMISSION_DENIED") return WriteDenied(std::move(violation));
    return InvalidArgument({std::move(violation)});
  }
  if (verdict.kind == RecordVerdict::kDuplicate) {
    // Not written now: the answer is the incident first stored under this external_id.
    verdict.row = storage::InTransaction(pool_, caller, [&](storage::Tx& tx) {
      return storage::IncidentStore::FindByExternalId(tx, caller.id, incident.external_id());
    });
    if (!verdict.row) {
      return NotFound("incident " + incident.external_id() + " was not found.");
    }
  }
  return verdict;
}

Outcome<v1::Incident> Reports::Amend(const Principal& caller,
                                     const v1::AmendIncidentRequest& request) {
  FieldViolations violations = CheckAmendRequest(request);
  if (!violations.empty()) return InvalidArgument(std::move(violations));
  const auto now = clock_.Now();
  return storage::InTransaction(pool_, caller, [&](storage::Tx& tx) -> Outcome<v1::Incident> {
    std::optional<v1::Incident> current =
        storage::IncidentStore::GetForUpdate(tx, request.incident_id());
    if (!current || !MayAmend(caller, *current)) {
      // Not telling apart "missing" from "someone else's" keeps ids from being probed.
      return NotFound("incident " + std::to_string(request.incident_id()) + " was not found.");
    }
    v1::Incident amended = AmendedIncident(*current, request);
    FieldViolations checked = CheckIncident(amended, codes_, now, "incident");
    if (!checked.empty()) return InvalidArgument(std::move(checked));
    if (std::optional<Error> refused =
            CheckMayAmend(caller, *current, amended, RegisteredProvince(tx, amended))) {
      return std::move(*refused);
    }
    v1::Incident stored =
        storage::IncidentStore::Amend(tx, amended, request.kind(), request.note(), caller.id, now);
    if (const escalation::Escalator* escalator = writer_.escalator()) {
      escalator->RaiseForAmendment(tx, *current, stored, now);  // an upgrade escalates
    }
    return stored;
  });
}

Outcome<v1::ListMyIncidentsResponse> Reports::ListMine(const Principal& caller,
                                                       const v1::ListMyIncidentsRequest& request) {
  const std::optional<int> limit = PageSize(request.page_size());
  if (!limit) return InvalidArgument({{"page_size", "OUT_OF_RANGE", "page_size must be 0..1000."}});
  const std::optional<int64_t> before = DecodePageToken(kMyIncidentsList, request.page_token());
  if (!before) {
    return InvalidArgument(
        {{"page_token", "INVALID_PAGE_TOKEN", "page_token is not a token this list returned."}});
  }
  return storage::InTransaction(pool_, caller, [&](storage::Tx& tx) {
    storage::Page<v1::Incident> page = storage::IncidentStore::ListMine(
        tx, caller.id, caller.is(v1::ROLE_ENTERPRISE) ? caller.enterprise_id : 0, *before, *limit);
    v1::ListMyIncidentsResponse response;
    for (v1::Incident& incident : page.items) *response.add_incidents() = std::move(incident);
    if (page.last_key != 0) {
      response.set_next_page_token(EncodePageToken(kMyIncidentsList, page.last_key));
    }
    return response;
  });
}

Outcome<v1::ListIncidentRevisionsResponse> Reports::Revisions(const Principal& caller,
                                                              int64_t incident_id) {
  FieldViolations violations;
  if (!CheckId(incident_id, "incident_id", violations)) {
    return InvalidArgument(std::move(violations));
  }
  return storage::InTransaction(
      pool_, caller, [&](storage::Tx& tx) -> Outcome<v1::ListIncidentRevisionsResponse> {
        std::optional<v1::Incident> current = storage::IncidentStore::Get(tx, incident_id);
        if (!current || !MayAmend(caller, *current)) {
          return NotFound("incident " + std::to_string(incident_id) + " was not found.");
        }
        v1::ListIncidentRevisionsResponse response;
        for (v1::Incident& revision : storage::IncidentStore::Revisions(tx, incident_id)) {
          *response.add_revisions() = std::move(revision);
        }
        return response;
      });
}

}  // namespace sitrep::ingest
