#pragma once

#include <cstdint>
#include <optional>

#include "domain/field_violation.h"
#include "domain/principal.h"

namespace sitrep::ingest {

// Why `caller` may not write a record of `province` about `enterprise_id` (0: none), as a
// violation of `prefix`.province or `prefix`.enterprise_id with reason PERMISSION_DENIED;
// nullopt when it may (SPEC §1: a record's province never widens what its submitter may
// write). A provincial collector writes its own province only, a national one (province 0)
// any; an enterprise writes about itself and in its own province only. Whether the enterprise lies
// in the province is checked against the registry when the record is written.
[[nodiscard]] std::optional<FieldViolation> CheckMayWrite(const Principal& caller,
                                                          uint32_t province, int64_t enterprise_id,
                                                          const std::string& prefix);

}  // namespace sitrep::ingest
