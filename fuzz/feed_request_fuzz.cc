// FeedService and ListMyIncidents (SPEC §4): the bytes of a List/Watch request, parsed as gRPC
// parses them, then the filter checks (feeds/filter_checks), the page size and the page
// token or cursor decoding (domain/page_token) that run before any query. The first byte picks
// the request type. A token that decodes must encode back to one that decodes the same.

#include <cstddef>
#include <cstdint>

#include "domain/page_token.h"
#include "feeds/filter_checks.h"
#include "fuzz/fuzz_support.h"
#include "sitrep/v1/feed.pb.h"
#include "sitrep/v1/report.pb.h"

namespace {

using namespace sitrep;

void CheckCursor(std::string_view feed, const std::string& cursor) {
  const std::optional<FeedPosition> position = DecodeFeedCursor(feed, cursor);
  if (!position) return;
  if (DecodeFeedCursor(feed, EncodeFeedCursor(feed, *position)) != position) {
    fuzz::Fail("a feed cursor does not survive encoding");
  }
}

void CheckPageToken(std::string_view list, const std::string& token) {
  const std::optional<int64_t> after = DecodePageToken(list, token);
  if (!after) return;
  if (DecodePageToken(list, EncodePageToken(list, *after)) != after) {
    fuzz::Fail("a page token does not survive encoding");
  }
}

template <class Request>
bool Parse(const uint8_t* data, size_t size, Request& request) {
  return request.ParseFromArray(data, static_cast<int>(size));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  sitrep::fuzz::QuietProtobuf();
  if (size == 0) return 0;
  const uint8_t* body = data + 1;
  const size_t body_size = size - 1;
  switch (data[0] % 5) {
    case 0: {
      v1::ListIncidentsRequest request;
      if (!Parse(body, body_size, request)) return 0;
      (void)feeds::CheckIncidentFilter(request.filter(), fuzz::Codes());
      (void)PageSize(request.page_size());
      CheckCursor("incidents", request.page_token());
      break;
    }
    case 1: {
      v1::ListAssetsRequest request;
      if (!Parse(body, body_size, request)) return 0;
      (void)feeds::CheckAssetFilter(request.filter(), fuzz::Codes());
      (void)PageSize(request.page_size());
      CheckCursor("assets", request.page_token());
      break;
    }
    case 2: {
      v1::WatchIncidentsRequest request;
      if (!Parse(body, body_size, request)) return 0;
      (void)feeds::CheckIncidentFilter(request.filter(), fuzz::Codes());
      CheckCursor("incidents", request.cursor());
      break;
    }
    case 3: {
      v1::WatchAssetsRequest request;
      if (!Parse(body, body_size, request)) return 0;
      (void)feeds::CheckAssetFilter(request.filter(), fuzz::Codes());
      CheckCursor("assets", request.cursor());
      break;
    }
    default: {
      v1::ListMyIncidentsRequest request;
      if (!Parse(body, body_size, request)) return 0;
      (void)PageSize(request.page_size());
      CheckPageToken("my-incidents", request.page_token());
      break;
    }
  }
  return 0;
}
