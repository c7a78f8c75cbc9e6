#pragma once

#include "domain/clock.h"
#include "domain/outcome.h"
#include "domain/principal.h"
#include "domain/reference_codes.h"
#include "ingest/group_commit_writer.h"
#include "sitrep/v1/report.pb.h"
#include "storage/tx.h"

namespace sitrep::ingest {

// The rules of ReportService (SPEC §4): an enterprise (or collector) reports incidents one by
// one through the same group-commit writer as Push, amends them keeping every revision, and
// reads back its own. The national centre may also amend (grade and close, SPEC §1).
// Thread-safe; throws only when PostgreSQL fails.
class Reports final {
 public:
  Reports(storage::Pool& pool, GroupCommitWriter& writer, const ReferenceCodes& codes,
          const Clock& clock)
      : pool_(pool), writer_(writer), codes_(codes), clock_(clock) {}

  // Stores a new incident: kStored with the row as stored, or kDuplicate with the first one
  // stored under the same external_id; a rejected record is the Error.
  [[nodiscard]] Outcome<RecordVerdict> Report(const Principal& caller,
                                              const v1::Incident& incident);
  // Replaces the fields named by the update mask, as a new revision.
  [[nodiscard]] Outcome<v1::Incident> Amend(const Principal& caller,
                                            const v1::AmendIncidentRequest& request);
  // The caller's incidents (an enterprise's: also those others reported about it), newest
  // first.
  [[nodiscard]] Outcome<v1::ListMyIncidentsResponse> ListMine(
      const Principal& caller, const v1::ListMyIncidentsRequest& request);
  [[nodiscard]] Outcome<v1::ListIncidentRevisionsResponse> Revisions(const Principal& caller,
                                                                     int64_t incident_id);

 private:
  storage::Pool& pool_;
  GroupCommitWriter& writer_;
  const ReferenceCodes& codes_;
  const Clock& clock_;
};

}  // namespace sitrep::ingest
