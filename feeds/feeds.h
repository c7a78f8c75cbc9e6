#pragma once

#include <cstdint>
#include <functional>

#include "domain/outcome.h"
#include "domain/principal.h"
#include "domain/reference_codes.h"
#include "sitrep/v1/feed.pb.h"
#include "storage/feed_listener.h"
#include "storage/feed_store.h"

namespace sitrep::feeds {

// The rules of FeedService's record feeds (SPEC §3, §4): filters checked, cursors decoded,
// pages in commit order, and live watches that replay from a cursor and then tail what
// commits, woken by the FeedListener rather than by polling. Visibility is PostgreSQL's
// (row-level security); every read runs as its caller. Thread-safe; throws only when
// PostgreSQL fails.
class Feeds final {
 public:
  static constexpr int kWatchPageSize = 500;

  Feeds(storage::FeedStore& store, storage::FeedListener& listener, const ReferenceCodes& codes)
      : store_(store), listener_(listener), codes_(codes) {}

  [[nodiscard]] Outcome<v1::ListIncidentsResponse> ListIncidents(
      const Principal& caller, const v1::ListIncidentsRequest& request);
  [[nodiscard]] Outcome<v1::Incident> GetIncident(const Principal& caller, int64_t id);
  [[nodiscard]] Outcome<v1::ListAssetsResponse> ListAssets(const Principal& caller,
                                                           const v1::ListAssetsRequest& request);
  [[nodiscard]] Outcome<v1::Asset> GetAsset(const Principal& caller, int64_t id);

  // Sends what `request` selects from its cursor on, then what commits, until `send` returns
  // false (the client went away) or `stopped()` is true; a quiet feed gets an empty message
  // (a heartbeat carrying the cursor) every few seconds. Returns the number of records sent,
  // or the Error of a bad filter or cursor (before anything is sent).
  using IncidentSink = std::function<bool(const v1::WatchIncidentsResponse&)>;
  using AssetSink = std::function<bool(const v1::WatchAssetsResponse&)>;
  [[nodiscard]] Outcome<int64_t> WatchIncidents(const Principal& caller,
                                                const v1::WatchIncidentsRequest& request,
                                                const IncidentSink& send,
                                                const std::function<bool()>& stopped);
  [[nodiscard]] Outcome<int64_t> WatchAssets(const Principal& caller,
                                             const v1::WatchAssetsRequest& request,
                                             const AssetSink& send,
                                             const std::function<bool()>& stopped);

 private:
  storage::FeedStore& store_;
  storage::FeedListener& listener_;
  const ReferenceCodes& codes_;
};

}  // namespace sitrep::feeds
