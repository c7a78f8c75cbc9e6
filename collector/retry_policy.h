#pragma once

#include <grpcpp/support/status.h>

#include <chrono>
#include <optional>

namespace sitrep::collector {

inline constexpr std::chrono::milliseconds kFirstRetryDelay{100};
inline constexpr std::chrono::milliseconds kMaxRetryDelay{10'000};

// "Full jitter" exponential backoff: a delay drawn uniformly from [0, min(cap, first·2^attempt)),
// `unit` being the random draw in [0, 1). Attempt 0 is the first retry. Spreading retries over
// the whole interval keeps a fleet of collectors from reconnecting in lockstep after an outage.
[[nodiscard]] std::chrono::milliseconds BackoffDelay(
    unsigned attempt, double unit, std::chrono::milliseconds first = kFirstRetryDelay,
    std::chrono::milliseconds cap = kMaxRetryDelay);

// The delay a google.rpc.RetryInfo in the status details asks for (the server's answer to too
// many unacknowledged batches, RESOURCE_EXHAUSTED), if any.
[[nodiscard]] std::optional<std::chrono::milliseconds> RetryDelayOf(const grpc::Status& status);

// False for the stream failures that retrying cannot cure: a refused token or role
// (UNAUTHENTICATED, PERMISSION_DENIED), a stream the server calls malformed (INVALID_ARGUMENT),
// and a server without IngestService (UNIMPLEMENTED). Everything else (UNAVAILABLE, refused
// connections, RESOURCE_EXHAUSTED, DEADLINE_EXCEEDED, INTERNAL, ...) is worth another try.
[[nodiscard]] bool IsRetryable(grpc::StatusCode code);

}  // namespace sitrep::collector
