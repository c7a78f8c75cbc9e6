#include "collector/retry_policy.h"

#include <gtest/gtest.h>

#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"

namespace sitrep::collector {
namespace {

using std::chrono::milliseconds;

TEST(BackoffDelayTest, CeilingDoublesFromAHundredMillisecondsUpToTenSeconds) {
  // With the draw at (almost) 1 the delay is the ceiling itself.
  const double top = 0.999999;
  const std::vector<int64_t> ceilings = {100, 200, 400, 800, 1600, 3200, 6400, 10000, 10000};
  for (unsigned attempt = 0; attempt < ceilings.size(); ++attempt) {
    EXPECT_NEAR(BackoffDelay(attempt, top).count(), ceilings[attempt], 1) << attempt;
  }
  EXPECT_EQ(BackoffDelay(1000, top), milliseconds(9999));  // no overflow for huge attempts
}

TEST(BackoffDelayTest, FullJitterSpreadsOverTheWholeInterval) {
  EXPECT_EQ(BackoffDelay(3, 0.0), milliseconds(0));
  EXPECT_EQ(BackoffDelay(3, 0.5), milliseconds(400));
  EXPECT_EQ(BackoffDelay(3, 0.25), milliseconds(200));
  EXPECT_EQ(BackoffDelay(2, 0.5, milliseconds(10), milliseconds(30)), milliseconds(15));
  EXPECT_EQ(BackoffDelay(0, 7.0), milliseconds(100));  // out-of-range draws are clamped
}

grpc::Status WithDetails(grpc::StatusCode code, const google::rpc::Status& details) {
  return grpc::Status(code, "busy", details.SerializeAsString());
}

TEST(RetryDelayOfTest, ReadsRetryInfoFromTheStatusDetails) {
  google::rpc::Status details;
  google::rpc::RetryInfo retry;
  retry.mutable_retry_delay()->set_seconds(2);
  retry.mutable_retry_delay()->set_nanos(500'000'000);
  google::rpc::BadRequest unrelated;
  details.add_details()->PackFrom(unrelated);
  details.add_details()->PackFrom(retry);
  EXPECT_EQ(RetryDelayOf(WithDetails(grpc::StatusCode::RESOURCE_EXHAUSTED, details)),
            milliseconds(2500));

  retry.mutable_retry_delay()->set_seconds(86400);
  google::rpc::Status long_delay;
  long_delay.add_details()->PackFrom(retry);
  EXPECT_EQ(RetryDelayOf(WithDetails(grpc::StatusCode::RESOURCE_EXHAUSTED, long_delay)),
            milliseconds(60'000));

  EXPECT_EQ(RetryDelayOf(grpc::Status(grpc::StatusCode::UNAVAILABLE, "down")), std::nullopt);
  EXPECT_EQ(RetryDelayOf(grpc::Status(grpc::StatusCode::UNAVAILABLE, "x", "garbage\xFF")),
            std::nullopt);
}

TEST(IsRetryableTest, GivesUpOnlyOnWhatRetryingCannotCure) {
  for (const grpc::StatusCode code :
       {grpc::StatusCode::UNAUTHENTICATED, grpc::StatusCode::PERMISSION_DENIED,
        grpc::StatusCode::INVALID_ARGUMENT, grpc::StatusCode::UNIMPLEMENTED}) {
    EXPECT_FALSE(IsRetryable(code)) << code;
  }
  for (const grpc::StatusCode code :
       {grpc::StatusCode::UNAVAILABLE, grpc::StatusCode::RESOURCE_EXHAUSTED,
        grpc::StatusCode::DEADLINE_EXCEEDED, grpc::StatusCode::INTERNAL, grpc::StatusCode::ABORTED,
        grpc::StatusCode::UNKNOWN, grpc::StatusCode::CANCELLED}) {
    EXPECT_TRUE(IsRetryable(code)) << code;
  }
}

}  // namespace
}  // namespace sitrep::collector
