#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "tests/support/test_data.h"
#include "vulns/match.h"

// Matching quality measured on a labelled set (tests/data/vulns/labelled_pairs.jsonl; how it
// was made, and why its labels do not come from this code: tests/data/README.md), and the
// match verdicts' reasons.
namespace sitrep::vulns {
namespace {

TEST(MatchQualityTest, PrecisionAndRecallOnTheLabelledSet) {
  std::ifstream in(test::TestDataDir() / "vulns" / "labelled_pairs.jsonl");
  ASSERT_TRUE(in) << "tests/data/vulns/labelled_pairs.jsonl is missing";
  int true_positive = 0, false_positive = 0, false_negative = 0, true_negative = 0;
  int review = 0, rows = 0;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    nlohmann::json row = nlohmann::json::parse(line);
    ++rows;
    Asset asset{row["asset"]["vendor"], row["asset"]["product"], row["asset"]["version"]};
    ProductBranch branch{row["branch"]["path"], row["branch"]["vendor"], row["branch"]["product"],
                         row["branch"]["is_range"], row["branch"]["expression"]};
    const bool expected = row["label"] == "match";
    MatchResult result = Match(asset, branch);
    // "Needs review" is no match claimed: it costs recall, never precision.
    const bool predicted = result.verdict == Verdict::kMatch;
    if (result.verdict == Verdict::kNeedsReview) ++review;
    if (predicted && expected) ++true_positive;
    if (predicted && !expected) ++false_positive;
    if (!predicted && expected) ++false_negative;
    if (!predicted && !expected) ++true_negative;
    EXPECT_EQ(predicted, expected)
        << line << "\n  -> " << VerdictName(result.verdict) << ": " << result.reason;
  }
  ASSERT_GE(rows, 300);
  const double precision = true_positive / static_cast<double>(true_positive + false_positive);
  const double recall = true_positive / static_cast<double>(true_positive + false_negative);
  std::cout << "labelled pairs: " << rows << " (tp " << true_positive << ", fp " << false_positive
            << ", fn " << false_negative << ", tn " << true_negative << ", needs review " << review
            << ")\nprecision: " << precision << "\nrecall: " << recall << "\n";
  EXPECT_GE(precision, 0.98);
  EXPECT_GE(recall, 0.95);
}

struct MatchCase {
  Asset asset;
  ProductBranch branch;
  Verdict expected;
};

TEST(MatchVerdictTest, DecidesVendorProductThenVersion) {
  const ProductBranch range{"Mitsubishi Electric/MELSEC iQ-R R00CPU/<=12.1.3",
                            "Mitsubishi Electric Corporation", "MELSEC iQ-R R00CPU", true,
                            "<=12.1.3"};
  const ProductBranch single{"Hitachi Energy/FOX615/R15B", "Hitachi Energy ", "FOX615", false,
                             "R15B"};
  const ProductBranch hyphen{"Mitsubishi Electric/GT SoftGOT/1.265B -1.285X", "Mitsubishi Electric",
                             "GT SoftGOT", false, "1.265B -1.285X"};
  const ProductBranch as_range{"Rockwell Automation/X/vers:all/*", "Rockwell Automation", "X",
                               false, "vers:all/*"};
  const ProductBranch prose{"Televes/CoaxData/<=TitanNit_2.01", "Televes", "CoaxData", true,
                            "<=TitanNit_2.01"};
  const std::vector<MatchCase> cases = {
      {{" Mitsubishi Electric", "melsec iq-r r00cpu", "12.1.3"}, range, Verdict::kMatch},
      {{"Mitsubishi Electric", "MELSEC iQ-R R00CPU", "12.1.4"}, range, Verdict::kNoMatch},
      {{"Mitsubishi Electric", "MELSEC iQ-R R01CPU", "12.1.0"}, range, Verdict::kNoMatch},
      {{"Mitsubishi Electric", "Mitsubishi Electric MELSEC iQ-R R00CPU", "1"},
       range,
       Verdict::kMatch},
      {{"Siemens", "MELSEC iQ-R R00CPU", "12.1.0"}, range, Verdict::kNoMatch},
      {{"Mitsubishi Electric", "MELSEC iQ-R R00CPU", ""}, range, Verdict::kNeedsReview},
      {{"Hitachi Energy", "FOX615", "r15b"}, single, Verdict::kMatch},
      {{"Hitachi Energy", "FOX615", "R15A"}, single, Verdict::kNoMatch},
      {{"Hitachi Energy", "FOX615", ""}, single, Verdict::kNeedsReview},
      {{"Mitsubishi Electric", "GT SoftGOT", "1.270C"}, hyphen, Verdict::kMatch},
      {{"Mitsubishi Electric", "GT SoftGOT", "1.290A"}, hyphen, Verdict::kNoMatch},
      {{"Rockwell Automation", "X", ""}, as_range, Verdict::kMatch},
      {{"Televes", "CoaxData", "2.00"}, prose, Verdict::kNeedsReview},
      {{"", "", ""}, range, Verdict::kNoMatch},
  };
  for (const MatchCase& c : cases) {
    MatchResult result = Match(c.asset, c.branch);
    EXPECT_EQ(VerdictName(result.verdict), std::string(VerdictName(c.expected)))
        << c.asset.vendor << "/" << c.asset.product << "/" << c.asset.version << " vs "
        << c.branch.path << ": " << result.reason;
    EXPECT_EQ(result.branch_path, c.branch.path);
    EXPECT_EQ(result.expression, c.branch.expression);
    EXPECT_EQ(result.asset_version, c.asset.version);
    EXPECT_FALSE(result.reason.empty());
  }
}

}  // namespace
}  // namespace sitrep::vulns
