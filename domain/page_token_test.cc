#include "domain/page_token.h"

#include <gtest/gtest.h>

#include <vector>

namespace sitrep {
namespace {

TEST(PageTokenTest, RoundTripsAndIsTiedToItsList) {
  const std::string token = EncodePageToken("enterprises", 42);
  EXPECT_EQ(DecodePageToken("enterprises", token), 42);
  EXPECT_FALSE(DecodePageToken("principals", token).has_value());
  EXPECT_EQ(DecodePageToken("enterprises", ""), 0);
}

TEST(PageTokenTest, RefusesGarbage) {
  EXPECT_FALSE(DecodePageToken("enterprises", "zz").has_value());
  EXPECT_FALSE(DecodePageToken("enterprises", "' OR 1=1 --").has_value());
  EXPECT_FALSE(DecodePageToken("enterprises", EncodePageToken("enterprises", 1) + "0").has_value());
  EXPECT_FALSE(DecodePageToken("enterprises", std::string(400, 'a')).has_value());
}

TEST(PageSizeTest, DefaultsAndBounds) {
  EXPECT_EQ(PageSize(0), 100);
  EXPECT_EQ(PageSize(1000), 1000);
  EXPECT_FALSE(PageSize(1001).has_value());
  EXPECT_FALSE(PageSize(-1).has_value());
}

}  // namespace
}  // namespace sitrep

namespace sitrep {
namespace {

TEST(FeedCursorTest, RoundTripsAndIsTiedToItsFeed) {
  const FeedPosition position{.xid = 18'446'744'073'709'551'000u, .seq = 42};
  const std::string cursor = EncodeFeedCursor("incidents", position);
  EXPECT_EQ(DecodeFeedCursor("incidents", cursor), position);
  EXPECT_EQ(DecodeFeedCursor("assets", cursor), std::nullopt);
  EXPECT_EQ(DecodeFeedCursor("incidents", ""), FeedPosition{});
}

TEST(FeedCursorTest, RefusesGarbage) {
  for (const std::string& bad : std::vector<std::string>{
           "zz", "6162", EncodePageToken("incidents", 5), "' OR 1=1 --", std::string(400, 'a')}) {
    EXPECT_EQ(DecodeFeedCursor("incidents", bad), std::nullopt) << bad;
  }
}

}  // namespace
}  // namespace sitrep
