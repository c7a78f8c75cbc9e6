#pragma once

#include <grpcpp/support/server_interceptor.h>

#include <string_view>

#include "domain/field_violation.h"
#include "server/rpc_runner.h"

namespace sitrep {

// Sends protobuf's own log lines (GOOGLE_LOG) to the JSON log instead of bare
// "[libprotobuf ERROR …]" text on stderr. Protobuf keeps one handler per process, so this is
// process-wide; idempotent and thread-safe. The complaint about a string that is not UTF-8,
// which any client can cause at will, is logged at debug level (the call's audit entry already
// records it) and kept for the interceptors below, which name the field from it.
void RouteProtobufLogToJson();

// The violation for a request of the gRPC method `method` (e.g.
// "/sitrep.v1.FeedService/GetAsset") that protobuf could not parse. `complaint` is what
// protobuf logged while parsing it ("" when nothing): its invalid UTF-8 complaint names the
// field, which the violation gives as a path in the request ("incident.title").
[[nodiscard]] FieldViolation UnparsedRequestViolation(std::string_view method,
                                                      std::string_view complaint);

// gRPC parses the request of a unary or server-streaming method before the method runs and,
// when protobuf cannot parse it, answers INTERNAL with an empty message and runs nothing: no
// audit entry, no metric. The interceptors made here turn that answer into INVALID_ARGUMENT
// with a google.rpc.BadRequest, audited and counted by `rpc` (not owned; must outlive the
// server) under the caller its token names. Only sitrep.v1 methods whose request gRPC parses
// get one: Push parses its own batches (server/ingest_service.h).
class UnparsedRequestInterceptors final
    : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  explicit UnparsedRequestInterceptors(RpcRunner& rpc) : rpc_(rpc) {}

  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override;

 private:
  RpcRunner& rpc_;
};

}  // namespace sitrep
