#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "domain/principal.h"
#include "sitrep/v1/records.pb.h"
#include "sitrep/v1/report.pb.h"
#include "storage/page.h"
#include "storage/tx.h"

namespace sitrep::storage {

// One record of a group write: who reports it and what (not owned; outlives the call).
// `caller` is the reporter's principal: its rows are written under its row-level-security
// settings (SetCaller), so the write policies judge the real caller; nullptr keeps the
// transaction's. `return_row` asks for the row as stored (RETURNING) in the result.
struct IncidentWrite {
  int64_t reporter_id = 0;
  const v1::Incident* incident = nullptr;
  const Principal* caller = nullptr;
  bool return_row = false;
};

// What became of one record of a group write, decided by the unique keys in SQL.
struct WriteResult {
  enum Outcome { kStored, kDuplicate };
  Outcome outcome = kStored;
  int64_t id = 0;                   // the stored row's id; 0 for a duplicate
  std::optional<v1::Incident> row;  // a stored incident whose write asked for it
};

// The incidents table and the superseded revisions in incident_revisions. Every function runs
// inside the caller's transaction `tx` (the ingest path groups many batches into one), has had
// every field checked (domain/record_checks.h) and throws only when PostgreSQL fails.
class IncidentStore final {
 public:
  // Stores every record not seen before under (reporter_id, external_id), in one COPY and one
  // INSERT per reporter (each under its caller's settings); results are in input order, and of two
  // equal keys in `records` the first is stored and the second is a duplicate. `received` is the
  // receive and update time.
  [[nodiscard]] static std::vector<WriteResult> Insert(
      Tx& tx, std::span<const IncidentWrite> records,
      std::chrono::system_clock::time_point received);

  [[nodiscard]] static std::optional<v1::Incident> Get(Tx& tx, int64_t id);
  // The same, locking the row until the transaction ends (amendments).
  [[nodiscard]] static std::optional<v1::Incident> GetForUpdate(Tx& tx, int64_t id);
  [[nodiscard]] static std::optional<v1::Incident> FindByExternalId(Tx& tx, int64_t reporter_id,
                                                                    const std::string& external_id);

  // Moves the current revision of `amended.id()` to incident_revisions and replaces it with
  // `amended` (every writable field) as revision + 1, made by `principal_id` for `kind` with
  // `note`. The row must have been locked with GetForUpdate. Returns the new revision.
  [[nodiscard]] static v1::Incident Amend(Tx& tx, const v1::Incident& amended,
                                          v1::AmendmentKind kind, const std::string& note,
                                          int64_t principal_id,
                                          std::chrono::system_clock::time_point now);

  // Every revision of incident `id`, oldest first; empty when there is no such incident.
  [[nodiscard]] static std::vector<v1::Incident> Revisions(Tx& tx, int64_t id);

  // Incidents reported by `reporter_id`, or (when `enterprise_id` is not 0) about that
  // enterprise, newest first, keyset-paged on id (ids below `before_id`; 0 = from the newest).
  [[nodiscard]] static Page<v1::Incident> ListMine(Tx& tx, int64_t reporter_id,
                                                   int64_t enterprise_id, int64_t before_id,
                                                   int limit);
};

}  // namespace sitrep::storage
