#pragma once

#include <grpcpp/support/status.h>

#include <string>

namespace sitrep {

// The canonical name of a gRPC status code, e.g. "INVALID_ARGUMENT"; "CODE_<n>" for a number
// outside the canonical set. One table for the server's metrics and audit and the CLI's errors.
[[nodiscard]] std::string StatusCodeName(grpc::StatusCode code);

}  // namespace sitrep
