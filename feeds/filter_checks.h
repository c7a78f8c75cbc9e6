#pragma once

#include "domain/field_violation.h"
#include "domain/reference_codes.h"
#include "sitrep/v1/feed.pb.h"

namespace sitrep::feeds {

// Every wrong field of a feed filter, with paths under `prefix` (e.g. "filter"): unknown
// province or sector codes, invalid enum values, malformed CVE ids, inverted time ranges, and
// text that is not UTF-8 or too long. A province the caller may not see is not an error:
// row-level security simply returns none of its rows.
[[nodiscard]] FieldViolations CheckIncidentFilter(const v1::IncidentFilter& filter,
                                                  const ReferenceCodes& codes,
                                                  const std::string& prefix = "filter");
[[nodiscard]] FieldViolations CheckAssetFilter(const v1::AssetFilter& filter,
                                               const ReferenceCodes& codes,
                                               const std::string& prefix = "filter");

}  // namespace sitrep::feeds
