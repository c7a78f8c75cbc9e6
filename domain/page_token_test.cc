#include "domain/page_token.h"

#include <gtest/gtest.h>

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
