#include "feeds/vulnerabilities.h"

#include <string>
#include <utility>

#include "domain/field_checks.h"
#include "domain/page_token.h"
#include "domain/record_checks.h"
#include "feeds/feed_watch.h"
#include "feeds/filter_checks.h"
#include "vulns/normalise.h"

namespace sitrep::feeds {
namespace {

constexpr const char* kAdvisoryFeed = "advisories";
constexpr const char* kVulnerabilityList = "vulnerabilities";
constexpr const char* kAffectedList = "affected-assets";
constexpr size_t kMaxTrackingIdChars = 128;

Error BadCursor(const char* field) {
  return InvalidArgument({{field, "INVALID_CURSOR",
                           std::string(field) + " is not a cursor or page token of this list."}});
}

// page_size, with the same limits as every list.
std::optional<int> CheckPageSize(int32_t requested, FieldViolations& violations) {
  const std::optional<int> limit = PageSize(requested);
  if (!limit) violations.push_back({"page_size", "OUT_OF_RANGE", "page_size must be 0..1000."});
  return limit;
}

void CheckTrackingId(const std::string& tracking_id, FieldViolations& violations) {
  CheckText(tracking_id, "tracking_id", 1, kMaxTrackingIdChars, violations);
}

void CheckRequiredCve(const std::string& cve_id, FieldViolations& violations) {
  if (!IsValidCveId(cve_id)) {
    violations.push_back({"cve_id", "INVALID_CVE_ID", "cve_id must look like CVE-2024-12345."});
  }
}

// The filter as storage applies it: the vendor folded as the product trees' vendors were
// (vulns/normalise.h), so any spelling of a vendor finds its advisories.
v1::AdvisoryFilter StoredFilter(const v1::AdvisoryFilter& filter) {
  v1::AdvisoryFilter stored = filter;
  if (!filter.vendor().empty()) stored.set_vendor(vulns::Normalise(filter.vendor()));
  return stored;
}

}  // namespace

Outcome<v1::ListAdvisoriesResponse> Vulnerabilities::ListAdvisories(
    const Principal& caller, const v1::ListAdvisoriesRequest& request) {
  FieldViolations violations = CheckAdvisoryFilter(request.filter(), codes_);
  const std::optional<int> limit = CheckPageSize(request.page_size(), violations);
  if (!violations.empty()) return InvalidArgument(std::move(violations));
  const std::optional<FeedPosition> after = DecodeFeedCursor(kAdvisoryFeed, request.page_token());
  if (!after) return BadCursor("page_token");
  storage::FeedPage<v1::Advisory> page =
      store_.ListAdvisories(caller, StoredFilter(request.filter()), *after, *limit);
  if (IsBeyondFeedEnd(*after, page.end)) return InvalidArgument({CursorBeyondEnd("page_token")});
  v1::ListAdvisoriesResponse response;
  const FeedPosition last =
      AppendFeedPage(page, kAdvisoryFeed, response.mutable_advisories(), *after);
  response.set_next_page_token(EncodeFeedCursor(kAdvisoryFeed, last));
  return response;
}

Outcome<v1::Advisory> Vulnerabilities::GetAdvisory(const Principal& caller,
                                                   const v1::GetAdvisoryRequest& request) {
  FieldViolations violations;
  CheckTrackingId(request.tracking_id(), violations);
  if (request.revision() < 0) {
    violations.push_back({"revision", "OUT_OF_RANGE", "revision must be 0 (current) or more."});
  }
  if (!violations.empty()) return InvalidArgument(std::move(violations));
  std::optional<v1::Advisory> advisory = store_.GetAdvisory(
      caller, request.tracking_id(), request.revision(), request.include_document());
  if (!advisory) {
    return NotFound("advisory " + request.tracking_id() +
                    (request.revision() == 0 ? std::string()
                                             : " revision " + std::to_string(request.revision())) +
                    " was not found.");
  }
  return std::move(*advisory);
}

Outcome<v1::ListVulnerabilitiesResponse> Vulnerabilities::ListVulnerabilities(
    const Principal& caller, const v1::ListVulnerabilitiesRequest& request) {
  FieldViolations violations = CheckAdvisoryFilter(request.filter(), codes_);
  const std::optional<int> limit = CheckPageSize(request.page_size(), violations);
  if (!violations.empty()) return InvalidArgument(std::move(violations));
  const std::optional<int64_t> after = DecodePageToken(kVulnerabilityList, request.page_token());
  if (!after) return BadCursor("page_token");
  storage::Page<v1::Vulnerability> page =
      store_.ListVulnerabilities(caller, StoredFilter(request.filter()), *after, *limit);
  v1::ListVulnerabilitiesResponse response;
  for (v1::Vulnerability& vulnerability : page.items) {
    *response.add_vulnerabilities() = std::move(vulnerability);
  }
  if (page.last_key != 0) {
    response.set_next_page_token(EncodePageToken(kVulnerabilityList, page.last_key));
  }
  return response;
}

Outcome<v1::GetVulnerabilityResponse> Vulnerabilities::GetVulnerability(
    const Principal& caller, const v1::GetVulnerabilityRequest& request) {
  FieldViolations violations;
  CheckRequiredCve(request.cve_id(), violations);
  if (!violations.empty()) return InvalidArgument(std::move(violations));
  v1::GetVulnerabilityResponse response = store_.GetVulnerability(caller, request.cve_id());
  if (!response.has_known_exploited() && response.vulnerabilities().empty()) {
    return NotFound(request.cve_id() + " is in no advisory you may read nor in the catalog.");
  }
  return response;
}

Outcome<v1::ListAffectedAssetsResponse> Vulnerabilities::ListAffectedAssets(
    const Principal& caller, const v1::ListAffectedAssetsRequest& request) {
  FieldViolations violations;
  CheckTrackingId(request.tracking_id(), violations);
  for (FieldViolation& violation : CheckAffectedProvinces(request.provinces(), codes_)) {
    violations.push_back(std::move(violation));
  }
  const std::optional<int> limit = CheckPageSize(request.page_size(), violations);
  if (!violations.empty()) return InvalidArgument(std::move(violations));
  const std::optional<int64_t> after = DecodePageToken(kAffectedList, request.page_token());
  if (!after) return BadCursor("page_token");
  storage::AffectedAssetsQuery query;
  query.tracking_id = request.tracking_id();
  query.provinces.assign(request.provinces().begin(), request.provinces().end());
  query.internet_exposed_only = request.internet_exposed_only();
  query.include_needs_review = request.include_needs_review();
  query.after_asset_id = *after;
  query.limit = *limit;
  std::optional<storage::Page<v1::AssetMatch>> page = store_.ListAffectedAssets(caller, query);
  if (!page) return NotFound("advisory " + request.tracking_id() + " was not found.");
  v1::ListAffectedAssetsResponse response;
  for (v1::AssetMatch& match : page->items) *response.add_matches() = std::move(match);
  if (page->last_key != 0) {
    response.set_next_page_token(EncodePageToken(kAffectedList, page->last_key));
  }
  return response;
}

Outcome<v1::ListAdvisoriesForAssetResponse> Vulnerabilities::ListAdvisoriesForAsset(
    const Principal& caller, const v1::ListAdvisoriesForAssetRequest& request) {
  FieldViolations violations;
  if (!CheckId(request.asset_id(), "asset_id", violations)) {
    return InvalidArgument(std::move(violations));
  }
  std::optional<std::vector<v1::AssetMatch>> matches =
      store_.ListAdvisoriesForAsset(caller, request.asset_id());
  if (!matches) return NotFound("asset " + std::to_string(request.asset_id()) + " was not found.");
  v1::ListAdvisoriesForAssetResponse response;
  for (v1::AssetMatch& match : *matches) *response.add_matches() = std::move(match);
  return response;
}

Outcome<int64_t> Vulnerabilities::WatchAdvisories(const Principal& caller,
                                                  const v1::WatchAdvisoriesRequest& request,
                                                  const AdvisorySink& send,
                                                  const std::function<bool()>& stopped) {
  FieldViolations violations = CheckAdvisoryFilter(request.filter(), codes_);
  if (!violations.empty()) return InvalidArgument(std::move(violations));
  const std::optional<FeedPosition> from = DecodeFeedCursor(kAdvisoryFeed, request.cursor());
  if (!from) return BadCursor("cursor");
  if (!request.cursor().empty() && IsBeyondFeedEnd(*from, feeds_.End(caller))) {
    return InvalidArgument({CursorBeyondEnd("cursor")});
  }
  const FeedPosition start = request.cursor().empty() ? feeds_.Now(caller) : *from;
  const v1::AdvisoryFilter filter = StoredFilter(request.filter());
  return WatchFeed(
      listener_, storage::FeedListener::Table::kAdvisories, kAdvisoryFeed, start,
      [&](FeedPosition after) {
        return store_.ListAdvisories(caller, filter, after, kWatchPageSize);
      },
      [](v1::WatchAdvisoriesResponse& response) { return response.mutable_advisories(); }, send,
      stopped);
}

}  // namespace sitrep::feeds
