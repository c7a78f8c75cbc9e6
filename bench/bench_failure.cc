#include "bench/bench_failure.h"

#include "proto/status_code_name.h"

namespace sitrep::bench {

std::string StatusText(const grpc::Status& status) {
  std::string text = StatusCodeName(status.error_code());
  if (!status.error_message().empty()) text += ": " + status.error_message();
  return text;
}

}  // namespace sitrep::bench
