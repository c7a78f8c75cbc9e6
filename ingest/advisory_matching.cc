#include "ingest/advisory_matching.h"

#include <algorithm>
#include <unordered_map>
#include <utility>

#include "vulns/match.h"

namespace sitrep::ingest {
namespace {

using storage::CandidateAsset;
using storage::CandidateProduct;

// One advisory's best leaf for one (vendor, product, version).
struct Best {
  size_t product = 0;  // index into the products
  vulns::MatchResult result;
};

// The best leaf of each advisory among `leaves` (one vendor's, in advisory order) for `asset`:
// the first MATCH, else the first NEEDS_REVIEW.
std::vector<Best> BestPerAdvisory(const CandidateAsset& asset,
                                  std::span<const CandidateProduct> products,
                                  const std::vector<size_t>& leaves) {
  std::vector<Best> best;
  const vulns::Asset subject{asset.vendor, asset.product, asset.version};
  for (const size_t index : leaves) {
    const CandidateProduct& leaf = products[index];
    if (!best.empty() && products[best.back().product].advisory_id == leaf.advisory_id &&
        best.back().result.verdict == vulns::Verdict::kMatch) {
      continue;  // this advisory already matched
    }
    vulns::MatchResult result =
        vulns::Match(subject, vulns::ProductBranch{leaf.branch_path, leaf.vendor, leaf.product,
                                                   leaf.is_range, leaf.expression});
    if (result.verdict == vulns::Verdict::kNoMatch) continue;
    if (!best.empty() && products[best.back().product].advisory_id == leaf.advisory_id) {
      if (result.verdict == vulns::Verdict::kMatch) best.back() = Best{index, std::move(result)};
      continue;
    }
    best.push_back(Best{index, std::move(result)});
  }
  return best;
}

// Assets report few distinct (vendor, product, version) triples however many they are, so
// each triple is matched once.
std::string TripleKey(const CandidateAsset& asset) {
  std::string key = asset.vendor;
  key += '\0';
  key += asset.product;
  key += '\0';
  key += asset.version;
  return key;
}

MatchCounts Store(storage::Tx& tx, const std::vector<int64_t>& asset_ids,
                  const std::vector<int64_t>& advisory_ids, const ComputedMatches& computed,
                  const escalation::Escalator* escalator,
                  std::chrono::system_clock::time_point now) {
  MatchCounts counts;
  counts.candidates = computed.candidates;
  counts.matches = static_cast<size_t>(
      storage::VulnStore::ReplaceMatches(tx, asset_ids, advisory_ids, computed.rows, now));
  if (escalator != nullptr)
    counts.notices = escalator->RaiseForMatches(tx, computed.exposures, now);
  return counts;
}

}  // namespace

ComputedMatches ComputeMatches(std::span<const CandidateAsset> assets,
                               std::span<const CandidateProduct> products) {
  std::unordered_map<std::string, std::vector<size_t>> leaves_by_vendor;
  for (size_t i = 0; i < products.size(); ++i) {
    leaves_by_vendor[products[i].vendor_norm].push_back(i);
  }
  ComputedMatches computed;
  std::unordered_map<std::string, std::vector<Best>> by_triple;
  for (const CandidateAsset& asset : assets) {
    const auto leaves = leaves_by_vendor.find(asset.vendor_norm);
    if (asset.vendor_norm.empty() || leaves == leaves_by_vendor.end()) continue;
    computed.candidates += leaves->second.size();
    auto [cached, fresh] = by_triple.try_emplace(TripleKey(asset));
    if (fresh) cached->second = BestPerAdvisory(asset, products, leaves->second);
    for (const Best& best : cached->second) {
      const CandidateProduct& leaf = products[best.product];
      const bool match = best.result.verdict == vulns::Verdict::kMatch;
      computed.rows.push_back(
          storage::MatchRow{asset.id, leaf.advisory_id, leaf.branch_path, leaf.expression,
                            asset.version, match ? "MATCH" : "NEEDS_REVIEW", best.result.reason});
      if (match && asset.internet_exposed) {
        computed.exposures.push_back({&asset, &leaf, best.result.reason});
      }
    }
  }
  return computed;
}

MatchCounts MatchWrittenAssets(storage::Tx& tx, const std::vector<int64_t>& asset_ids,
                               const escalation::Escalator* escalator,
                               std::chrono::system_clock::time_point now) {
  if (asset_ids.empty()) return {};
  const std::vector<CandidateAsset> assets = storage::VulnStore::CandidateAssets(tx, {}, asset_ids);
  std::vector<std::string> vendor_norms;
  for (const CandidateAsset& asset : assets) {
    if (!asset.vendor_norm.empty()) vendor_norms.push_back(asset.vendor_norm);
  }
  std::sort(vendor_norms.begin(), vendor_norms.end());
  vendor_norms.erase(std::unique(vendor_norms.begin(), vendor_norms.end()), vendor_norms.end());
  const std::vector<CandidateProduct> products =
      storage::VulnStore::CandidateProducts(tx, vendor_norms, {});
  return Store(tx, asset_ids, {}, ComputeMatches(assets, products), escalator, now);
}

MatchCounts MatchWrittenAdvisories(storage::Tx& tx, const std::vector<int64_t>& advisory_ids,
                                   const std::vector<std::string>& vendor_norms,
                                   const escalation::Escalator* escalator,
                                   std::chrono::system_clock::time_point now) {
  if (advisory_ids.empty()) return {};
  const std::vector<CandidateProduct> products =
      storage::VulnStore::CandidateProducts(tx, vendor_norms, advisory_ids);
  const std::vector<CandidateAsset> assets =
      products.empty() ? std::vector<CandidateAsset>()
                       : storage::VulnStore::CandidateAssets(tx, vendor_norms, {});
  return Store(tx, {}, advisory_ids, ComputeMatches(assets, products), escalator, now);
}

}  // namespace sitrep::ingest
