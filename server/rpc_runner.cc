#include "server/rpc_runner.h"

#include <algorithm>
#include <utility>

#include "proto/status_code_name.h"

namespace sitrep {

grpc::Status RpcRunner::Admit(const grpc::ServerContextBase& context, std::string_view method,
                              std::initializer_list<v1::Role> roles, Principal& caller) {
  try {
    std::variant<Principal, grpc::Status> authenticated = authenticator_.Authenticate(context);
    if (auto* status = std::get_if<grpc::Status>(&authenticated)) return *status;
    caller = std::get<Principal>(std::move(authenticated));
  } catch (...) {
    return StatusFromCurrentException(method);
  }
  return CheckRole(caller, method, roles);
}

grpc::Status RpcRunner::AdmitLive(const grpc::ServerContextBase& context, std::string_view method,
                                  std::initializer_list<v1::Role> roles, Principal& caller,
                                  LiveCalls::OnEnd on_end, std::unique_ptr<LiveCalls::Call>& live) {
  try {
    // Read before the token is looked up: a notice heard from here on makes Register check
    // the credential again, so a revocation committed just after the lookup still ends the call.
    const uint64_t epoch = live_.epoch();
    std::variant<Credential, grpc::Status> authenticated =
        authenticator_.AuthenticateCredential(context);
    if (auto* status = std::get_if<grpc::Status>(&authenticated)) return *status;
    const Credential& credential = std::get<Credential>(authenticated);
    caller = credential.principal;
    if (grpc::Status role = CheckRole(caller, method, roles); !role.ok()) return role;
    live = live_.Register(credential, epoch, std::move(on_end));
  } catch (...) {
    return StatusFromCurrentException(method);
  }
  return live->ended() ? live->status() : grpc::Status::OK;
}

grpc::Status RpcRunner::CheckRole(const Principal& caller, std::string_view method,
                                  std::initializer_list<v1::Role> roles) {
  if (std::find(roles.begin(), roles.end(), caller.role) == roles.end()) {
    return grpc::Status(
        grpc::StatusCode::PERMISSION_DENIED,
        "role " + v1::Role_Name(caller.role) + " may not call " + std::string(method));
  }
  return grpc::Status::OK;
}

void RpcRunner::FinishWithoutBody(const grpc::ServerContextBase& context, std::string_view method,
                                  const grpc::Status& status,
                                  std::chrono::steady_clock::time_point start) {
  Principal caller;
  try {
    std::variant<Principal, grpc::Status> authenticated = authenticator_.Authenticate(context);
    if (auto* principal = std::get_if<Principal>(&authenticated)) caller = std::move(*principal);
  } catch (...) {
    // PostgreSQL failing: the entry goes without the caller (and Finish reports if it is lost).
  }
  Finish(context, method, caller, CallRecord{}, status, start);
}

namespace {

// A read hands out what it read: Get and List methods (GetSituation, ListIncidents, …). Watches
// deliver as they go; their entry is written when they end.
bool IsRead(std::string_view method) {
  const std::string_view name = method.substr(method.rfind('/') + 1);
  return name.starts_with("Get") || name.starts_with("List");
}

}  // namespace

storage::AuditRecord RpcRunner::AuditEntry(std::string_view method, int64_t principal_id,
                                           const CallRecord& record, const grpc::Status& status,
                                           std::string peer) {
  storage::AuditRecord entry;
  entry.time = std::chrono::system_clock::now();
  entry.principal_id = principal_id;
  entry.method = std::string(method);
  entry.target = record.target;
  entry.rows = record.rows;
  entry.status = StatusCodeName(status.error_code());
  entry.peer = std::move(peer);
  return entry;
}

void RpcRunner::Audit(std::string_view method, int64_t principal_id, const grpc::Status& status,
                      std::string peer) {
  audit_.Write(AuditEntry(method, principal_id, CallRecord{}, status, std::move(peer)));
}

grpc::Status RpcRunner::Finish(const grpc::ServerContextBase& context, std::string_view method,
                               const Principal& caller, const CallRecord& record,
                               grpc::Status status, std::chrono::steady_clock::time_point start) {
  storage::AuditRecord entry =
      AuditEntry(method, caller.id, record, status, authenticator_.Peer(context));
  if (status.ok() && IsRead(method)) {
    if (!audit_.WriteBeforeReply(entry)) {
      // Like PostgreSQL being away anywhere else: UNAVAILABLE with a RetryInfo.
      status = RetryLaterStatus(grpc::StatusCode::UNAVAILABLE,
                                "the read could not be audited (the database is unavailable)",
                                std::chrono::seconds(1));
      entry.rows = 0;
      entry.status = StatusCodeName(status.error_code());
      audit_.Write(std::move(entry));
    }
  } else {
    // A database that cannot take the entry now gets it when it returns (AuditWriter).
    audit_.Write(std::move(entry));
  }
  metrics_.ObserveCall(std::string(method), StatusCodeName(status.error_code()),
                       authenticator_.FromEdge(context) ? "http" : "grpc",
                       std::chrono::steady_clock::now() - start);
  return status;
}

}  // namespace sitrep
