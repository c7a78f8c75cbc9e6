#include "cli/rpc_error.h"

#include <gtest/gtest.h>

#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "proto/status_code_name.h"

namespace sitrep::cli {
namespace {

const CallTarget kTarget{"10.0.0.5:7443", /*server_reached=*/true};

grpc::Status WithDetails(grpc::StatusCode code, const std::string& message,
                         const google::protobuf::Message& detail) {
  google::rpc::Status details;
  details.set_code(static_cast<int>(code));
  details.set_message(message);
  details.add_details()->PackFrom(detail);
  return grpc::Status(code, message, details.SerializeAsString());
}

TEST(FormatRpcErrorTest, ShowsEveryFieldViolation) {
  google::rpc::BadRequest bad_request;
  auto* violation = bad_request.add_field_violations();
  violation->set_field("enterprise.credit_code");
  violation->set_description(
      "credit_code must be an 18-character unified social credit code with a valid check "
      "character.");
  violation->set_reason("INVALID_CREDIT_CODE");
  violation = bad_request.add_field_violations();
  violation->set_field("enterprise.grade");
  violation->set_description("grade must be 0..3.");
  EXPECT_EQ(FormatRpcError(WithDetails(grpc::StatusCode::INVALID_ARGUMENT,
                                       "the enterprise has 2 invalid fields", bad_request),
                           kTarget),
            "INVALID_ARGUMENT: enterprise.credit_code: credit_code must be an 18-character "
            "unified social credit code with a valid check character.; enterprise.grade: grade "
            "must be 0..3.");
}

TEST(FormatRpcErrorTest, WithoutDetailsShowsTheMessage) {
  EXPECT_EQ(FormatRpcError(grpc::Status(grpc::StatusCode::NOT_FOUND, "no enterprise 7"), kTarget),
            "NOT_FOUND: no enterprise 7");
}

TEST(FormatRpcErrorTest, MessageIsKeptOnOneLine) {
  EXPECT_EQ(FormatRpcError(grpc::Status(grpc::StatusCode::INTERNAL, "a\nb"), kTarget),
            "INTERNAL: a b");
}

TEST(FormatRpcErrorTest, GarbageDetailsAreIgnored) {
  EXPECT_EQ(
      FormatRpcError(grpc::Status(grpc::StatusCode::ABORTED, "try again", "\xff\xff\xff"), kTarget),
      "ABORTED: try again");
}

TEST(FormatRpcErrorTest, ResourceExhaustedShowsTheRetryDelay) {
  google::rpc::RetryInfo retry;
  retry.mutable_retry_delay()->set_seconds(2);
  retry.mutable_retry_delay()->set_nanos(500'000'000);
  EXPECT_EQ(
      FormatRpcError(WithDetails(grpc::StatusCode::RESOURCE_EXHAUSTED, "too many calls", retry),
                     kTarget),
      "RESOURCE_EXHAUSTED: too many calls; retry in 2.5s");
}

TEST(FormatRpcErrorTest, UnreachableServerIsNamed) {
  EXPECT_EQ(FormatRpcError(
                grpc::Status(grpc::StatusCode::UNAVAILABLE, "failed to connect to all addresses"),
                {"10.0.0.5:7443", /*server_reached=*/false}),
            "UNAVAILABLE: could not reach the sitrep server at 10.0.0.5:7443 (check --server or "
            "SITREP_SERVER): failed to connect to all addresses");
}

TEST(FormatRpcErrorTest, UnavailableFromAReachedServerKeepsItsMessage) {
  EXPECT_EQ(
      FormatRpcError(grpc::Status(grpc::StatusCode::UNAVAILABLE, "database unavailable"), kTarget),
      "UNAVAILABLE: database unavailable");
}

TEST(FormatRpcErrorTest, UnauthenticatedSaysHowToGiveAToken) {
  EXPECT_EQ(
      FormatRpcError(grpc::Status(grpc::StatusCode::UNAUTHENTICATED, "unknown token"), kTarget),
      "UNAUTHENTICATED: unknown token; pass --token-file FILE, or set "
      "SITREP_TOKEN_FILE=FILE or SITREP_TOKEN=<token>");
}

TEST(StatusCodeNameTest, NamesEveryCanonicalCodeAndNumbersTheRest) {
  EXPECT_EQ(StatusCodeName(grpc::StatusCode::OK), "OK");
  EXPECT_EQ(StatusCodeName(grpc::StatusCode::PERMISSION_DENIED), "PERMISSION_DENIED");
  EXPECT_EQ(StatusCodeName(grpc::StatusCode::UNAUTHENTICATED), "UNAUTHENTICATED");
  EXPECT_EQ(StatusCodeName(static_cast<grpc::StatusCode>(42)), "CODE_42");
}

}  // namespace
}  // namespace sitrep::cli
