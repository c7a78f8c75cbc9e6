#pragma once

#include "domain/field_violation.h"
#include "domain/reference_codes.h"
#include "sitrep/v1/registry.pb.h"

namespace sitrep {

// Every wrong field of a principal to create, under "principal.": the name, a set role, and
// the binding SPEC §1 requires of that role (PROVINCIAL → a province; ENTERPRISE → an
// enterprise id and no province; COLLECTOR → a province or 0 for national; ADMIN and NATIONAL →
// neither). Whether the enterprise exists is the store's to say.
[[nodiscard]] FieldViolations CheckNewPrincipal(const v1::Principal& principal,
                                                const ReferenceCodes& codes);

}  // namespace sitrep
