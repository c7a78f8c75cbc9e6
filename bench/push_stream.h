#pragma once

#include <grpcpp/channel.h>
#include <grpcpp/client_context.h>
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/support/byte_buffer.h>
#include <grpcpp/support/client_callback.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace sitrep::bench {

// One PushBatch, serialized before the clock starts, and how many records it carries.
// Batch i of a stream (from 0) must have sequence i + 1.
struct EncodedBatch {
  std::string bytes;
  uint32_t records = 0;
};

// What one Push stream achieved.
struct PushOutcome {
  grpc::Status status;  // the server's final status
  std::string failure;  // set when an ack was wrong (order, counts) or acks were missing
  uint64_t batches_acked = 0;
  uint64_t accepted = 0;
  uint64_t duplicates = 0;
  uint64_t rejected = 0;
  std::optional<std::chrono::steady_clock::time_point> first_write;
  std::optional<std::chrono::steady_clock::time_point> last_ack;
  std::vector<std::chrono::nanoseconds> ack_latencies;  // per batch, write start to ack

  [[nodiscard]] bool ok() const { return status.ok() && failure.empty(); }
};

// Sends `batches` on one IngestService.Push stream with gRPC's callback API, keeping up to
// `window` batches unacked, and checks every ack: in sequence order, one per batch, counts
// adding up to the batch's records. The batches go as they are, never re-serialized, so the
// client's cost is the network alone. Thread-safe: gRPC runs the reactions on its threads.
class PushStream final : public grpc::ClientBidiReactor<grpc::ByteBuffer, grpc::ByteBuffer> {
 public:
  // `batches` and `acked_records` (incremented by each ack's records, for progress) must
  // outlive the stream.
  PushStream(std::shared_ptr<grpc::Channel> channel, const std::string& token,
             const std::vector<EncodedBatch>& batches, int window,
             std::atomic<uint64_t>& acked_records);

  // Starts the call; returns at once.
  void Start();
  // Ends the call as failed with `why` (e.g. the server stopped answering); OnDone follows.
  void Abandon(const std::string& why);
  // Whether the call has ended, waiting until `deadline` at most.
  [[nodiscard]] bool WaitUntil(std::chrono::steady_clock::time_point deadline);
  // The outcome, once WaitUntil has returned true.
  [[nodiscard]] PushOutcome Outcome();

  void OnWriteDone(bool ok) override;
  void OnReadDone(bool ok) override;
  void OnDone(const grpc::Status& status) override;

 private:
  void WriteMore();
  void Fail(std::string failure);

  // Set at construction.
  const std::shared_ptr<grpc::Channel> channel_;
  grpc::GenericStub stub_;
  grpc::ClientContext context_;
  const std::vector<EncodedBatch>& batches_;
  const size_t window_;
  std::atomic<uint64_t>& acked_records_;

  // Reactions may run inline from Start* calls on a thread already holding it.
  std::recursive_mutex mu_;
  std::condition_variable_any done_changed_;
  grpc::ByteBuffer writing_;    // guarded by mu_
  grpc::ByteBuffer reading_;    // guarded by mu_
  size_t next_ = 0;             // batches written or being written; guarded by mu_
  bool write_pending_ = false;  // guarded by mu_
  bool writes_done_ = false;    // guarded by mu_
  std::vector<std::chrono::steady_clock::time_point> sent_;  // per batch; guarded by mu_
  bool done_ = false;                                        // guarded by mu_
  PushOutcome outcome_;                                      // guarded by mu_
};

}  // namespace sitrep::bench
