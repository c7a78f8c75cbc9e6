#include "feeds/feeds.h"

#include "domain/field_checks.h"
#include "domain/page_token.h"
#include "feeds/feed_watch.h"
#include "feeds/filter_checks.h"

namespace sitrep::feeds {
namespace {

constexpr const char* kIncidentFeed = "incidents";
constexpr const char* kAssetFeed = "assets";

Error BadCursor(const char* field) {
  return InvalidArgument({{field, "INVALID_CURSOR",
                           std::string(field) + " is not a cursor or page token of this feed."}});
}

}  // namespace

Outcome<v1::ListIncidentsResponse> Feeds::ListIncidents(const Principal& caller,
                                                        const v1::ListIncidentsRequest& request) {
  FieldViolations violations = CheckIncidentFilter(request.filter(), codes_);
  const std::optional<int> limit = PageSize(request.page_size());
  if (!limit) violations.push_back({"page_size", "OUT_OF_RANGE", "page_size must be 0..1000."});
  if (!violations.empty()) return InvalidArgument(std::move(violations));
  const std::optional<FeedPosition> after = DecodeFeedCursor(kIncidentFeed, request.page_token());
  if (!after) return BadCursor("page_token");
  storage::FeedPage<v1::Incident> page =
      store_.ListIncidents(caller, request.filter(), *after, *limit);
  if (IsBeyondFeedEnd(*after, page.end)) return InvalidArgument({CursorBeyondEnd("page_token")});
  v1::ListIncidentsResponse response;
  const FeedPosition last =
      AppendFeedPage(page, kIncidentFeed, response.mutable_incidents(), *after);
  response.set_next_page_token(EncodeFeedCursor(kIncidentFeed, last));
  return response;
}

Outcome<v1::Incident> Feeds::GetIncident(const Principal& caller, int64_t id) {
  FieldViolations violations;
  if (!CheckId(id, "id", violations)) return InvalidArgument(std::move(violations));
  std::optional<v1::Incident> incident = store_.GetIncident(caller, id);
  if (!incident) return NotFound("incident " + std::to_string(id) + " was not found.");
  return std::move(*incident);
}

Outcome<v1::ListAssetsResponse> Feeds::ListAssets(const Principal& caller,
                                                  const v1::ListAssetsRequest& request) {
  FieldViolations violations = CheckAssetFilter(request.filter(), codes_);
  const std::optional<int> limit = PageSize(request.page_size());
  if (!limit) violations.push_back({"page_size", "OUT_OF_RANGE", "page_size must be 0..1000."});
  if (!violations.empty()) return InvalidArgument(std::move(violations));
  const std::optional<FeedPosition> after = DecodeFeedCursor(kAssetFeed, request.page_token());
  if (!after) return BadCursor("page_token");
  storage::FeedPage<v1::Asset> page = store_.ListAssets(caller, request.filter(), *after, *limit);
  if (IsBeyondFeedEnd(*after, page.end)) return InvalidArgument({CursorBeyondEnd("page_token")});
  v1::ListAssetsResponse response;
  const FeedPosition last = AppendFeedPage(page, kAssetFeed, response.mutable_assets(), *after);
  response.set_next_page_token(EncodeFeedCursor(kAssetFeed, last));
  return response;
}

Outcome<v1::Asset> Feeds::GetAsset(const Principal& caller, int64_t id) {
  FieldViolations violations;
  if (!CheckId(id, "id", violations)) return InvalidArgument(std::move(violations));
  std::optional<v1::Asset> asset = store_.GetAsset(caller, id);
  if (!asset) return NotFound("asset " + std::to_string(id) + " was not found.");
  return std::move(*asset);
}

Outcome<int64_t> Feeds::WatchIncidents(const Principal& caller,
                                       const v1::WatchIncidentsRequest& request,
                                       const IncidentSink& send,
                                       const std::function<bool()>& stopped) {
  FieldViolations violations = CheckIncidentFilter(request.filter(), codes_);
  if (!violations.empty()) return InvalidArgument(std::move(violations));
  const std::optional<FeedPosition> from = DecodeFeedCursor(kIncidentFeed, request.cursor());
  if (!from) return BadCursor("cursor");
  if (!request.cursor().empty() && IsBeyondFeedEnd(*from, store_.End(caller))) {
    return InvalidArgument({CursorBeyondEnd("cursor")});
  }
  const FeedPosition start = request.cursor().empty() ? store_.Now(caller) : *from;
  return WatchFeed(
      listener_, storage::FeedListener::Table::kIncidents, kIncidentFeed, start,
      [&](FeedPosition after) {
        return store_.ListIncidents(caller, request.filter(), after, kWatchPageSize);
      },
      [](v1::WatchIncidentsResponse& response) { return response.mutable_incidents(); }, send,
      stopped);
}

Outcome<int64_t> Feeds::WatchAssets(const Principal& caller, const v1::WatchAssetsRequest& request,
                                    const AssetSink& send, const std::function<bool()>& stopped) {
  FieldViolations violations = CheckAssetFilter(request.filter(), codes_);
  if (!violations.empty()) return InvalidArgument(std::move(violations));
  const std::optional<FeedPosition> from = DecodeFeedCursor(kAssetFeed, request.cursor());
  if (!from) return BadCursor("cursor");
  if (!request.cursor().empty() && IsBeyondFeedEnd(*from, store_.End(caller))) {
    return InvalidArgument({CursorBeyondEnd("cursor")});
  }
  const FeedPosition start = request.cursor().empty() ? store_.Now(caller) : *from;
  return WatchFeed(
      listener_, storage::FeedListener::Table::kAssets, kAssetFeed, start,
      [&](FeedPosition after) {
        return store_.ListAssets(caller, request.filter(), after, kWatchPageSize);
      },
      [](v1::WatchAssetsResponse& response) { return response.mutable_assets(); }, send, stopped);
}

}  // namespace sitrep::feeds
