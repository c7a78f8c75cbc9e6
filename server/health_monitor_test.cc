#include "server/health_monitor.h"

#include <gtest/gtest.h>

namespace sitrep {
namespace {

TEST(WithConnectTimeoutTest, AddsTheTimeoutInEitherForm) {
  EXPECT_EQ(WithConnectTimeout("postgresql:///sitrep?host=/tmp/run", 2),
            "postgresql:///sitrep?host=/tmp/run&connect_timeout=2");
  EXPECT_EQ(WithConnectTimeout("postgres://u@db:5432/sitrep", 5),
            "postgres://u@db:5432/sitrep?connect_timeout=5");
  EXPECT_EQ(WithConnectTimeout("host=db dbname=sitrep", 2),
            "host=db dbname=sitrep connect_timeout=2");
}

}  // namespace
}  // namespace sitrep
