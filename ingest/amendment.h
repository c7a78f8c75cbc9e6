#pragma once

#include "domain/field_violation.h"
#include "sitrep/v1/report.pb.h"

namespace sitrep::ingest {

// Every wrong field of an AmendIncidentRequest itself (incident_id, kind, update_mask naming
// only amendable fields, note); the amended incident is checked afterwards by CheckIncident.
[[nodiscard]] FieldViolations CheckAmendRequest(const v1::AmendIncidentRequest& request);

// `current` with the fields named by the request's update mask replaced by the request's
// (lists and messages replaced whole, not merged). The request must have passed
// CheckAmendRequest.
[[nodiscard]] v1::Incident AmendedIncident(const v1::Incident& current,
                                           const v1::AmendIncidentRequest& request);

}  // namespace sitrep::ingest
