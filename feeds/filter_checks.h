#pragma once

#include "domain/field_violation.h"
#include "domain/reference_codes.h"
#include "sitrep/v1/feed.pb.h"
#include "sitrep/v1/vulnerability.pb.h"

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

// The same for the vulnerability base's filter: vendor, product and text of at most 200
// characters, a well-formed CVE id, a CVSS floor of 0..10, an ordered published range.
[[nodiscard]] FieldViolations CheckAdvisoryFilter(const v1::AdvisoryFilter& filter,
                                                  const ReferenceCodes& codes,
                                                  const std::string& prefix = "filter");

// Unknown codes and too many values in a list of provinces given at the top of a request
// ("provinces[2]").
[[nodiscard]] FieldViolations CheckAffectedProvinces(
    const google::protobuf::RepeatedField<uint32_t>& provinces, const ReferenceCodes& codes);

}  // namespace sitrep::feeds
