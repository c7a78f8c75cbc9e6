#pragma once

#include <grpcpp/server_context.h>
#include <grpcpp/support/sync_stream.h>

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <string>

#include "domain/outcome.h"
#include "server/rpc_runner.h"
#include "server/status_mapping.h"

namespace sitrep {

// What the read services (FeedService, VulnerabilityService) share at the edge: how a filter
// goes into the audit log, and the frame of a live watch.

// The filter as the audit log keeps it: compact text, at most 1,000 bytes.
[[nodiscard]] inline std::string AuditText(const google::protobuf::Message& filter) {
  constexpr size_t kMaxAuditTarget = 1000;
  std::string text = filter.ShortDebugString();
  if (text.size() > kMaxAuditTarget) text.resize(kMaxAuditTarget);
  return text;
}

// Runs `watch(send, stopped)` (a domain Watch* returning Outcome<int64_t>, the records sent)
// for a RunLive body: each message is written only while the credential lives, and the watch
// stops when the credential ends, the client cancels or the server stops. Audits the filter
// and the number of records sent.
template <class Response, class Request, class WatchFn>
grpc::Status RunWatch(grpc::ServerContext* context, grpc::ServerWriter<Response>* writer,
                      const std::atomic<bool>& stopping, const LiveCalls::Call& live,
                      CallRecord& record, const Request& request, WatchFn watch) {
  record.target = AuditText(request.filter());
  // Asked again right before each write: a page read before the credential ended is not sent.
  Outcome<int64_t> sent =
      watch([&](const Response& response) { return !live.ended() && writer->Write(response); },
            [&] { return live.ended() || context->IsCancelled() || stopping.load(); });
  if (!sent.ok()) return ToStatus(sent.error());
  record.rows = sent.value();
  return grpc::Status::OK;
}

}  // namespace sitrep
