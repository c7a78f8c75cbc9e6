#pragma once

#include <chrono>
#include <span>
#include <vector>

#include "domain/principal.h"
#include "escalation/escalator.h"
#include "ingest/prepared_batch.h"
#include "storage/tx.h"

namespace sitrep::ingest {

// The records of one batch that a transaction writes (not owned): the group-commit writer
// hands over all of a batch's records, or, while it isolates a record PostgreSQL refuses, some.
struct RecordsToWrite {
  const Principal* caller = nullptr;
  std::vector<v1::Incident*> incidents;
  std::vector<v1::Asset*> assets;
  std::vector<v1::Advisory*> advisories;
  bool return_rows = false;  // each stored incident's verdict carries the row as stored
};

// The decision of the write path, inside the writer's transaction `tx`: for every record of
// `batches`, the checks that need the registry (the caller's enterprise filled in where the
// record names none, the enterprise registered in the record's province) and the caller's
// write permission (CheckMayWrite), the defaults of unset fields, the insert under the real
// caller's row-level-security settings, the asset↔advisory matches of what was written
// (ingest/advisory_matching.h), and the notices that the stored records call for
// (`escalator`, nullptr: none). Fills defaults into the records themselves. Returns one verdict
// per record, parallel to `batches`. Throws only when PostgreSQL fails.
[[nodiscard]] std::vector<BatchVerdicts> WriteRecords(storage::Tx& tx,
                                                      std::span<const RecordsToWrite> batches,
                                                      const escalation::Escalator* escalator,
                                                      std::chrono::system_clock::time_point now);

}  // namespace sitrep::ingest
