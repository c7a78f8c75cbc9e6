#pragma once

#include <grpcpp/support/status.h>

#include <stdexcept>
#include <string>

namespace sitrep::bench {

// A benchmark that could not run or whose run went wrong (server unreachable, a stream
// failed, PostgreSQL refused the COPY). what() is one sentence for the user; sitrep-bench
// prints it as "sitrep-bench: <what>" and exits with 1.
class BenchFailure final : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A gRPC status as "UNAVAILABLE: <message>", for failure lines.
[[nodiscard]] std::string StatusText(const grpc::Status& status);

}  // namespace sitrep::bench
