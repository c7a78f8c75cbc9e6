#pragma once

#include <cstdint>
#include <functional>

#include "domain/outcome.h"
#include "domain/principal.h"
#include "domain/reference_codes.h"
#include "sitrep/v1/vulnerability.pb.h"
#include "storage/feed_listener.h"
#include "storage/feed_store.h"
#include "storage/vulnerability_store.h"

namespace sitrep::feeds {

// The read rules of VulnerabilityService (issue 18): every field of every request checked
// (a FieldViolation naming it), advisories paged and watched in commit order behind the same
// cursors and horizon as the record feeds (feeds/feed_watch.h), matched assets paged by asset
// id. Visibility is PostgreSQL's: advisories by their TLP (storage/schema/07_vulns.sql), matched
// assets by the assets' own row-level security; every read runs as its caller. Thread-safe;
// throws only when PostgreSQL fails.
class Vulnerabilities final {
 public:
  static constexpr int kWatchPageSize = 500;

  // `feeds` answers where the feeds end (FeedStore::Now, End): one horizon for every feed.
  Vulnerabilities(storage::VulnerabilityStore& store, storage::FeedStore& feeds,
                  storage::FeedListener& listener, const ReferenceCodes& codes)
      : store_(store), feeds_(feeds), listener_(listener), codes_(codes) {}

  [[nodiscard]] Outcome<v1::ListAdvisoriesResponse> ListAdvisories(
      const Principal& caller, const v1::ListAdvisoriesRequest& request);
  // NOT_FOUND for an advisory the caller may not read, as for one that does not exist.
  [[nodiscard]] Outcome<v1::Advisory> GetAdvisory(const Principal& caller,
                                                  const v1::GetAdvisoryRequest& request);
  [[nodiscard]] Outcome<v1::ListVulnerabilitiesResponse> ListVulnerabilities(
      const Principal& caller, const v1::ListVulnerabilitiesRequest& request);
  // NOT_FOUND when no advisory the caller may read lists the CVE and the catalog does not
  // either.
  [[nodiscard]] Outcome<v1::GetVulnerabilityResponse> GetVulnerability(
      const Principal& caller, const v1::GetVulnerabilityRequest& request);
  // NOT_FOUND for an advisory the caller may not read.
  [[nodiscard]] Outcome<v1::ListAffectedAssetsResponse> ListAffectedAssets(
      const Principal& caller, const v1::ListAffectedAssetsRequest& request);
  // NOT_FOUND for an asset the caller may not read.
  [[nodiscard]] Outcome<v1::ListAdvisoriesForAssetResponse> ListAdvisoriesForAsset(
      const Principal& caller, const v1::ListAdvisoriesForAssetRequest& request);

  // As Feeds::WatchIncidents, for advisories.
  using AdvisorySink = std::function<bool(const v1::WatchAdvisoriesResponse&)>;
  [[nodiscard]] Outcome<int64_t> WatchAdvisories(const Principal& caller,
                                                 const v1::WatchAdvisoriesRequest& request,
                                                 const AdvisorySink& send,
                                                 const std::function<bool()>& stopped);

 private:
  storage::VulnerabilityStore& store_;
  storage::FeedStore& feeds_;
  storage::FeedListener& listener_;
  const ReferenceCodes& codes_;
};

}  // namespace sitrep::feeds
