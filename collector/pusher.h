#pragma once

#include <grpcpp/channel.h>
#include <grpcpp/client_context.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <random>
#include <string>

#include "collector/reject_log.h"
#include "collector/spool.h"
#include "sitrep/v1/ingest.grpc.pb.h"

namespace sitrep::collector {

inline constexpr size_t kMaxBatchRecords = 1000;  // IngestService's limit per PushBatch
inline constexpr size_t kMaxBatchBytes = size_t{4} << 20;

struct PusherOptions {
  size_t batch_records = 500;  // 1..kMaxBatchRecords
  // Serialized records per batch; the margin leaves room for PushBatch's own framing.
  size_t batch_bytes = kMaxBatchBytes - (size_t{64} << 10);
  size_t window = 8;  // batches sent and not yet acknowledged
  std::chrono::milliseconds first_retry_delay{100};
  std::chrono::milliseconds max_retry_delay{10'000};
  // A batch unacknowledged this long means a stuck stream: it is cancelled and reopened.
  std::chrono::milliseconds ack_timeout{120'000};
  // While batches are in flight anyway, a batch short of batch_records waits this long for more
  // records: many tiny batches (one per CSAF file, say) cost the server a transaction each.
  std::chrono::milliseconds linger{20};
};

// What the server has said so far (records of acknowledged batches, counted once).
struct PushTotals {
  uint64_t sent = 0;
  uint64_t accepted = 0;
  uint64_t duplicates = 0;
  uint64_t rejected = 0;
  uint64_t reconnects = 0;
};

struct PushResult {
  enum class Outcome {
    kDrained,  // FinishAppending was called and every spooled record is acknowledged
    kStopped,  // Stop() was called; what is unacknowledged stays in the spool
    kFatal,    // the server refused the stream for good; `message` says why in one line
  };
  Outcome outcome = Outcome::kDrained;
  std::string message;
};

// Pushes the spool to IngestService.Push over one long-lived stream (SPEC §4): batches of
// records in spool order, up to `window` in flight, acknowledgements matched by sequence and
// turned into spool Acks; rejections go to the RejectLog, final. Any stream failure but a
// refused token, role or request reopens the stream after a backoff (or the server's RetryInfo)
// and resends every unacknowledged batch, which the server's idempotency makes safe.
class Pusher final {
 public:
  // `spool` and `rejects` must outlive the Pusher. `token` goes out as "Bearer <token>".
  Pusher(std::shared_ptr<grpc::Channel> channel, std::string token, Spool& spool,
         RejectLog& rejects, PusherOptions options);
  ~Pusher();
  Pusher(const Pusher&) = delete;
  Pusher& operator=(const Pusher&) = delete;

  // Pushes until drained, stopped or refused (see PushResult). Call once, from one thread.
  [[nodiscard]] PushResult Run();

  // Makes Run return soon with kStopped. Thread-safe, and safe to call from any thread.
  void Stop();

  // Thread-safe.
  [[nodiscard]] PushTotals totals() const;

 private:
  struct InFlight;
  struct StreamEnd;

  StreamEnd RunStream();
  void ReadAcks(grpc::ClientReaderWriter<v1::PushBatch, v1::PushAck>& stream,
                grpc::ClientContext& context);
  void HandleAck(const v1::PushAck& ack, const InFlight& batch);
  void Linger(SpoolBatch& spooled);
  std::shared_ptr<InFlight> NextBatch(SpoolBatch spooled);
  void Watch(grpc::ClientContext& context);
  bool WaitForRetry(std::chrono::milliseconds delay);

  // Set at construction.
  const std::unique_ptr<v1::IngestService::Stub> stub_;
  const std::string token_;
  Spool& spool_;
  RejectLog& rejects_;
  const PusherOptions options_;

  std::atomic<bool> stopping_{false};
  std::atomic<uint64_t> sent_{0};
  std::atomic<uint64_t> accepted_{0};
  std::atomic<uint64_t> duplicates_{0};
  std::atomic<uint64_t> rejected_{0};
  std::atomic<uint64_t> reconnects_{0};
  std::atomic<bool> province_hint_given_{false};

  // Run's thread only.
  uint64_t next_sequence_ = 1;
  uint64_t carried_records_ = 0;  // unreadable spool records the next batch's Ack covers
  SpoolPosition carried_end_;
  std::mt19937_64 jitter_{std::random_device{}()};

  mutable std::mutex mu_;
  std::condition_variable changed_;
  // Guarded by mu_.
  std::deque<std::shared_ptr<InFlight>> in_flight_;  // oldest first
  grpc::ClientContext* context_ = nullptr;           // the open stream's, for Stop()
  bool reader_done_ = false;
  bool acked_on_stream_ = false;  // an ack arrived on the current stream: backoff starts over
  std::string stream_error_;      // why the collector itself ended the current stream
};

}  // namespace sitrep::collector
