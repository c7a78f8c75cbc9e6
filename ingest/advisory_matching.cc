#include "ingest/advisory_matching.h"

#include <algorithm>
#include <set>
#include <unordered_map>
#include <utility>

#include "domain/principal.h"
#include "vulns/match.h"
#include "vulns/normalise.h"

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

// Leaves by (normalised vendor, vulns::ProductKey): vulns::Match calls two products of a vendor
// the same exactly when their keys are equal, so looking leaves up by key loses no match.
std::string LeafKey(const std::string& vendor_norm, const std::string& product) {
  std::string key = vendor_norm;
  key += '\0';
  key += vulns::ProductKey(vendor_norm, product);
  return key;
}

// The distinct (vendor, product key) pairs of `products`: the stored assets that can match
// them are exactly the ones carrying one of these pairs (assets.product_key).
std::vector<storage::ProductKeyRef> KeysOf(std::span<const CandidateProduct> products) {
  std::set<std::pair<std::string, std::string>> keys;
  for (const CandidateProduct& product : products) {
    std::string key = vulns::ProductKey(product.vendor_norm, product.product);
    if (!product.vendor_norm.empty() && !key.empty()) keys.emplace(product.vendor_norm, key);
  }
  std::vector<storage::ProductKeyRef> refs;
  refs.reserve(keys.size());
  for (const auto& [vendor_norm, key] : keys) refs.push_back({vendor_norm, key});
  return refs;
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
  // Only leaves whose product can be the asset's are handed to vulns::Match, so a vendor with
  // thousands of leaves costs a lookup per asset. Leaves stay in their order (the advisories'
  // order BestPerAdvisory relies on).
  std::unordered_map<std::string, std::vector<size_t>> by_key;
  for (size_t i = 0; i < products.size(); ++i) {
    by_key[LeafKey(products[i].vendor_norm, products[i].product)].push_back(i);
  }
  ComputedMatches computed;
  std::unordered_map<std::string, std::vector<Best>> by_triple;
  for (const CandidateAsset& asset : assets) {
    if (asset.vendor_norm.empty()) continue;
    const auto leaves_of = by_key.find(LeafKey(asset.vendor_norm, asset.product));
    if (leaves_of == by_key.end()) continue;
    auto [cached, fresh] = by_triple.try_emplace(TripleKey(asset));
    if (fresh) {
      const std::vector<size_t>& leaves = leaves_of->second;
      computed.candidates += leaves.size();
      cached->second = BestPerAdvisory(asset, products, leaves);
    }
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
                       : storage::VulnStore::CandidateAssets(tx, KeysOf(products), {});
  return Store(tx, {}, advisory_ids, ComputeMatches(assets, products), escalator, now);
}

size_t KeyStoredAssets(storage::Pool& pool, const escalation::Escalator* escalator,
                       std::chrono::system_clock::time_point now, int page) {
  Principal keyer;
  keyer.name = "asset-keying";
  keyer.role = v1::ROLE_ADMIN;
  size_t keyed = 0;
  int64_t after_id = 0;
  for (;;) {
    // Everything the body changes is in its result, so that a retried transaction starts over.
    const std::pair<size_t, int64_t> done =
        storage::InTransaction(pool, keyer, [&](storage::Tx& tx) {
          const std::vector<storage::UnkeyedAsset> unkeyed =
              storage::VulnStore::UnkeyedAssets(tx, after_id, page);
          std::vector<storage::AssetKeys> keys;
          std::vector<int64_t> ids;
          for (const storage::UnkeyedAsset& asset : unkeyed) {
            std::string vendor_norm = vulns::Normalise(asset.vendor);
            std::string product_key = vulns::ProductKey(vendor_norm, asset.product);
            keys.push_back({asset.id, std::move(vendor_norm), std::move(product_key)});
            ids.push_back(asset.id);
          }
          storage::VulnStore::KeyAssets(tx, keys);
          MatchWrittenAssets(tx, ids, escalator, now);
          return std::make_pair(unkeyed.size(), unkeyed.empty() ? after_id : unkeyed.back().id);
        });
    keyed += done.first;
    after_id = done.second;
    if (done.first < static_cast<size_t>(page)) break;
  }
  return keyed;
}

}  // namespace sitrep::ingest
