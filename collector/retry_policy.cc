#include "collector/retry_policy.h"

#include <algorithm>

#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"

namespace sitrep::collector {

std::chrono::milliseconds BackoffDelay(unsigned attempt, double unit,
                                       std::chrono::milliseconds first,
                                       std::chrono::milliseconds cap) {
  // Doubling stops once the cap is reached, so large attempts cannot overflow.
  std::chrono::milliseconds ceiling = first;
  for (unsigned i = 0; i < attempt && ceiling < cap; ++i) ceiling *= 2;
  ceiling = std::min(ceiling, cap);
  const double fraction = std::clamp(unit, 0.0, 1.0);
  return std::chrono::milliseconds(
      static_cast<int64_t>(fraction * static_cast<double>(ceiling.count())));
}

std::optional<std::chrono::milliseconds> RetryDelayOf(const grpc::Status& status) {
  if (status.error_details().empty()) return std::nullopt;
  google::rpc::Status details;
  if (!details.ParseFromString(status.error_details())) return std::nullopt;
  for (const google::protobuf::Any& detail : details.details()) {
    google::rpc::RetryInfo retry;
    if (!detail.Is<google::rpc::RetryInfo>() || !detail.UnpackTo(&retry)) continue;
    const auto delay = std::chrono::seconds(retry.retry_delay().seconds()) +
                       std::chrono::nanoseconds(retry.retry_delay().nanos());
    // A hostile or confused server must not park the collector for a day.
    return std::clamp(std::chrono::duration_cast<std::chrono::milliseconds>(delay),
                      std::chrono::milliseconds(0), std::chrono::milliseconds(60'000));
  }
  return std::nullopt;
}

bool IsRetryable(grpc::StatusCode code) {
  switch (code) {
    case grpc::StatusCode::UNAUTHENTICATED:
    case grpc::StatusCode::PERMISSION_DENIED:
    case grpc::StatusCode::INVALID_ARGUMENT:
    case grpc::StatusCode::UNIMPLEMENTED:
      return false;
    default:
      return true;
  }
}

}  // namespace sitrep::collector
