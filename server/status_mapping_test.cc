#include "server/status_mapping.h"

#include <gtest/gtest.h>

#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "storage/errors.h"

namespace sitrep {
namespace {

grpc::Status MapThrown(const std::exception_ptr& error) {
  try {
    std::rethrow_exception(error);
  } catch (...) {
    return StatusFromCurrentException("/sitrep.v1.Test/Method");
  }
}

TEST(StatusMappingTest, InvalidArgumentCarriesEveryFieldViolation) {
  const grpc::Status status =
      InvalidArgumentStatus({{"enterprise.credit_code", "INVALID_CREDIT_CODE", "bad code."},
                             {"enterprise.sector", "UNKNOWN_SECTOR", "bad sector."}});
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(status.error_message(), "enterprise.credit_code: bad code.");
  google::rpc::Status details;
  ASSERT_TRUE(details.ParseFromString(status.error_details()));
  ASSERT_EQ(details.details_size(), 1);
  google::rpc::BadRequest bad_request;
  ASSERT_TRUE(details.details(0).UnpackTo(&bad_request));
  ASSERT_EQ(bad_request.field_violations_size(), 2);
  EXPECT_EQ(bad_request.field_violations(1).field(), "enterprise.sector");
  EXPECT_EQ(bad_request.field_violations(1).reason(), "UNKNOWN_SECTOR");
}

TEST(StatusMappingTest, RetryLaterCarriesTheDelay) {
  const grpc::Status status = RetryLaterStatus(grpc::StatusCode::RESOURCE_EXHAUSTED, "slow down",
                                               std::chrono::milliseconds(1500));
  google::rpc::Status details;
  ASSERT_TRUE(details.ParseFromString(status.error_details()));
  google::rpc::RetryInfo retry;
  ASSERT_TRUE(details.details(0).UnpackTo(&retry));
  EXPECT_EQ(retry.retry_delay().seconds(), 1);
  EXPECT_EQ(retry.retry_delay().nanos(), 500'000'000);
}

TEST(StatusMappingTest, StorageFailuresMapAsTheStyleGuideSays) {
  using namespace storage;
  struct Row {
    std::exception_ptr error;
    grpc::StatusCode code;
  };
  const Row rows[] = {
      {std::make_exception_ptr(Unavailable("gone")), grpc::StatusCode::UNAVAILABLE},
      {std::make_exception_ptr(CommitInDoubt("commit?")), grpc::StatusCode::UNAVAILABLE},
      {std::make_exception_ptr(Conflict("s")), grpc::StatusCode::ABORTED},
      {std::make_exception_ptr(RefusedByPolicy("rls")), grpc::StatusCode::PERMISSION_DENIED},
      {std::make_exception_ptr(QueryTimeout("timeout")), grpc::StatusCode::DEADLINE_EXCEEDED},
      {std::make_exception_ptr(CredentialEnded("ended")), grpc::StatusCode::UNAUTHENTICATED},
      {std::make_exception_ptr(RefusedByDatabase("dup", "23505", "")),
       grpc::StatusCode::INVALID_ARGUMENT},
      {std::make_exception_ptr(RefusedByDatabase("bad", "22P02", "")),
       grpc::StatusCode::INVALID_ARGUMENT},
      {std::make_exception_ptr(StatementFailed("oops", "42601")), grpc::StatusCode::INTERNAL},
      {std::make_exception_ptr(std::runtime_error("boom")), grpc::StatusCode::INTERNAL},
  };
  for (const Row& row : rows) {
    const grpc::Status status = MapThrown(row.error);
    EXPECT_EQ(status.error_code(), row.code) << status.error_message();
  }
}

TEST(StatusMappingTest, NeverLeaksSqlOrWhat) {
  const grpc::Status status = MapThrown(std::make_exception_ptr(storage::StatementFailed(
      "ERROR: syntax error at SELEC\nQuery was: SELEC secret_sha256 FROM tokens", "42601")));
  EXPECT_EQ(status.error_message().find("SELEC"), std::string::npos);
  EXPECT_EQ(status.error_message().find("tokens"), std::string::npos);
  EXPECT_NE(status.error_message().find("ref "), std::string::npos);
}

TEST(StatusMappingTest, DomainErrorsKeepTheirCode) {
  EXPECT_EQ(ToStatus(NotFound("x")).error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(ToStatus(PermissionDenied("x")).error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(ToStatus(Error{ErrorCode::kAlreadyExists, "x", {}}).error_code(),
            grpc::StatusCode::ALREADY_EXISTS);
  EXPECT_EQ(ToStatus(Error{ErrorCode::kFailedPrecondition, "x", {}}).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
}

}  // namespace
}  // namespace sitrep
