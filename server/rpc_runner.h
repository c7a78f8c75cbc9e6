#pragma once

#include <grpcpp/server_context.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>

#include "domain/principal.h"
#include "server/audit_writer.h"
#include "server/authenticator.h"
#include "server/live_calls.h"
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
  // `wake_streams` wakes the server-streaming calls that wait for records (RunLive's bodies),
  // so that one whose credential ended notices at once.
  RpcRunner(const Authenticator& authenticator, LiveCalls& live, std::function<void()> wake_streams,
            AuditWriter& audit, Metrics& metrics)
      : authenticator_(authenticator),
        live_(live),
        wake_streams_(std::move(wake_streams)),
        audit_(audit),
        metrics_(metrics) {}

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
    return Finish(*context, method, caller, record, status, start);
  }

  // Run for a long-lived call (a server stream): the body also gets the call's registration
  // in LiveCalls and must stop delivering once `live.ended()`; the call then ends with
  // `live.status()` (UNAUTHENTICATED) whatever the body returns. The body's waits are woken
  // when the credential ends.
  template <class Body>
  grpc::Status RunLive(grpc::ServerContextBase* context, std::string_view method,
                       std::initializer_list<v1::Role> roles, Body&& body) {
    const auto start = std::chrono::steady_clock::now();
    Principal caller;
    CallRecord record;
    std::unique_ptr<LiveCalls::Call> live;
    grpc::Status status = AdmitLive(
        *context, method, roles, caller, [this](const grpc::Status&) { wake_streams_(); }, live);
    if (status.ok()) {
      try {
        status = body(static_cast<const Principal&>(caller), record,
                      static_cast<const LiveCalls::Call&>(*live));
      } catch (...) {
        status = StatusFromCurrentException(method);
      }
      if (live->ended()) status = live->status();
    }
    live.reset();
    Finish(*context, method, caller, record, status, start);
    return status;
  }

  // The two halves of Run for calls whose body spans callbacks (callback-API streams):
  // Admit authenticates and checks the role, filling `caller`; Finish writes the audit entry
  // and the call's metrics once the call's status is known, and returns the status to answer.
  // A read (a Get or List method) that succeeded is answered only once its audit entry is
  // durable: when the entry cannot be written, the answer is UNAVAILABLE, without what was
  // read, and the entry of that refusal waits for the database instead.
  grpc::Status Admit(const grpc::ServerContextBase& context, std::string_view method,
                     std::initializer_list<v1::Role> roles, Principal& caller);
  // Admit for a long-lived call: also registers its credential in LiveCalls (into `live`), so
  // that `on_end` runs when the token is revoked or expires or its principal changes. An OK
  // status means `live` is set; `on_end` may already have run.
  grpc::Status AdmitLive(const grpc::ServerContextBase& context, std::string_view method,
                         std::initializer_list<v1::Role> roles, Principal& caller,
                         LiveCalls::OnEnd on_end, std::unique_ptr<LiveCalls::Call>& live);
  grpc::Status Finish(const grpc::ServerContextBase& context, std::string_view method,
                      const Principal& caller, const CallRecord& record, grpc::Status status,
                      std::chrono::steady_clock::time_point start);

  // Finish for a call that no method ran (gRPC refused its request before): its token, if it
  // authenticates, names the caller in the audit entry; no role is checked.
  void FinishWithoutBody(const grpc::ServerContextBase& context, std::string_view method,
                         const grpc::Status& status, std::chrono::steady_clock::time_point start);

  // Writes the audit entry of what the HTTP edge does for a client outside any call (sign-in,
  // sign-out), built as a call's is; principal_id 0 when not known, `peer` as
  // Authenticator::Peer names it. Never throws for a database failure (AuditWriter::Write).
  void Audit(std::string_view method, int64_t principal_id, const grpc::Status& status,
             std::string peer);

 private:
  // The audit entry of a call or of an edge event, stamped now.
  [[nodiscard]] static storage::AuditRecord AuditEntry(std::string_view method,
                                                       int64_t principal_id,
                                                       const CallRecord& record,
                                                       const grpc::Status& status,
                                                       std::string peer);
  [[nodiscard]] static grpc::Status CheckRole(const Principal& caller, std::string_view method,
                                              std::initializer_list<v1::Role> roles);

  const Authenticator& authenticator_;
  LiveCalls& live_;
  const std::function<void()> wake_streams_;
  AuditWriter& audit_;
  Metrics& metrics_;
};

}  // namespace sitrep
