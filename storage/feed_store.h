#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "domain/page_token.h"
#include "domain/principal.h"
#include "sitrep/v1/feed.pb.h"
#include "storage/feed_horizon.h"
#include "storage/pool.h"

namespace sitrep::storage {

// One page of a commit-ordered feed: records with their positions, in feed order, and the
// horizon the page was read under: every transaction with an id below it had ended, and no
// record at or past it was served (a later page will serve it).
template <class T>
struct FeedPage {
  std::vector<T> records;
  std::vector<FeedPosition> positions;
  uint64_t horizon = 0;
  uint64_t end = 0;  // FeedHorizon::ReadEnd in the page's transaction: cursors lie before it
};

// The read path's SQL: feeds of incidents and assets behind gap-free cursors, and single
// records, each one transaction as `caller` so that row-level security decides visibility
// (storage/schema/03_records.sql). Filters have been checked (feeds/filter_checks.h).
// Throws only when PostgreSQL fails.
class FeedStore final {
 public:
  FeedStore(Pool& pool, const FeedHorizon& horizon) : pool_(pool), horizon_(horizon) {}

  // Up to `limit` visible incidents after `after` that match `filter`. An incident reached
  // only by SECTOR or PUBLIC sharing comes with `redacted` set and the victim's identity
  // removed before `filter` applies (incidents_as_seen), so a filter on a removed field matches
  // none of them. GetIncident redacts alike.
  [[nodiscard]] FeedPage<v1::Incident> ListIncidents(const Principal& caller,
                                                     const v1::IncidentFilter& filter,
                                                     FeedPosition after, int limit);
  [[nodiscard]] FeedPage<v1::Asset> ListAssets(const Principal& caller,
                                               const v1::AssetFilter& filter, FeedPosition after,
                                               int limit);
  [[nodiscard]] std::optional<v1::Incident> GetIncident(const Principal& caller, int64_t id);
  [[nodiscard]] std::optional<v1::Asset> GetAsset(const Principal& caller, int64_t id);

  // The position just before everything not yet committed: a watcher that starts here sees
  // only what commits from now on.
  [[nodiscard]] FeedPosition Now(const Principal& caller);

  // FeedHorizon::ReadEnd: a cursor whose xid lies at or past it was never issued.
  [[nodiscard]] uint64_t End(const Principal& caller);

 private:
  Pool& pool_;
  const FeedHorizon& horizon_;
};

}  // namespace sitrep::storage
