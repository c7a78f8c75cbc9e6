#include "collector/pusher.h"

#include <thread>
#include <utility>
#include <vector>

#include "collector/retry_policy.h"
#include "logging/log.h"
#include "proto/status_code_name.h"

namespace sitrep::collector {
namespace {

using std::chrono::milliseconds;
using std::chrono::steady_clock;

// The records of a batch, of every kind.
uint64_t RecordsOf(const v1::PushBatch& batch) {
  return static_cast<uint64_t>(batch.incidents_size()) +
         static_cast<uint64_t>(batch.assets_size()) +
         static_cast<uint64_t>(batch.advisories_size());
}

constexpr milliseconds kPollInterval{100};
// After WritesDone the server ends the stream once its last ack is out; this long, at most.
constexpr milliseconds kGracefulEnd{5'000};

std::string FatalMessage(const grpc::Status& status) {
  const std::string detail =
      " (" + StatusCodeName(status.error_code()) + ": " + status.error_message() + ")";
  switch (status.error_code()) {
    case grpc::StatusCode::UNAUTHENTICATED:
      return "the server refused the token" + detail + "; check --token-file or SITREP_TOKEN";
    case grpc::StatusCode::PERMISSION_DENIED:
      return "this token may not push records" + detail +
             "; it needs a COLLECTOR or ENTERPRISE principal";
    case grpc::StatusCode::UNIMPLEMENTED:
      return "the server does not offer IngestService.Push" + detail;
    default:
      return "the server refused the push stream" + detail;
  }
}

}  // namespace

struct Pusher::InFlight {
  v1::PushBatch batch;
  SpoolPosition end;                 // Ack this once the batch is acknowledged
  uint64_t spool_records = 0;        // spool records the Ack covers (carried unreadable ones too)
  steady_clock::time_point sent_at;  // guarded by mu_
};

struct Pusher::StreamEnd {
  grpc::Status status;
  bool drained = false;
};

Pusher::Pusher(std::shared_ptr<grpc::Channel> channel, std::string token, Spool& spool,
               RejectLog& rejects, PusherOptions options)
    : stub_(v1::IngestService::NewStub(std::move(channel))),
      token_(std::move(token)),
      spool_(spool),
      rejects_(rejects),
      options_(options) {}

Pusher::~Pusher() = default;

PushResult Pusher::Run() {
  unsigned attempt = 0;
  while (!stopping_) {
    const StreamEnd end = RunStream();
    if (end.drained) return {PushResult::Outcome::kDrained, ""};
    if (stopping_) break;
    if (!IsRetryable(end.status.error_code())) {
      return {PushResult::Outcome::kFatal, FatalMessage(end.status)};
    }
    size_t unacked = 0;
    {
      std::lock_guard lock(mu_);
      if (acked_on_stream_) attempt = 0;  // the stream worked for a while: start over
      unacked = in_flight_.size();
    }
    const milliseconds delay =
        RetryDelayOf(end.status)
            .value_or(BackoffDelay(attempt, std::uniform_real_distribution<double>(0, 1)(jitter_),
                                   options_.first_retry_delay, options_.max_retry_delay));
    ++attempt;
    ++reconnects_;
    Log(LogLevel::kWarn, "push_stream_failed",
        {{"code", StatusCodeName(end.status.error_code())},
         {"message", end.status.error_message()},
         {"retry_in_ms", std::to_string(delay.count())},
         {"unacked_batches", std::to_string(unacked)}});
    if (!WaitForRetry(delay)) break;
  }
  return {PushResult::Outcome::kStopped, ""};
}

bool Pusher::WaitForRetry(milliseconds delay) {
  std::unique_lock lock(mu_);
  return !changed_.wait_for(lock, delay, [&] { return stopping_.load(); });
}

void Pusher::Stop() {
  std::lock_guard lock(mu_);
  stopping_ = true;
  if (context_ != nullptr) context_->TryCancel();
  changed_.notify_all();
}

PushTotals Pusher::totals() const {
  return {sent_.load(), accepted_.load(), duplicates_.load(), rejected_.load(), reconnects_.load()};
}

Pusher::StreamEnd Pusher::RunStream() {
  grpc::ClientContext context;
  context.AddMetadata("authorization", "Bearer " + token_);
  std::vector<std::shared_ptr<InFlight>> resend;
  {
    std::lock_guard lock(mu_);
    if (stopping_) return {grpc::Status(grpc::StatusCode::CANCELLED, "stopping"), false};
    context_ = &context;
    reader_done_ = false;
    acked_on_stream_ = false;
    stream_error_.clear();
    resend.assign(in_flight_.begin(), in_flight_.end());
    for (const auto& batch : resend) batch->sent_at = steady_clock::now();
  }
  const std::unique_ptr<grpc::ClientReaderWriter<v1::PushBatch, v1::PushAck>> stream =
      stub_->Push(&context);
  std::thread reader([&] { ReadAcks(*stream, context); });
  std::thread watchdog([&] { Watch(context); });

  // Everything sent before and not acknowledged goes again first, in the same order.
  bool writable = true;
  for (const auto& batch : resend) {
    if (!(writable = stream->Write(batch->batch))) break;
  }
  bool drained = false;
  while (writable && !stopping_) {
    {
      std::unique_lock lock(mu_);
      changed_.wait_for(lock, kPollInterval, [&] {
        return reader_done_ || stopping_ || in_flight_.size() < options_.window;
      });
      if (reader_done_ || stopping_) break;
      if (in_flight_.size() >= options_.window) continue;
    }
    SpoolBatch spooled = spool_.Read(options_.batch_records, options_.batch_bytes, kPollInterval);
    if (spooled.records.empty()) {
      std::lock_guard lock(mu_);
      if (in_flight_.empty() && spool_.AllRead()) {
        if (carried_records_ > 0) spool_.Ack(carried_end_, std::exchange(carried_records_, 0));
        drained = true;
        break;
      }
      continue;
    }
    Linger(spooled);
    const std::shared_ptr<InFlight> batch = NextBatch(std::move(spooled));
    if (batch == nullptr) continue;
    {
      std::lock_guard lock(mu_);
      batch->sent_at = steady_clock::now();
      in_flight_.push_back(batch);
    }
    writable = stream->Write(batch->batch);  // false: the stream is broken; Finish says why
  }
  if (drained) {
    stream->WritesDone();
    std::unique_lock lock(mu_);
    changed_.wait_for(lock, kGracefulEnd, [&] { return reader_done_; });
  }
  {
    std::lock_guard lock(mu_);
    if (!reader_done_) context.TryCancel();  // wakes the reader of a stream still open
  }
  reader.join();
  watchdog.join();
  grpc::Status status = stream->Finish();
  std::lock_guard lock(mu_);
  context_ = nullptr;
  if (drained) return {status, true};
  if (!stream_error_.empty()) {
    status = grpc::Status(grpc::StatusCode::UNAVAILABLE, stream_error_);
  } else if (status.ok()) {
    status = grpc::Status(grpc::StatusCode::UNAVAILABLE,
                          "the server ended the stream before acknowledging every batch");
  }
  return {status, false};
}

void Pusher::Watch(grpc::ClientContext& context) {
  std::unique_lock lock(mu_);
  while (!reader_done_) {
    changed_.wait_for(lock, std::chrono::seconds(1));
    if (!in_flight_.empty() &&
        steady_clock::now() - in_flight_.front()->sent_at > options_.ack_timeout) {
      stream_error_ =
          "no acknowledgement within " + std::to_string(options_.ack_timeout.count() / 1000) + " s";
      context.TryCancel();
      return;
    }
  }
}

void Pusher::ReadAcks(grpc::ClientReaderWriter<v1::PushBatch, v1::PushAck>& stream,
                      grpc::ClientContext& context) {
  v1::PushAck ack;
  while (stream.Read(&ack)) {
    std::shared_ptr<InFlight> batch;
    {
      std::lock_guard lock(mu_);
      if (in_flight_.empty() || in_flight_.front()->batch.sequence() != ack.sequence()) {
        stream_error_ = "acknowledgement for batch " + std::to_string(ack.sequence()) +
                        " out of order; expected " +
                        (in_flight_.empty() ? std::string("none")
                                            : std::to_string(in_flight_.front()->batch.sequence()));
        break;
      }
      batch = in_flight_.front();
    }
    HandleAck(ack, *batch);
    {
      std::lock_guard lock(mu_);
      in_flight_.pop_front();
      acked_on_stream_ = true;
    }
    changed_.notify_all();
  }
  bool protocol_error = false;
  {
    std::lock_guard lock(mu_);
    protocol_error = !stream_error_.empty();
  }
  // Cancelled only when the collector ends the stream itself: cancelling a stream that ended
  // on its own would replace the server's status (and its RetryInfo) with CANCELLED.
  if (protocol_error) {
    context.TryCancel();
    while (stream.Read(&ack)) {
    }
  }
  {
    std::lock_guard lock(mu_);
    reader_done_ = true;
  }
  changed_.notify_all();
}

void Pusher::HandleAck(const v1::PushAck& ack, const InFlight& batch) {
  for (const v1::Rejection& rejection : ack.rejections()) {
    v1::Record record;
    const int index = static_cast<int>(rejection.index());
    if (rejection.kind() == v1::RECORD_KIND_INCIDENT && index < batch.batch.incidents_size()) {
      *record.mutable_incident() = batch.batch.incidents(index);
    } else if (rejection.kind() == v1::RECORD_KIND_ASSET && index < batch.batch.assets_size()) {
      *record.mutable_asset() = batch.batch.assets(index);
    } else if (rejection.kind() == v1::RECORD_KIND_ADVISORY &&
               index < batch.batch.advisories_size()) {
      *record.mutable_advisory() = batch.batch.advisories(index);
    }
    rejects_.Write("server", rejection.key(), record, rejection.field(), rejection.reason(),
                   rejection.message());
    const bool province_refused =
        rejection.field().ends_with("province") &&
        (rejection.reason() == "PERMISSION_DENIED" || rejection.reason() == "PROVINCE_NOT_ALLOWED");
    if (province_refused && !province_hint_given_.exchange(true)) {
      Log(LogLevel::kWarn, "province_not_allowed",
          {{"hint", "this token may push only its own province's records; pass --province CODE"}});
    }
  }
  const uint64_t records = RecordsOf(batch.batch);
  if (uint64_t{ack.accepted()} + ack.duplicates() + ack.rejected() != records) {
    Log(LogLevel::kWarn, "push_ack_mismatch",
        {{"sequence", std::to_string(ack.sequence())},
         {"records", std::to_string(records)},
         {"accepted", std::to_string(ack.accepted())},
         {"duplicates", std::to_string(ack.duplicates())},
         {"rejected", std::to_string(ack.rejected())}});
  }
  // A spool that cannot record the ack only means a resend after a restart; pushing goes on.
  try {
    spool_.Ack(batch.end, batch.spool_records);
  } catch (const std::exception& error) {
    Log(LogLevel::kError, "spool_ack_failed", {{"error", error.what()}});
  }
  sent_ += records;
  accepted_ += ack.accepted();
  duplicates_ += ack.duplicates();
  rejected_ += ack.rejected();
}

void Pusher::Linger(SpoolBatch& spooled) {
  {
    std::lock_guard lock(mu_);
    if (in_flight_.empty()) return;  // an idle stream sends at once: latency matters more
  }
  size_t bytes = 0;
  for (const std::string& record : spooled.records) bytes += record.size();
  const steady_clock::time_point until = steady_clock::now() + options_.linger;
  while (spooled.records.size() < options_.batch_records && bytes < options_.batch_bytes &&
         !stopping_) {
    const auto left = std::chrono::duration_cast<milliseconds>(until - steady_clock::now());
    if (left <= milliseconds(0)) break;
    SpoolBatch more = spool_.Read(options_.batch_records - spooled.records.size(),
                                  options_.batch_bytes - bytes, left);
    if (more.records.empty()) break;
    for (std::string& record : more.records) {
      bytes += record.size();
      spooled.records.push_back(std::move(record));
    }
    spooled.end = more.end;
  }
}

std::shared_ptr<Pusher::InFlight> Pusher::NextBatch(SpoolBatch spooled) {
  auto batch = std::make_shared<InFlight>();
  for (const std::string& bytes : spooled.records) {
    v1::Record record;
    if (!record.ParseFromString(bytes) || record.kind_case() == v1::Record::KIND_NOT_SET) {
      // Only a bug can put such bytes in the spool (the checksum guards against the disk).
      rejects_.Write("collector", "", v1::Record(), "", "UNREADABLE_SPOOL_RECORD",
                     "a spooled record could not be parsed; it was skipped.");
      continue;
    }
    if (record.has_incident()) {
      batch->batch.add_incidents()->Swap(record.mutable_incident());
    } else if (record.has_asset()) {
      batch->batch.add_assets()->Swap(record.mutable_asset());
    } else {
      batch->batch.add_advisories()->Swap(record.mutable_advisory());
    }
  }
  const uint64_t count = spooled.records.size();
  if (RecordsOf(batch->batch) == 0) {
    // Nothing to send: the next batch's Ack (which lies further on) covers these records.
    carried_records_ += count;
    carried_end_ = spooled.end;
    return nullptr;
  }
  batch->batch.set_sequence(next_sequence_++);
  batch->end = spooled.end;
  batch->spool_records = count + std::exchange(carried_records_, 0);
  return batch;
}

}  // namespace sitrep::collector
