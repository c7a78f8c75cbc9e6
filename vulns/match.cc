#include "vulns/match.h"

#include <optional>
#include <string_view>

#include "vulns/normalise.h"
#include "vulns/version.h"

namespace sitrep::vulns {
namespace {

bool SameProduct(const std::string& vendor_norm, std::string_view asset, std::string_view branch) {
  const std::string key = ProductKey(vendor_norm, asset);
  return !key.empty() && key == ProductKey(vendor_norm, branch);
}

// "01.14.000 -01.47.000", "1.265B -1.285X": a single-version field holding an interval. A
// hyphen with a space before it only: "2.03-02" is one version.
std::optional<std::string> HyphenInterval(std::string_view text) {
  size_t dash = text.find(" -");
  if (dash == std::string_view::npos || dash == 0) return std::nullopt;
  std::string_view low = text.substr(0, dash);
  std::string_view high = text.substr(dash + 2);
  while (!high.empty() && high.front() == ' ') high.remove_prefix(1);
  if (!IsPlainVersion(low) || !IsPlainVersion(high)) return std::nullopt;
  return ">=" + std::string(low) + "|<=" + std::string(high);
}

std::string Lowered(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c != ' ') out += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  }
  return out;
}

// A product_version branch: one version or model number.
MatchResult SingleVersion(MatchResult result, const Asset& asset, std::string_view expected) {
  if (asset.version.empty()) {
    result.verdict = Verdict::kNeedsReview;
    result.reason = "the asset reports no version; the advisory names version \"" +
                    std::string(expected) + "\"";
    return result;
  }
  bool equal = Lowered(asset.version) == Lowered(expected);
  if (!equal && IsPlainVersion(expected)) {
    std::optional<int> order = CompareVersions(ParseVersion(asset.version), ParseVersion(expected));
    equal = order && *order == 0;
  }
  result.verdict = equal ? Verdict::kMatch : Verdict::kNoMatch;
  result.reason = "version \"" + asset.version + "\" " + (equal ? "is" : "is not") +
                  " the advisory's version \"" + std::string(expected) + "\"";
  return result;
}

MatchResult InRangeResult(MatchResult result, const Range& range, const std::string& version) {
  RangeAnswer answer = Contains(range, version);
  result.verdict = answer.in == InRange::kYes  ? Verdict::kMatch
                   : answer.in == InRange::kNo ? Verdict::kNoMatch
                                               : Verdict::kNeedsReview;
  result.reason = answer.reason;
  return result;
}

bool LooksLikeRange(std::string_view text) {
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  return text.starts_with("vers:") || text.starts_with('<') || text.starts_with('>') ||
         text.starts_with('=');
}

}  // namespace

MatchResult Match(const Asset& asset, const ProductBranch& branch) {
  MatchResult result;
  result.branch_path = branch.path;
  result.expression = branch.expression;
  result.asset_version = asset.version;
  std::string vendor = Normalise(branch.vendor);
  if (vendor.empty() || Normalise(asset.vendor) != vendor) {
    result.reason = "vendor \"" + asset.vendor + "\" is not \"" + branch.vendor + "\"";
    return result;
  }
  if (!SameProduct(vendor, asset.product, branch.product)) {
    result.reason = "product \"" + asset.product + "\" is not \"" + branch.product + "\"";
    return result;
  }
  if (branch.is_range || LooksLikeRange(branch.expression)) {
    return InRangeResult(std::move(result), ParseRange(branch.expression), asset.version);
  }
  if (auto interval = HyphenInterval(branch.expression)) {
    return InRangeResult(std::move(result), ParseRange(*interval), asset.version);
  }
  return SingleVersion(std::move(result), asset, branch.expression);
}

const char* VerdictName(Verdict verdict) {
  switch (verdict) {
    case Verdict::kMatch:
      return "match";
    case Verdict::kNoMatch:
      return "no_match";
    case Verdict::kNeedsReview:
      return "needs_review";
  }
  return "unknown";
}

}  // namespace sitrep::vulns
