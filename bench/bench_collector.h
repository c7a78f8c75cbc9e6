#pragma once

#include <grpcpp/channel.h>

#include <cstdint>
#include <string>

namespace sitrep::bench {

// The principal a benchmark pushes as: a national COLLECTOR (province 0, so it may report
// every province) and its bearer token.
struct BenchCollector {
  int64_t principal_id = 0;
  std::string name;
  std::string token;
};

// Creates the COLLECTOR principal `name` and issues it a token (RegistryService.CreatePrincipal
// and IssueToken), calling with `admin_token`. Waits up to 10 s for the server to be
// reachable. Throws BenchFailure naming the call and the server's answer when one fails.
[[nodiscard]] BenchCollector CreateBenchCollector(const std::shared_ptr<grpc::Channel>& channel,
                                                  const std::string& admin_token,
                                                  const std::string& name);

}  // namespace sitrep::bench
