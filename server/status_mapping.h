#pragma once

#include <grpcpp/support/status.h>

#include <chrono>
#include <string>
#include <string_view>

#include "domain/field_violation.h"
#include "domain/outcome.h"

namespace sitrep {

// The only place where domain outcomes and storage failures (storage/errors.h) become gRPC
// statuses
// (STYLE.md, "Errors: three kinds, three shapes").

// INVALID_ARGUMENT carrying a google.rpc.BadRequest with every violation.
[[nodiscard]] grpc::Status InvalidArgumentStatus(const FieldViolations& violations);
// `code` (INVALID_ARGUMENT, PERMISSION_DENIED) carrying a google.rpc.BadRequest with every
// violation; the message names the first one's field.
[[nodiscard]] grpc::Status ViolationsStatus(grpc::StatusCode code,
                                            const FieldViolations& violations);

// RESOURCE_EXHAUSTED or UNAVAILABLE carrying a google.rpc.RetryInfo.
[[nodiscard]] grpc::Status RetryLaterStatus(grpc::StatusCode code, const std::string& message,
                                            std::chrono::milliseconds retry_delay);

// The status of the same name as the error's code.
[[nodiscard]] grpc::Status ToStatus(const Error& error);

// Maps the exception being handled (call only inside a catch block) to a status as STYLE.md's
// table says, logging what() and the method under a reference id that the client's one-line
// message repeats. Never puts SQL or what() into the status.
[[nodiscard]] grpc::Status StatusFromCurrentException(std::string_view method);

}  // namespace sitrep
