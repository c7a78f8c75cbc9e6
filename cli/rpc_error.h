#pragma once

#include <grpcpp/support/status.h>

#include <string>

namespace sitrep::cli {

// Where a failed call went, for the words of its error line.
struct CallTarget {
  std::string server;          // the address given with --server
  bool server_reached = true;  // false when the channel never connected to it
};

// Returns the one line (no newline, no "sitrep: " prefix) that tells a person why a call
// failed: the status code's name, then
// - for every google.rpc.BadRequest field violation in the status's binary details,
//   "<field>: <description>", joined by "; " (the server's message is then left out);
// - otherwise the server's message, with line breaks turned into spaces;
// - for RESOURCE_EXHAUSTED with google.rpc.RetryInfo, when to retry;
// - for UNAVAILABLE when the server was not reached, that it could not reach target.server;
// - for UNAUTHENTICATED, how to provide a token.
// Details that do not parse are ignored. `status` must not be OK.
[[nodiscard]] std::string FormatRpcError(const grpc::Status& status, const CallTarget& target);

}  // namespace sitrep::cli
