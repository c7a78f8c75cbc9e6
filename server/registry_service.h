#pragma once

#include "registry/registry.h"
#include "server/rpc_runner.h"
#include "sitrep/v1/registry.grpc.pb.h"

namespace sitrep {

// The gRPC edge of RegistryService: unpack, call Registry, pack. Role gates per method:
// managing is ADMIN's; reading enterprises is open to every regulator and enterprise (the
// Registry narrows by binding); the audit log is ADMIN's and NATIONAL's.
class RegistryService final : public v1::RegistryService::Service {
 public:
  // `live`: the open long-lived calls, ended here (before the reply) when a revocation or an
  // enterprise's change ends their credential, without waiting for the database's notice.
  RegistryService(RpcRunner& rpc, registry::Registry& registry, LiveCalls& live)
      : rpc_(rpc), registry_(registry), live_(live) {}

  grpc::Status CreateEnterprise(grpc::ServerContext* context,
                                const v1::CreateEnterpriseRequest* request,
                                v1::Enterprise* response) override;
  grpc::Status GetEnterprise(grpc::ServerContext* context, const v1::GetEnterpriseRequest* request,
                             v1::Enterprise* response) override;
  grpc::Status ListEnterprises(grpc::ServerContext* context,
                               const v1::ListEnterprisesRequest* request,
                               v1::ListEnterprisesResponse* response) override;
  grpc::Status UpdateEnterprise(grpc::ServerContext* context,
                                const v1::UpdateEnterpriseRequest* request,
                                v1::Enterprise* response) override;
  grpc::Status CreatePrincipal(grpc::ServerContext* context,
                               const v1::CreatePrincipalRequest* request,
                               v1::Principal* response) override;
  grpc::Status ListPrincipals(grpc::ServerContext* context,
                              const v1::ListPrincipalsRequest* request,
                              v1::ListPrincipalsResponse* response) override;
  grpc::Status IssueToken(grpc::ServerContext* context, const v1::IssueTokenRequest* request,
                          v1::IssueTokenResponse* response) override;
  grpc::Status ListTokens(grpc::ServerContext* context, const v1::ListTokensRequest* request,
                          v1::ListTokensResponse* response) override;
  grpc::Status RevokeToken(grpc::ServerContext* context, const v1::RevokeTokenRequest* request,
                           v1::Token* response) override;
  grpc::Status ListAuditEntries(grpc::ServerContext* context,
                                const v1::ListAuditEntriesRequest* request,
                                v1::ListAuditEntriesResponse* response) override;
  grpc::Status ListReferenceCodes(grpc::ServerContext* context,
                                  const v1::ListReferenceCodesRequest* request,
                                  v1::ListReferenceCodesResponse* response) override;

 private:
  RpcRunner& rpc_;
  registry::Registry& registry_;
  LiveCalls& live_;
};

}  // namespace sitrep
