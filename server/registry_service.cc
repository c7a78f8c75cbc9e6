#include "server/registry_service.h"

#include "server/reply.h"

namespace sitrep {
namespace {

constexpr auto kAdmin = {v1::ROLE_ADMIN};
constexpr auto kRegistryReaders = {v1::ROLE_ADMIN, v1::ROLE_NATIONAL, v1::ROLE_PROVINCIAL,
                                   v1::ROLE_ENTERPRISE};
constexpr auto kAuditReaders = {v1::ROLE_ADMIN, v1::ROLE_NATIONAL};
constexpr auto kEveryone = {v1::ROLE_ADMIN, v1::ROLE_NATIONAL, v1::ROLE_PROVINCIAL,
                            v1::ROLE_ENTERPRISE, v1::ROLE_COLLECTOR};

}  // namespace

grpc::Status RegistryService::CreateEnterprise(grpc::ServerContext* context,
                                               const v1::CreateEnterpriseRequest* request,
                                               v1::Enterprise* response) {
  return rpc_.Run(context, "/sitrep.v1.RegistryService/CreateEnterprise", kAdmin,
                  [&](const Principal& caller, CallRecord& record) {
                    record.target = "credit_code=" + request->enterprise().credit_code();
                    return Reply(registry_.CreateEnterprise(caller, request->enterprise()),
                                 response, record);
                  });
}

grpc::Status RegistryService::GetEnterprise(grpc::ServerContext* context,
                                            const v1::GetEnterpriseRequest* request,
                                            v1::Enterprise* response) {
  return rpc_.Run(context, "/sitrep.v1.RegistryService/GetEnterprise", kRegistryReaders,
                  [&](const Principal& caller, CallRecord& record) {
                    record.target = "id=" + std::to_string(request->id());
                    return Reply(registry_.GetEnterprise(caller, request->id()), response, record);
                  });
}

grpc::Status RegistryService::ListEnterprises(grpc::ServerContext* context,
                                              const v1::ListEnterprisesRequest* request,
                                              v1::ListEnterprisesResponse* response) {
  return rpc_.Run(
      context, "/sitrep.v1.RegistryService/ListEnterprises", kRegistryReaders,
      [&](const Principal& caller, CallRecord& record) {
        record.target = request->ShortDebugString();
        return Reply(
            registry_.ListEnterprises(caller, *request), response, record,
            +[](const v1::ListEnterprisesResponse& r) -> int64_t { return r.enterprises_size(); });
      });
}

grpc::Status RegistryService::UpdateEnterprise(grpc::ServerContext* context,
                                               const v1::UpdateEnterpriseRequest* request,
                                               v1::Enterprise* response) {
  return rpc_.Run(context, "/sitrep.v1.RegistryService/UpdateEnterprise", kAdmin,
                  [&](const Principal& caller, CallRecord& record) {
                    record.target = "id=" + std::to_string(request->enterprise().id());
                    grpc::Status status =
                        Reply(registry_.UpdateEnterprise(caller, *request), response, record);
                    if (status.ok()) live_.Heard("enterprise:" + std::to_string(response->id()));
                    return status;
                  });
}

grpc::Status RegistryService::CreatePrincipal(grpc::ServerContext* context,
                                              const v1::CreatePrincipalRequest* request,
                                              v1::Principal* response) {
  return rpc_.Run(context, "/sitrep.v1.RegistryService/CreatePrincipal", kAdmin,
                  [&](const Principal& caller, CallRecord& record) {
                    record.target = "name=" + request->principal().name() +
                                    " role=" + v1::Role_Name(request->principal().role());
                    return Reply(registry_.CreatePrincipal(caller, request->principal()), response,
                                 record);
                  });
}

grpc::Status RegistryService::ListPrincipals(grpc::ServerContext* context,
                                             const v1::ListPrincipalsRequest* request,
                                             v1::ListPrincipalsResponse* response) {
  return rpc_.Run(
      context, "/sitrep.v1.RegistryService/ListPrincipals", kAdmin,
      [&](const Principal& caller, CallRecord& record) {
        record.target = request->ShortDebugString();
        return Reply(
            registry_.ListPrincipals(caller, *request), response, record,
            +[](const v1::ListPrincipalsResponse& r) -> int64_t { return r.principals_size(); });
      });
}

grpc::Status RegistryService::IssueToken(grpc::ServerContext* context,
                                         const v1::IssueTokenRequest* request,
                                         v1::IssueTokenResponse* response) {
  return rpc_.Run(context, "/sitrep.v1.RegistryService/IssueToken", kAdmin,
                  [&](const Principal& caller, CallRecord& record) {
                    record.target = "principal_id=" + std::to_string(request->principal_id());
                    return Reply(registry_.IssueToken(caller, *request), response, record);
                  });
}

grpc::Status RegistryService::ListTokens(grpc::ServerContext* context,
                                         const v1::ListTokensRequest* request,
                                         v1::ListTokensResponse* response) {
  return rpc_.Run(
      context, "/sitrep.v1.RegistryService/ListTokens", kAdmin,
      [&](const Principal& caller, CallRecord& record) {
        record.target = request->ShortDebugString();
        return Reply(
            registry_.ListTokens(caller, *request), response, record,
            +[](const v1::ListTokensResponse& r) -> int64_t { return r.tokens_size(); });
      });
}

grpc::Status RegistryService::RevokeToken(grpc::ServerContext* context,
                                          const v1::RevokeTokenRequest* request,
                                          v1::Token* response) {
  return rpc_.Run(context, "/sitrep.v1.RegistryService/RevokeToken", kAdmin,
                  [&](const Principal& caller, CallRecord& record) {
                    record.target = "token_id=" + std::to_string(request->token_id());
                    grpc::Status status =
                        Reply(registry_.RevokeToken(caller, request->token_id()), response, record);
                    if (status.ok()) live_.Heard("token:" + std::to_string(response->id()));
                    return status;
                  });
}

grpc::Status RegistryService::ListAuditEntries(grpc::ServerContext* context,
                                               const v1::ListAuditEntriesRequest* request,
                                               v1::ListAuditEntriesResponse* response) {
  return rpc_.Run(
      context, "/sitrep.v1.RegistryService/ListAuditEntries", kAuditReaders,
      [&](const Principal& caller, CallRecord& record) {
        record.target = request->ShortDebugString();
        return Reply(
            registry_.ListAuditEntries(caller, *request), response, record,
            +[](const v1::ListAuditEntriesResponse& r) -> int64_t { return r.entries_size(); });
      });
}

grpc::Status RegistryService::ListReferenceCodes(grpc::ServerContext* context,
                                                 const v1::ListReferenceCodesRequest*,
                                                 v1::ListReferenceCodesResponse* response) {
  return rpc_.Run(context, "/sitrep.v1.RegistryService/ListReferenceCodes", kEveryone,
                  [&](const Principal&, CallRecord& record) {
                    *response = registry_.ListReferenceCodes();
                    record.rows = response->provinces_size() + response->sectors_size();
                    return grpc::Status::OK;
                  });
}

}  // namespace sitrep
