#pragma once

#include <cstdint>
#include <utility>

#include "domain/outcome.h"
#include "server/rpc_runner.h"
#include "server/status_mapping.h"

namespace sitrep {

// Moves a successful outcome into `response` and counts `rows` (1 unless `rows` says); maps a
// failed one to its status. The last step of most unary methods.
template <class T, class Response>
grpc::Status Reply(Outcome<T> outcome, Response* response, CallRecord& record,
                   int64_t (*rows)(const T&) = nullptr) {
  if (!outcome.ok()) return ToStatus(outcome.error());
  record.rows = rows ? rows(outcome.value()) : 1;
  *response = std::move(outcome.value());
  return grpc::Status::OK;
}

}  // namespace sitrep
