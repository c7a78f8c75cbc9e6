#pragma once

#include <string>

// Matching one asset against one product branch of an advisory's CSAF product tree. Pure.
namespace sitrep::vulns {

struct Asset {
  std::string vendor;
  std::string product;
  std::string version;  // as the asset reports it; may be empty
};

// One leaf of a CSAF product tree: vendor → product_name → product_version(_range).
struct ProductBranch {
  std::string path;        // e.g. "Mitsubishi Electric/MELSEC iQ-R R00CPU/<=12.1.3"
  std::string vendor;      // the vendor branch's name
  std::string product;     // the product_name branch's name
  bool is_range = true;    // product_version_range (true) or product_version (false)
  std::string expression;  // the range expression or the single version (or model number)
};

enum class Verdict { kMatch, kNoMatch, kNeedsReview };

struct MatchResult {
  Verdict verdict = Verdict::kNoMatch;
  std::string reason;         // one sentence: why
  std::string branch_path;    // the branch matched against
  std::string expression;     // its range expression or version
  std::string asset_version;  // the asset's version as reported
};

// Vendors must be equal after Normalise, products by ProductKey (normalise.h: NormaliseProduct,
// the vendor's name in front left out on either side).
// Then the version: a range branch by Contains (version.h); a single-version branch matches
// an equal version or an equal model number, and reads "a - b" as the interval a..b; a
// single-version branch written as a range ("vers:all/*", "<= 2.1") is read as one. A version
// without an order against the range, a free-text range or an unknown asset version is
// kNeedsReview.
[[nodiscard]] MatchResult Match(const Asset& asset, const ProductBranch& branch);

[[nodiscard]] const char* VerdictName(Verdict verdict);

}  // namespace sitrep::vulns
