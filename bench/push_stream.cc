#include "bench/push_stream.h"

#include "sitrep/v1/ingest.pb.h"

namespace sitrep::bench {
namespace {

constexpr const char* kPushMethod = "/sitrep.v1.IngestService/Push";

bool ParseAck(const grpc::ByteBuffer& buffer, v1::PushAck& ack) {
  std::vector<grpc::Slice> slices;
  if (!buffer.Dump(&slices).ok()) return false;
  std::string bytes;
  for (const grpc::Slice& slice : slices) {
    bytes.append(reinterpret_cast<const char*>(slice.begin()), slice.size());
  }
  return ack.ParseFromString(bytes);
}

}  // namespace

PushStream::PushStream(std::shared_ptr<grpc::Channel> channel, const std::string& token,
                       const std::vector<EncodedBatch>& batches, int window,
                       std::atomic<uint64_t>& acked_records)
    : channel_(std::move(channel)),
      stub_(channel_),
      batches_(batches),
      window_(static_cast<size_t>(window)),
      acked_records_(acked_records),
      sent_(batches.size()) {
  context_.AddMetadata("authorization", "Bearer " + token);
  outcome_.ack_latencies.reserve(batches.size());
}

void PushStream::Start() {
  std::lock_guard lock(mu_);
  stub_.PrepareBidiStreamingCall(&context_, kPushMethod, grpc::StubOptions(), this);
  StartRead(&reading_);
  WriteMore();
  StartCall();
}

void PushStream::Abandon(const std::string& why) {
  std::lock_guard lock(mu_);
  if (!done_) Fail(why);
}

bool PushStream::WaitUntil(std::chrono::steady_clock::time_point deadline) {
  std::unique_lock lock(mu_);
  return done_changed_.wait_until(lock, deadline, [this] { return done_; });
}

PushOutcome PushStream::Outcome() {
  std::lock_guard lock(mu_);
  return outcome_;
}

void PushStream::OnWriteDone(bool ok) {
  std::lock_guard lock(mu_);
  write_pending_ = false;
  // A failed write means the stream is over; OnDone brings the status.
  if (ok) WriteMore();
}

void PushStream::OnReadDone(bool ok) {
  std::lock_guard lock(mu_);
  if (!ok) return;  // the server finished the stream; OnDone follows
  const auto now = std::chrono::steady_clock::now();
  v1::PushAck ack;
  const uint64_t index = outcome_.batches_acked;
  if (!ParseAck(reading_, ack)) return Fail("an ack could not be parsed");
  if (index >= next_ || ack.sequence() != index + 1) {
    return Fail("ack for sequence " + std::to_string(ack.sequence()) + " arrived when " +
                std::to_string(index + 1) + " was due");
  }
  const uint64_t counted =
      static_cast<uint64_t>(ack.accepted()) + ack.duplicates() + ack.rejected();
  if (counted != batches_[index].records) {
    return Fail("the ack for batch " + std::to_string(index + 1) + " counts " +
                std::to_string(counted) + " records, not " +
                std::to_string(batches_[index].records));
  }
  ++outcome_.batches_acked;
  outcome_.accepted += ack.accepted();
  outcome_.duplicates += ack.duplicates();
  outcome_.rejected += ack.rejected();
  outcome_.last_ack = now;
  outcome_.ack_latencies.push_back(now - sent_[index]);
  acked_records_.fetch_add(counted, std::memory_order_relaxed);
  StartRead(&reading_);
  WriteMore();
}

void PushStream::OnDone(const grpc::Status& status) {
  std::lock_guard lock(mu_);
  outcome_.status = status;
  if (outcome_.failure.empty() && status.ok() && outcome_.batches_acked != batches_.size()) {
    outcome_.failure = "the stream ended after " + std::to_string(outcome_.batches_acked) + " of " +
                       std::to_string(batches_.size()) + " acks";
  }
  done_ = true;
  done_changed_.notify_all();
}

void PushStream::WriteMore() {
  if (write_pending_ || writes_done_ || !outcome_.failure.empty()) return;
  if (next_ == batches_.size()) {
    writes_done_ = true;
    StartWritesDone();
    return;
  }
  if (next_ - outcome_.batches_acked >= window_) return;
  const std::string& bytes = batches_[next_].bytes;
  // The batch's bytes outlive the stream, so the slice points at them instead of copying.
  grpc::Slice slice(bytes.data(), bytes.size(), grpc::Slice::STATIC_SLICE);
  writing_ = grpc::ByteBuffer(&slice, 1);
  const auto now = std::chrono::steady_clock::now();
  if (!outcome_.first_write) outcome_.first_write = now;
  sent_[next_++] = now;
  write_pending_ = true;
  StartWrite(&writing_);
}

void PushStream::Fail(std::string failure) {
  if (outcome_.failure.empty()) outcome_.failure = std::move(failure);
  context_.TryCancel();
}

}  // namespace sitrep::bench
