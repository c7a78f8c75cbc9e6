#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <string_view>

#include "sitrep/v1/feed.pb.h"

namespace sitrep::bench {

// The regulator queries `sitrep-bench feeds` times (SPEC §4 FeedService.ListIncidents): the
// national centre and a provincial regulator reading the feed from its start and following
// it from positions all over it, and the national centre's common filters.
enum class FeedQuery {
  kNationalFirstPage,    // NATIONAL, no filter, empty page_token
  kNationalFollow,       // NATIONAL, no filter, following next_page_token from a sampled position
  kProvincialFirstPage,  // PROVINCIAL, no filter: its province plus what others share
  kProvincialFollow,     // PROVINCIAL, following as kNationalFollow
  kProvince,             // NATIONAL, one province
  kMinSeverityII,        // NATIONAL, severity II or worse
  kSector,               // NATIONAL, one sector
  kLast24Hours,          // NATIONAL, received in the last 24 hours
  kCve,                  // NATIONAL, incidents naming one CVE
};

inline constexpr std::array<FeedQuery, 9> kFeedQueries = {FeedQuery::kNationalFirstPage,
                                                          FeedQuery::kNationalFollow,
                                                          FeedQuery::kProvincialFirstPage,
                                                          FeedQuery::kProvincialFollow,
                                                          FeedQuery::kProvince,
                                                          FeedQuery::kMinSeverityII,
                                                          FeedQuery::kSector,
                                                          FeedQuery::kLast24Hours,
                                                          FeedQuery::kCve};

// A snake_case name for reports, e.g. "national_first_page".
[[nodiscard]] std::string_view FeedQueryName(FeedQuery query);
// Whether the query is made as the provincial regulator (else as the national centre).
[[nodiscard]] bool AsProvincial(FeedQuery query);
// Whether the query continues a cursor (its caller sets page_token) rather than starting.
[[nodiscard]] bool FollowsCursor(FeedQuery query);

// The request of `query` with `page_size`, its filter drawn with `random` (which province,
// sector or CVE) and its time range relative to `now`; page_token empty.
[[nodiscard]] v1::ListIncidentsRequest FeedQueryRequest(FeedQuery query, uint64_t random,
                                                        std::chrono::system_clock::time_point now,
                                                        int32_t page_size);

}  // namespace sitrep::bench
