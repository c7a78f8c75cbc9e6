#pragma once

#include "domain/field_violation.h"
#include "domain/reference_codes.h"
#include "sitrep/v1/registry.pb.h"

namespace sitrep {

// Every wrong field of an enterprise record, with paths under `prefix` (e.g. "enterprise").
// Output-only fields (id, times) are ignored. Empty when the record may be stored.
[[nodiscard]] FieldViolations CheckEnterprise(const v1::Enterprise& enterprise,
                                              const ReferenceCodes& codes,
                                              const std::string& prefix = "enterprise");

}  // namespace sitrep
