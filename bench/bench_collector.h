#pragma once

#include <grpcpp/channel.h>

#include <cstdint>
#include <string>

#include "sitrep/v1/common.pb.h"

namespace sitrep::bench {

// A principal a benchmark calls as, and its bearer token; for pushing, a national COLLECTOR
// (province 0, so it may report every province).
struct BenchPrincipal {
  int64_t principal_id = 0;
  std::string name;
  std::string token;
};
using BenchCollector = BenchPrincipal;

// Creates the principal `name` with `role` and `province` (0: none, or national for a
// COLLECTOR) and issues it a token (RegistryService.CreatePrincipal and IssueToken), calling
// with `admin_token`. Waits up to 10 s for the server to be reachable. Throws BenchFailure
// naming the call and the server's answer when one fails.
[[nodiscard]] BenchPrincipal CreateBenchPrincipal(const std::shared_ptr<grpc::Channel>& channel,
                                                  const std::string& admin_token,
                                                  const std::string& name, v1::Role role,
                                                  uint32_t province);

// Creates the COLLECTOR principal `name` and issues it a token (RegistryService.CreatePrincipal
// and IssueToken), calling with `admin_token`. Waits up to 10 s for the server to be
// reachable. Throws BenchFailure naming the call and the server's answer when one fails.
[[nodiscard]] BenchCollector CreateBenchCollector(const std::shared_ptr<grpc::Channel>& channel,
                                                  const std::string& admin_token,
                                                  const std::string& name);

}  // namespace sitrep::bench
