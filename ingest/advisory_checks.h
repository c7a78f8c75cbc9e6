#pragma once

#include "domain/field_violation.h"
#include "sitrep/v1/vulnerability.pb.h"

namespace sitrep::ingest {

// The checks of one pushed advisory that need no database, and what the server reads from it.
// A CSAF document (csaf_document set) must parse and pass vulns::ParseCsaf (the schema
// constraints and the offline mandatory tests); every problem becomes a violation whose field
// is "csaf_document" followed by the JSON pointer ("csaf_document/vulnerabilities/0/cve"),
// whose reason is a stable code (CSAF_SCHEMA, CSAF_TEST_6_1_<n>, CSAF_TOO_LARGE, CSAF_NOT_JSON,
// CSAF_INVALID) and whose description names the rule. A tracking_id pushed beside a document
// must be the document's. When it passes, every output field of `advisory` is filled from the
// document (vulns::FillAdvisory) and whatever else the client set there is dropped.
// A stub (no document) needs a tracking_id (1..128 characters, no control characters) and
// may carry title, vendors, products, published_time and url; it is stored as TLP CLEAR.
[[nodiscard]] FieldViolations CheckAdvisory(v1::Advisory& advisory);

}  // namespace sitrep::ingest
