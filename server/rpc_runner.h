#pragma once

#include <grpcpp/server_context.h>

#include <chrono>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>

#include "domain/principal.h"
#include "server/audit_writer.h"
#include "server/authenticator.h"
#include "server/metrics.h"
#include "server/status_mapping.h"

namespace sitrep {

// What a call tells the audit log about itself beyond who, which method and the status.
struct CallRecord {
  std::string target;  // the filter or target, as text
  int64_t rows = 0;    // rows returned or written
};

// The frame every RPC runs in: authenticate, check the method's roles, run the body, map an
// escaping exception to a status (gRPC would answer UNKNOWN and log nothing), then write the
// audit entry and the call's metrics. Thread-safe.
class RpcRunner final {
 public:
  RpcRunner(const Authenticator& authenticator, AuditWriter& audit, Metrics& metrics)
      : authenticator_(authenticator), audit_(audit), metrics_(metrics) {}

  // Runs `body(const Principal&, CallRecord&) -> grpc::Status` for a caller whose role is in
  // `roles`; other callers get UNAUTHENTICATED or PERMISSION_DENIED without running it.
  // `method` is the full gRPC method name, e.g. "/sitrep.v1.RegistryService/GetEnterprise".
  template <class Body>
  grpc::Status Run(grpc::ServerContextBase* context, std::string_view method,
                   std::initializer_list<v1::Role> roles, Body&& body) {
    const auto start = std::chrono::steady_clock::now();
    Principal caller;
    CallRecord record;
    grpc::Status status = Admit(*context, method, roles, caller);
    if (status.ok()) {
      try {
        status = body(static_cast<const Principal&>(caller), record);
      } catch (...) {
        status = StatusFromCurrentException(method);
      }
    }
    Finish(*context, method, caller, record, status, start);
    return status;
  }

  // The two halves of Run for calls whose body spans callbacks (callback-API streams):
  // Admit authenticates and checks the role, filling `caller`; Finish writes the audit entry
  // and the call's metrics once the call's status is known.
  grpc::Status Admit(const grpc::ServerContextBase& context, std::string_view method,
                     std::initializer_list<v1::Role> roles, Principal& caller);
  void Finish(const grpc::ServerContextBase& context, std::string_view method,
              const Principal& caller, const CallRecord& record, const grpc::Status& status,
              std::chrono::steady_clock::time_point start);

  // Finish for a call that no method ran (gRPC refused its request before): its token, if it
  // authenticates, names the caller in the audit entry; no role is checked.
  void FinishWithoutBody(const grpc::ServerContextBase& context, std::string_view method,
                         const grpc::Status& status, std::chrono::steady_clock::time_point start);

 private:
  const Authenticator& authenticator_;
  AuditWriter& audit_;
  Metrics& metrics_;
};

}  // namespace sitrep
