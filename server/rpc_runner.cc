#include "server/rpc_runner.h"

#include <algorithm>

#include "logging/log.h"

namespace sitrep {

std::string StatusCodeName(grpc::StatusCode code) {
  switch (code) {
    case grpc::StatusCode::OK:
      return "OK";
    case grpc::StatusCode::CANCELLED:
      return "CANCELLED";
    case grpc::StatusCode::UNKNOWN:
      return "UNKNOWN";
    case grpc::StatusCode::INVALID_ARGUMENT:
      return "INVALID_ARGUMENT";
    case grpc::StatusCode::DEADLINE_EXCEEDED:
      return "DEADLINE_EXCEEDED";
    case grpc::StatusCode::NOT_FOUND:
      return "NOT_FOUND";
    case grpc::StatusCode::ALREADY_EXISTS:
      return "ALREADY_EXISTS";
    case grpc::StatusCode::PERMISSION_DENIED:
      return "PERMISSION_DENIED";
    case grpc::StatusCode::UNAUTHENTICATED:
      return "UNAUTHENTICATED";
    case grpc::StatusCode::RESOURCE_EXHAUSTED:
      return "RESOURCE_EXHAUSTED";
    case grpc::StatusCode::FAILED_PRECONDITION:
      return "FAILED_PRECONDITION";
    case grpc::StatusCode::ABORTED:
      return "ABORTED";
    case grpc::StatusCode::OUT_OF_RANGE:
      return "OUT_OF_RANGE";
    case grpc::StatusCode::UNIMPLEMENTED:
      return "UNIMPLEMENTED";
    case grpc::StatusCode::INTERNAL:
      return "INTERNAL";
    case grpc::StatusCode::UNAVAILABLE:
      return "UNAVAILABLE";
    case grpc::StatusCode::DATA_LOSS:
      return "DATA_LOSS";
    default:
      return "UNKNOWN";
  }
}

grpc::Status RpcRunner::Admit(const grpc::ServerContextBase& context, std::string_view method,
                              std::initializer_list<v1::Role> roles, Principal& caller) {
  try {
    std::variant<Principal, grpc::Status> authenticated = authenticator_.Authenticate(context);
    if (auto* status = std::get_if<grpc::Status>(&authenticated)) return *status;
    caller = std::get<Principal>(std::move(authenticated));
  } catch (...) {
    return StatusFromCurrentException(method);
  }
  if (std::find(roles.begin(), roles.end(), caller.role) == roles.end()) {
    return grpc::Status(
        grpc::StatusCode::PERMISSION_DENIED,
        "role " + v1::Role_Name(caller.role) + " may not call " + std::string(method));
  }
  return grpc::Status::OK;
}

void RpcRunner::Finish(const grpc::ServerContextBase& context, std::string_view method,
                       const Principal& caller, const CallRecord& record,
                       const grpc::Status& status, std::chrono::steady_clock::time_point start) {
  const std::string code = StatusCodeName(status.error_code());
  metrics_.ObserveCall(std::string(method), code, std::chrono::steady_clock::now() - start);
  storage::AuditRecord entry;
  entry.time = std::chrono::system_clock::now();
  entry.principal_id = caller.id;
  entry.method = std::string(method);
  entry.target = record.target;
  entry.rows = record.rows;
  entry.status = code;
  entry.peer = context.peer();
  try {
    audit_.Append({entry});
  } catch (const std::exception& error) {
    // The call itself is decided; a database that cannot take the audit line is already
    // failing the calls that need it, and health reports it.
    Log(LogLevel::kError, "audit.lost",
        {{"method", entry.method},
         {"principal", std::to_string(entry.principal_id)},
         {"error", error.what()}});
  }
}

}  // namespace sitrep
