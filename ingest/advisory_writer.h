#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "domain/field_violation.h"
#include "escalation/escalator.h"
#include "ingest/prepared_batch.h"
#include "ingest/record_writer.h"
#include "storage/tx.h"
#include "storage/vuln_store.h"

// Advisories on the write path (SPEC §10): which version of an advisory is stored, and its
// writing, inside the group-commit writer's transaction (WriteRecords).
namespace sitrep::ingest {

// What a pushed advisory does to the stored one of its tracking id.
enum class AdvisoryAction {
  kInsert,     // none is stored
  kReplace,    // a newer version, or a document for a stub: becomes the current one
  kDuplicate,  // the same version again, or a stub for an advisory already stored
  kStale,      // an older version than the stored one: STALE_REVISION
  kUnordered,  // versions that cannot be ordered: VERSION_UNORDERED
  kHidden,     // stored, but not readable by the pusher: it may not supersede it
};

// The rule: a stub never replaces anything (a stub or a document already stored); a document
// replaces a stub; between documents /document/tracking/version decides (vulns/version.h
// order: "2" > "1", "1.0.10" > "1.0.9"): newer replaces, equal is a duplicate, older is stale.
// A pusher replaces only what it may read.
[[nodiscard]] AdvisoryAction DecideAdvisoryVersion(
    const std::optional<storage::StoredAdvisoryVersion>& stored, const v1::Advisory& pushed);

// The violation a refused action answers (kStale, kUnordered, kHidden), naming the field.
[[nodiscard]] FieldViolation AdvisoryRefusal(AdvisoryAction action,
                                             const storage::StoredAdvisoryVersion& stored,
                                             const v1::Advisory& pushed);

// What a notice raised from `advisory` asks the province to do: its vendor fixes, mitigations
// and workarounds, each once, at most kMaxRequiredAction bytes (cut at a character boundary).
inline constexpr size_t kMaxRequiredAction = 2000;
[[nodiscard]] std::string RequiredActionOf(const v1::Advisory& advisory);

// Writes the advisories of `batches` under each batch's caller (CheckMayPushAdvisory first),
// one version decision each in order (a tracking id twice in a group: the second sees the
// first), then re-matches the stored assets against every advisory written. Fills
// `verdicts[b].advisories`.
void WriteAdvisories(storage::Tx& tx, std::span<const RecordsToWrite> batches,
                     std::vector<BatchVerdicts>& verdicts, const escalation::Escalator* escalator,
                     std::chrono::system_clock::time_point now);

}  // namespace sitrep::ingest
