#include "ingest/advisory_matching.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <tuple>
#include <vector>

#include "tests/support/test_data.h"
#include "vulns/match.h"
#include "vulns/normalise.h"

// ComputeMatches looks leaves up by vendor and product key instead of trying every leaf of the
// vendor; it must find exactly what trying every leaf with vulns::Match finds.
namespace sitrep::ingest {
namespace {

using storage::CandidateAsset;
using storage::CandidateProduct;
using Row =
    std::tuple<int64_t, int64_t, std::string, std::string>;  // asset, advisory, path, verdict

// Every (asset, advisory): the first leaf that matches, else the first that needs review.
std::vector<Row> EveryLeafTried(const std::vector<CandidateAsset>& assets,
                                const std::vector<CandidateProduct>& products) {
  std::vector<Row> rows;
  for (const CandidateAsset& asset : assets) {
    std::map<int64_t, Row> best;
    for (const CandidateProduct& leaf : products) {
      if (asset.vendor_norm.empty() || leaf.vendor_norm != asset.vendor_norm) continue;
      const vulns::MatchResult result = vulns::Match(
          {asset.vendor, asset.product, asset.version},
          {leaf.branch_path, leaf.vendor, leaf.product, leaf.is_range, leaf.expression});
      if (result.verdict == vulns::Verdict::kNoMatch) continue;
      const std::string verdict =
          result.verdict == vulns::Verdict::kMatch ? "MATCH" : "NEEDS_REVIEW";
      auto [it, fresh] = best.try_emplace(
          leaf.advisory_id, Row{asset.id, leaf.advisory_id, leaf.branch_path, verdict});
      if (!fresh && std::get<3>(it->second) != "MATCH" && verdict == "MATCH") {
        it->second = Row{asset.id, leaf.advisory_id, leaf.branch_path, verdict};
      }
    }
    for (auto& [advisory, row] : best) rows.push_back(row);
  }
  std::sort(rows.begin(), rows.end());
  return rows;
}

CandidateAsset AssetOf(int64_t id, std::string vendor, std::string product, std::string version) {
  CandidateAsset asset;
  asset.id = id;
  asset.vendor_norm = vulns::Normalise(vendor);
  asset.vendor = std::move(vendor);
  asset.product = std::move(product);
  asset.version = std::move(version);
  return asset;
}

CandidateProduct LeafOf(int64_t advisory, std::string vendor, std::string product,
                        std::string expression, bool is_range) {
  CandidateProduct leaf;
  leaf.advisory_id = advisory;
  leaf.vendor_norm = vulns::Normalise(vendor);
  leaf.branch_path = vendor + "/" + product + "/" + expression;
  leaf.vendor = std::move(vendor);
  leaf.product = std::move(product);
  leaf.expression = std::move(expression);
  leaf.is_range = is_range;
  return leaf;
}

std::vector<Row> Computed(const std::vector<CandidateAsset>& assets,
                          const std::vector<CandidateProduct>& products) {
  std::vector<Row> rows;
  for (const storage::MatchRow& row : ComputeMatches(assets, products).rows) {
    rows.emplace_back(row.asset_id, row.advisory_id, row.branch_path, row.verdict);
  }
  std::sort(rows.begin(), rows.end());
  return rows;
}

// The vendor's name in front of either product, on both, twice, and spelled differently.
TEST(AdvisoryMatchingTest, ProductKeysLoseNoPairThatMatchFinds) {
  const std::vector<CandidateProduct> products = {
      LeafOf(1, "Siemens", "SIMATIC S7-1500", "<2.9", true),
      LeafOf(1, "Siemens AG", "Siemens SIMATIC S7-1200", "vers:all/*", true),
      LeafOf(2, "Siemens", "Siemens Siemens Tool", "1.0", false),
      LeafOf(2, "Siemens", "SIMATIC S7-1500", ">=3.0", true),
      LeafOf(3, "Mitsubishi Electric", "MELSEC iQ-R R00CPU", "<=12.1.3", true),
      LeafOf(3, "Mitsubishi Electric", "MELSEC iQ-R R00CPU", "see the vendor's page", true),
  };
  const std::vector<CandidateAsset> assets = {
      AssetOf(10, "Siemens", "Siemens SIMATIC S7-1500", "2.8"),
      AssetOf(11, "SIEMENS AG", "simatic s7-1500", "3.1"),
      AssetOf(12, "Siemens", "SIMATIC S7-1200", "4.0"),
      AssetOf(13, "Siemens", "Siemens Tool", "1.0"),
      AssetOf(14, "Siemens", "Siemens Siemens Tool", "1.0"),
      AssetOf(15, "Mitsubishi Electric Corporation", "MELSEC iQ-R R00CPU", "12.1.2"),
      AssetOf(16, "Mitsubishi Electric", "MELSEC iQ-R R00CPU", "13"),
      AssetOf(17, "Siemens", "SCALANCE X", "1.0"),
      AssetOf(18, "", "SIMATIC S7-1500", "2.8"),
  };
  const std::vector<Row> expected = EveryLeafTried(assets, products);
  EXPECT_EQ(Computed(assets, products), expected);
  EXPECT_GE(expected.size(), 6u);  // the table exercises matches, not only misses
}

// The database hands matching only the assets whose stored (vendor_norm, product_key) is a
// leaf's (storage sitrep_match_candidate_assets): every pair vulns::Match does not reject must
// carry the same key on both sides, as the writer computes it for the asset.
void ExpectEveryMatchSharesTheKey(const std::vector<CandidateAsset>& assets,
                                  const std::vector<CandidateProduct>& products) {
  size_t matched = 0;
  for (const CandidateAsset& asset : assets) {
    const std::string asset_norm = vulns::Normalise(asset.vendor);
    const std::string asset_key = vulns::ProductKey(asset_norm, asset.product);
    for (const CandidateProduct& leaf : products) {
      const vulns::MatchResult result = vulns::Match(
          {asset.vendor, asset.product, asset.version},
          {leaf.branch_path, leaf.vendor, leaf.product, leaf.is_range, leaf.expression});
      if (result.verdict == vulns::Verdict::kNoMatch) continue;
      ++matched;
      EXPECT_EQ(asset_norm, leaf.vendor_norm) << asset.product << " / " << leaf.branch_path;
      EXPECT_EQ(asset_key, vulns::ProductKey(leaf.vendor_norm, leaf.product))
          << asset.product << " / " << leaf.branch_path;
    }
  }
  EXPECT_GT(matched, 0u);
}

std::vector<CandidateAsset> KeyTableAssets() {
  return {AssetOf(10, "Siemens", "Siemens SIMATIC S7-1500", "2.8"),
          AssetOf(11, "SIEMENS AG", "simatic s7-1500", "3.1"),
          AssetOf(12, "Siemens", "SIMATIC® S7-1200", "4.0"),
          AssetOf(13, "Siemens", "Siemens Tool", "1.0"),
          AssetOf(14, "Siemens", "Siemens Siemens Tool", "1.0"),
          AssetOf(15, " Mitsubishi Electric Corporation", "MELSEC_iQ-R R00CPU", "12.1.2")};
}

std::vector<CandidateProduct> KeyTableLeaves() {
  return {
      LeafOf(1, "Siemens", "SIMATIC S7-1500", "<2.9", true),
      LeafOf(1, "Siemens AG", "Siemens SIMATIC S7-1200", "vers:all/*", true),
      LeafOf(2, "Siemens", "Siemens Siemens Tool", "1.0", false),
      LeafOf(2, "Siemens", "Tool", "1.0", false),
      LeafOf(3, "Mitsubishi Electric", "Mitsubishi Electric MELSEC iQ-R R00CPU", "<=12.1.3", true)};
}

TEST(AdvisoryMatchingTest, EveryMatchedPairSharesTheStoredProductKey) {
  ExpectEveryMatchSharesTheKey(KeyTableAssets(), KeyTableLeaves());
}

// The labelled set as (asset, leaf) rows, leaves in advisory order (as storage hands them over).
void ReadLabelledSet(std::vector<CandidateAsset>& assets, std::vector<CandidateProduct>& products) {
  std::ifstream in(test::TestDataDir() / "vulns" / "labelled_pairs.jsonl");
  ASSERT_TRUE(in) << "tests/data/vulns/labelled_pairs.jsonl is missing";
  std::map<std::string, int64_t> advisory_ids;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    const nlohmann::json row = nlohmann::json::parse(line);
    const auto advisory = advisory_ids.try_emplace(row["source"], advisory_ids.size() + 1).first;
    assets.push_back(AssetOf(static_cast<int64_t>(assets.size() + 1), row["asset"]["vendor"],
                             row["asset"]["product"], row["asset"]["version"]));
    CandidateProduct leaf =
        LeafOf(advisory->second, row["branch"]["vendor"], row["branch"]["product"],
               row["branch"]["expression"], row["branch"]["is_range"]);
    leaf.branch_path = row["branch"]["path"];
    products.push_back(std::move(leaf));
  }
  // Storage hands leaves over in advisory order (VulnStore::CandidateProducts).
  std::stable_sort(products.begin(), products.end(),
                   [](const CandidateProduct& a, const CandidateProduct& b) {
                     return a.advisory_id < b.advisory_id;
                   });
}

TEST(AdvisoryMatchingTest, EveryLabelledMatchSharesTheStoredProductKey) {
  std::vector<CandidateAsset> assets;
  std::vector<CandidateProduct> products;
  ReadLabelledSet(assets, products);
  ASSERT_GE(assets.size(), 300u);
  ExpectEveryMatchSharesTheKey(assets, products);
}

// The same over the labelled set: every asset against every branch of its vendor.
TEST(AdvisoryMatchingTest, TheLabelledSetMatchesAlikeEitherWay) {
  std::vector<CandidateAsset> assets;
  std::vector<CandidateProduct> products;
  ReadLabelledSet(assets, products);
  ASSERT_GE(assets.size(), 300u);
  const std::vector<Row> expected = EveryLeafTried(assets, products);
  EXPECT_EQ(Computed(assets, products), expected);
  EXPECT_GE(expected.size(), 100u);
}

}  // namespace
}  // namespace sitrep::ingest
