#include "server/status_mapping.h"

#include <atomic>
#include <exception>

#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "logging/log.h"
#include "storage/errors.h"

namespace sitrep {
namespace {

grpc::Status WithDetails(grpc::StatusCode code, const std::string& message,
                         const google::protobuf::Message& detail) {
  google::rpc::Status status;
  status.set_code(code);
  status.set_message(message);
  status.add_details()->PackFrom(detail);
  return grpc::Status(code, message, status.SerializeAsString());
}

// A short id that ties a client's message to the server's log line.
std::string NewReference() {
  static std::atomic<uint64_t> counter{0};
  const uint64_t n = ++counter ^ static_cast<uint64_t>(
                                     std::chrono::steady_clock::now().time_since_epoch().count());
  char text[17];
  std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(n));
  return text;
}

grpc::Status Logged(grpc::StatusCode code, std::string_view method, const std::string& client,
                    const std::exception& error, LogLevel level = LogLevel::kWarn) {
  const std::string reference = NewReference();
  Log(level, "rpc.failed",
      {{"method", std::string(method)}, {"ref", reference}, {"error", error.what()}});
  if (code == grpc::StatusCode::UNAVAILABLE) {
    return RetryLaterStatus(code, client + " (ref " + reference + ")", std::chrono::seconds(1));
  }
  return grpc::Status(code, client + " (ref " + reference + ")");
}

}  // namespace

grpc::Status InvalidArgumentStatus(const FieldViolations& violations) {
  return ViolationsStatus(grpc::StatusCode::INVALID_ARGUMENT, violations);
}

grpc::Status ViolationsStatus(grpc::StatusCode code, const FieldViolations& violations) {
  google::rpc::BadRequest bad_request;
  for (const FieldViolation& violation : violations) {
    google::rpc::BadRequest::FieldViolation* out = bad_request.add_field_violations();
    out->set_field(violation.field);
    out->set_description(violation.description);
    out->set_reason(violation.reason);
  }
  const std::string message =
      violations.empty() ? "invalid request"
                         : violations.front().field + ": " + violations.front().description;
  return WithDetails(code, message, bad_request);
}

grpc::Status RetryLaterStatus(grpc::StatusCode code, const std::string& message,
                              std::chrono::milliseconds retry_delay) {
  google::rpc::RetryInfo retry;
  retry.mutable_retry_delay()->set_seconds(retry_delay.count() / 1000);
  retry.mutable_retry_delay()->set_nanos(static_cast<int32_t>(retry_delay.count() % 1000) *
                                         1'000'000);
  return WithDetails(code, message, retry);
}

grpc::Status ToStatus(const Error& error) {
  switch (error.code) {
    case ErrorCode::kInvalidArgument:
      return error.violations.empty()
                 ? grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, error.message)
                 : InvalidArgumentStatus(error.violations);
    case ErrorCode::kNotFound:
      return grpc::Status(grpc::StatusCode::NOT_FOUND, error.message);
    case ErrorCode::kAlreadyExists:
      return grpc::Status(grpc::StatusCode::ALREADY_EXISTS, error.message);
    case ErrorCode::kPermissionDenied:
      return error.violations.empty()
                 ? grpc::Status(grpc::StatusCode::PERMISSION_DENIED, error.message)
                 : ViolationsStatus(grpc::StatusCode::PERMISSION_DENIED, error.violations);
    case ErrorCode::kFailedPrecondition:
      return grpc::Status(grpc::StatusCode::FAILED_PRECONDITION, error.message);
    case ErrorCode::kResourceExhausted:
      return RetryLaterStatus(grpc::StatusCode::RESOURCE_EXHAUSTED, error.message,
                              std::chrono::seconds(1));
    case ErrorCode::kUnimplemented:
      return grpc::Status(grpc::StatusCode::UNIMPLEMENTED, error.message);
    case ErrorCode::kUnavailable:
      return RetryLaterStatus(grpc::StatusCode::UNAVAILABLE, error.message,
                              std::chrono::seconds(1));
  }
  return grpc::Status(grpc::StatusCode::INTERNAL, "internal error");
}

grpc::Status StatusFromCurrentException(std::string_view method) {
  using grpc::StatusCode;
  // storage/errors.h's types are what storage/ throws when PostgreSQL fails; one line each.
  try {
    throw;
  } catch (const storage::CommitInDoubt& e) {
    return Logged(StatusCode::UNAVAILABLE, method,
                  "the database connection was lost while committing; resending is safe", e);
  } catch (const storage::Unavailable& e) {
    return Logged(StatusCode::UNAVAILABLE, method, "the database is unavailable; retry later", e);
  } catch (const storage::Conflict& e) {
    return Logged(StatusCode::ABORTED, method, "the transaction conflicted; retry", e);
  } catch (const storage::RefusedByPolicy& e) {
    // Row-level security refused what the C++ checks allowed: a bug worth an error line.
    return Logged(StatusCode::PERMISSION_DENIED, method, "permission denied", e, LogLevel::kError);
  } catch (const storage::RefusedByDatabase& e) {
    return Logged(
        StatusCode::INVALID_ARGUMENT, method,
        e.constraint() ? "the request violates a constraint" : "the request holds an invalid value",
        e, LogLevel::kError);
  } catch (const storage::CredentialEnded& e) {
    return Logged(StatusCode::UNAUTHENTICATED, method,
                  "the credential was revoked or its principal changed; authenticate again", e);
  } catch (const storage::QueryTimeout& e) {
    return Logged(StatusCode::DEADLINE_EXCEEDED, method, "the query took too long", e);
  } catch (const std::exception& e) {
    return Logged(StatusCode::INTERNAL, method, "internal error", e, LogLevel::kError);
  } catch (...) {
    Log(LogLevel::kError, "rpc.failed", {{"method", std::string(method)}, {"error", "unknown"}});
    return grpc::Status(StatusCode::INTERNAL, "internal error");
  }
}

}  // namespace sitrep
