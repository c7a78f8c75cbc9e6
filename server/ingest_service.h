#pragma once

#include "domain/clock.h"
#include "domain/reference_codes.h"
#include "ingest/group_commit_writer.h"
#include "server/metrics.h"
#include "server/rpc_runner.h"
#include "sitrep/v1/ingest.grpc.pb.h"

namespace sitrep {

// IngestService.Push on gRPC's callback API, so that a stream is read only while the
// group-commit writer has room: when it falls behind, reads stop and gRPC's flow control
// holds the client back, and memory stays bounded by the writer's byte budget. Each stream
// keeps up to kMaxUnackedBatches in flight (more ends it with RESOURCE_EXHAUSTED and a retry
// delay); acks go out in batch order, each after its batch is committed. The method is "raw"
// (bytes in, bytes out) so that a batch protobuf cannot parse (a string that is not UTF-8)
// ends the stream with INVALID_ARGUMENT instead of looking like the client's half-close.
class IngestService final
    : public v1::IngestService::WithRawCallbackMethod_Push<v1::IngestService::Service> {
 public:
  static constexpr int kMaxUnackedBatches = 64;

  IngestService(RpcRunner& rpc, ingest::GroupCommitWriter& writer, const ReferenceCodes& codes,
                const Clock& clock, Metrics& metrics)
      : rpc_(rpc), writer_(writer), codes_(codes), clock_(clock), metrics_(metrics) {}

  grpc::ServerBidiReactor<grpc::ByteBuffer, grpc::ByteBuffer>* Push(
      grpc::CallbackServerContext* context) override;

 private:
  friend class PushReactor;
  RpcRunner& rpc_;
  ingest::GroupCommitWriter& writer_;
  const ReferenceCodes& codes_;
  const Clock& clock_;
  Metrics& metrics_;
};

}  // namespace sitrep
