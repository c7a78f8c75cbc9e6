#pragma once

#include <chrono>

#include "domain/field_violation.h"
#include "domain/principal.h"
#include "domain/reference_codes.h"
#include "ingest/prepared_batch.h"
#include "sitrep/v1/ingest.pb.h"

namespace sitrep::ingest {

inline constexpr size_t kMaxBatchRecords = 1000;

// Checks every record of `batch` for `caller` (its fields; permission is checked when it is
// written) and moves the good ones into a PreparedBatch; the others become its rejections, with
// kind, index, key, field and reason. Never fails as a whole: a batch over kMaxBatchRecords is
// refused by CheckBatchSize before this is called.
[[nodiscard]] PreparedBatch PrepareBatch(const Principal& caller, ArenaBatch&& parsed,
                                         const ReferenceCodes& codes,
                                         std::chrono::system_clock::time_point now);

// The violation of a batch too large to look at record by record; empty when it is fine.
[[nodiscard]] FieldViolations CheckBatchSize(const v1::PushBatch& batch);

}  // namespace sitrep::ingest
