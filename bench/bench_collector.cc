#include "bench/bench_collector.h"

#include <grpcpp/client_context.h>

#include <chrono>

#include "bench/bench_failure.h"
#include "sitrep/v1/registry.grpc.pb.h"

namespace sitrep::bench {
namespace {

constexpr std::chrono::seconds kCallTimeout{10};

void Prepare(grpc::ClientContext& context, const std::string& admin_token) {
  context.AddMetadata("authorization", "Bearer " + admin_token);
  // A server still starting (or its database) answers once it is ready, within the deadline.
  context.set_wait_for_ready(true);
  context.set_deadline(std::chrono::system_clock::now() + kCallTimeout);
}

void Check(const grpc::Status& status, const std::string& call) {
  if (status.ok()) return;
  throw BenchFailure(call + " failed: " + StatusText(status));
}

}  // namespace

BenchPrincipal CreateBenchPrincipal(const std::shared_ptr<grpc::Channel>& channel,
                                    const std::string& admin_token, const std::string& name,
                                    v1::Role role, uint32_t province) {
  const auto stub = v1::RegistryService::NewStub(channel);

  grpc::ClientContext create_context;
  Prepare(create_context, admin_token);
  v1::CreatePrincipalRequest create;
  create.mutable_principal()->set_name(name);
  create.mutable_principal()->set_role(role);
  create.mutable_principal()->set_province(province);
  create.mutable_principal()->set_description("sitrep-bench load generator");
  v1::Principal principal;
  Check(stub->CreatePrincipal(&create_context, create, &principal), "CreatePrincipal " + name);

  grpc::ClientContext issue_context;
  Prepare(issue_context, admin_token);
  v1::IssueTokenRequest issue;
  issue.set_principal_id(principal.id());
  issue.set_description("sitrep-bench");
  v1::IssueTokenResponse issued;
  Check(stub->IssueToken(&issue_context, issue, &issued), "IssueToken for " + name);

  return BenchPrincipal{principal.id(), name, issued.secret()};
}

BenchCollector CreateBenchCollector(const std::shared_ptr<grpc::Channel>& channel,
                                    const std::string& admin_token, const std::string& name) {
  return CreateBenchPrincipal(channel, admin_token, name, v1::ROLE_COLLECTOR, 0);
}

}  // namespace sitrep::bench
