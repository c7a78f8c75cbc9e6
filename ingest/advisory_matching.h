#pragma once

#include <chrono>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "escalation/escalator.h"
#include "storage/tx.h"
#include "storage/vuln_store.h"

// Which stored assets which advisories affect (SPEC §10), kept current inside the transaction
// that writes either side: an asset written is matched against the product leaves of every
// advisory of its normalised vendor; an advisory written (or a new version of one) against
// every stored asset of its products' normalised vendors. vulns::Match decides each pair; the
// matches of what was written are replaced as a whole, and the exposed assets an advisory
// raising notices MATCHes get their notices (escalation/rules.h AdvisoryNotices) in the same
// transaction.
namespace sitrep::ingest {

struct MatchCounts {
  size_t candidates = 0;  // (asset, product leaf) pairs of the same normalised vendor
  size_t matches = 0;     // (asset, advisory) rows stored, MATCH or NEEDS_REVIEW
  size_t notices = 0;     // notices newly raised
};

// The matches of the given product leaves and assets: per (asset, advisory), the first leaf
// that MATCHes, else the first that NEEDS_REVIEW; NO_MATCH pairs are left out. Pure; the
// exposures point into `assets` and `products`.
struct ComputedMatches {
  std::vector<storage::MatchRow> rows;
  std::vector<escalation::AdvisoryExposure> exposures;  // MATCH rows of exposed assets
  size_t candidates = 0;
};
[[nodiscard]] ComputedMatches ComputeMatches(std::span<const storage::CandidateAsset> assets,
                                             std::span<const storage::CandidateProduct> products);

// Re-matches the stored assets `asset_ids` (just written) against every advisory.
MatchCounts MatchWrittenAssets(storage::Tx& tx, const std::vector<int64_t>& asset_ids,
                               const escalation::Escalator* escalator,
                               std::chrono::system_clock::time_point now);

// Re-matches every stored asset whose normalised vendor is one of `vendor_norms` against the
// advisories `advisory_ids` (just written; their leaves carry those vendors). sitrep-bench's
// rematch timing calls it too.
MatchCounts MatchWrittenAdvisories(storage::Tx& tx, const std::vector<int64_t>& advisory_ids,
                                   const std::vector<std::string>& vendor_norms,
                                   const escalation::Escalator* escalator,
                                   std::chrono::system_clock::time_point now);

// Gives the assets stored before product keys existed (assets.product_key NULL: written before
// migration 0039, and before 0031 without a normalised vendor either) their vendor_norm and
// product key, `page` assets per transaction of their own on `pool`, and matches each page
// against the stored advisories (raising the notices that calls for), so matching sees them.
// sitrepd runs it at start; a keyed asset is never keyed again, so a second run (or one cut
// short and restarted) does only what is left. Returns how many assets it keyed.
size_t KeyStoredAssets(storage::Pool& pool, const escalation::Escalator* escalator,
                       std::chrono::system_clock::time_point now, int page = 1'000);

}  // namespace sitrep::ingest
