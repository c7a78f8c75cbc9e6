#include "feeds/feeds.h"

#include <chrono>
#include <thread>

#include "domain/field_checks.h"
#include "domain/page_token.h"
#include "feeds/filter_checks.h"

namespace sitrep::feeds {
namespace {

constexpr const char* kIncidentFeed = "incidents";
constexpr const char* kAssetFeed = "assets";
constexpr auto kHeartbeat = std::chrono::seconds(5);
constexpr auto kWakeCheck = std::chrono::milliseconds(1000);

Error BadCursor(const char* field) {
  return InvalidArgument({{field, "INVALID_CURSOR",
                           std::string(field) + " is not a cursor or page token of this feed."}});
}

// The records of `page` into `records` (each with its cursor); returns the last position.
template <class Record, class Repeated>
FeedPosition Fill(storage::FeedPage<Record>& page, const char* feed, Repeated* records,
                  FeedPosition position) {
  for (size_t i = 0; i < page.records.size(); ++i) {
    page.records[i].set_cursor(EncodeFeedCursor(feed, page.positions[i]));
    *records->Add() = std::move(page.records[i]);
    position = page.positions[i];
  }
  return position;
}

storage::FeedPage<v1::Incident> ListPage(storage::FeedStore& store, const Principal& caller,
                                         const v1::IncidentFilter& filter, FeedPosition after,
                                         int limit) {
  return store.ListIncidents(caller, filter, after, limit);
}

storage::FeedPage<v1::Asset> ListPage(storage::FeedStore& store, const Principal& caller,
                                      const v1::AssetFilter& filter, FeedPosition after,
                                      int limit) {
  return store.ListAssets(caller, filter, after, limit);
}

auto* RecordsOf(v1::WatchIncidentsResponse& response) { return response.mutable_incidents(); }
auto* RecordsOf(v1::WatchAssetsResponse& response) { return response.mutable_assets(); }

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
  const FeedPosition last = Fill(page, kIncidentFeed, response.mutable_incidents(), *after);
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
  const FeedPosition last = Fill(page, kAssetFeed, response.mutable_assets(), *after);
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
  return Watch<v1::Incident, v1::WatchIncidentsResponse>(caller, request.filter(), start,
                                                         storage::FeedListener::Table::kIncidents,
                                                         kIncidentFeed, send, stopped);
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
  return Watch<v1::Asset, v1::WatchAssetsResponse>(caller, request.filter(), start,
                                                   storage::FeedListener::Table::kAssets,
                                                   kAssetFeed, send, stopped);
}

template <class Record, class Response, class Filter>
int64_t Feeds::Watch(const Principal& caller, const Filter& filter, FeedPosition position,
                     storage::FeedListener::Table table, const char* feed,
                     const std::function<bool(const Response&)>& send,
                     const std::function<bool()>& stopped) {
  int64_t sent = 0;
  auto last_message = std::chrono::steady_clock::now();
  auto held_back_wait = std::chrono::milliseconds(2);
  while (!stopped()) {
    // Taken before the query, so a change heard while it runs wakes the wait below at once.
    const uint64_t generation = listener_.generation(table);
    storage::FeedPage<Record> page = ListPage(store_, caller, filter, position, kWatchPageSize);
    if (!page.records.empty()) {
      Response response;
      position = Fill(page, feed, RecordsOf(response), position);
      response.set_cursor(EncodeFeedCursor(feed, position));
      sent += RecordsOf(response)->size();
      if (!send(response)) break;
      last_message = std::chrono::steady_clock::now();
      held_back_wait = std::chrono::milliseconds(2);
      continue;  // a full page may have more behind it
    }
    // A transaction we heard commit lies at or past the horizon: an older one still running
    // holds it back. It will be served as soon as that one ends; look again shortly.
    if (listener_.latest_xid(table) >= page.horizon) {
      std::this_thread::sleep_for(held_back_wait);
      held_back_wait = std::min(held_back_wait * 2, std::chrono::milliseconds(200));
      continue;
    }
    if (std::chrono::steady_clock::now() - last_message >= kHeartbeat) {
      Response heartbeat;
      heartbeat.set_cursor(EncodeFeedCursor(feed, position));
      if (!send(heartbeat)) break;
      last_message = std::chrono::steady_clock::now();
    }
    listener_.WaitForChange(table, generation, kWakeCheck);
  }
  return sent;
}

}  // namespace sitrep::feeds
