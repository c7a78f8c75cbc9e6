#include "bench/feed_page_queries.h"

#include <algorithm>
#include <string>
#include <vector>

#include "collector/demo_vocabulary.h"
#include "collector/provinces.h"
#include "domain/time_convert.h"

namespace sitrep::bench {
namespace {

// The sectors the loaded incidents use (those of the demo generator's facilities), once each.
const std::vector<std::string_view>& LoadedSectors() {
  static const std::vector<std::string_view> sectors = [] {
    std::vector<std::string_view> codes;
    for (const collector::demo::Facility& facility : collector::demo::kFacilities) {
      if (std::find(codes.begin(), codes.end(), facility.sector) == codes.end()) {
        codes.push_back(facility.sector);
      }
    }
    return codes;
  }();
  return sectors;
}

template <class Container>
const auto& Pick(const Container& items, uint64_t random) {
  return items[random % items.size()];
}

}  // namespace

std::string_view FeedQueryName(FeedQuery query) {
  switch (query) {
    case FeedQuery::kNationalFirstPage:
      return "national_first_page";
    case FeedQuery::kNationalFollow:
      return "national_follow";
    case FeedQuery::kProvincialFirstPage:
      return "provincial_first_page";
    case FeedQuery::kProvincialFollow:
      return "provincial_follow";
    case FeedQuery::kProvince:
      return "province";
    case FeedQuery::kMinSeverityII:
      return "min_severity_ii";
    case FeedQuery::kSector:
      return "sector";
    case FeedQuery::kLast24Hours:
      return "last_24h";
    case FeedQuery::kCve:
      return "cve";
  }
  return "unknown";
}

bool AsProvincial(FeedQuery query) {
  return query == FeedQuery::kProvincialFirstPage || query == FeedQuery::kProvincialFollow;
}

bool FollowsCursor(FeedQuery query) {
  return query == FeedQuery::kNationalFollow || query == FeedQuery::kProvincialFollow;
}

v1::ListIncidentsRequest FeedQueryRequest(FeedQuery query, uint64_t random,
                                          std::chrono::system_clock::time_point now,
                                          int32_t page_size) {
  v1::ListIncidentsRequest request;
  request.set_page_size(page_size);
  v1::IncidentFilter& filter = *request.mutable_filter();
  switch (query) {
    case FeedQuery::kNationalFirstPage:
    case FeedQuery::kNationalFollow:
    case FeedQuery::kProvincialFirstPage:
    case FeedQuery::kProvincialFollow:
      break;
    case FeedQuery::kProvince:
      filter.add_provinces(Pick(collector::kProvinceCodes, random));
      break;
    case FeedQuery::kMinSeverityII:
      filter.set_min_severity(v1::SEVERITY_II);
      break;
    case FeedQuery::kSector:
      filter.add_sectors(std::string(Pick(LoadedSectors(), random)));
      break;
    case FeedQuery::kLast24Hours:
      *filter.mutable_receive_time()->mutable_start_time() =
          ToTimestamp(now - std::chrono::hours(24));
      break;
    case FeedQuery::kCve:
      filter.set_cve_id(std::string(Pick(collector::demo::kCves, random)));
      break;
  }
  return request;
}

}  // namespace sitrep::bench
