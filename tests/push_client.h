#pragma once

#include <grpcpp/grpcpp.h>

#include <memory>
#include <string>
#include <vector>

#include "sitrep/v1/ingest.grpc.pb.h"

namespace sitrep::testing {

// What one Push stream answered: every ack in arrival order and the final status.
struct PushResult {
  std::vector<v1::PushAck> acks;
  grpc::Status status;
};

// Sends every batch on one Push stream as `token` (all written before any ack is read, as a
// pipelining collector does), half-closes, and collects the acks and the status.
[[nodiscard]] PushResult PushAll(grpc::Channel& channel, const std::string& token,
                                 const std::vector<v1::PushBatch>& batches);

}  // namespace sitrep::testing
