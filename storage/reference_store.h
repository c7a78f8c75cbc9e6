#pragma once

#include "domain/reference_codes.h"
#include "storage/pool.h"

namespace sitrep::storage {

// Loads the seeded provinces and sectors. Throws when PostgreSQL fails.
[[nodiscard]] ReferenceCodes LoadReferenceCodes(Pool& pool);

}  // namespace sitrep::storage
