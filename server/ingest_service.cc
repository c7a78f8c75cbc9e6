#include "server/ingest_service.h"

#include <grpcpp/support/byte_buffer.h>
#include <grpcpp/support/proto_buffer_reader.h>

#include <chrono>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "ingest/batch_preparer.h"
#include "server/status_mapping.h"

namespace sitrep {

constexpr const char* kPushMethod = "/sitrep.v1.IngestService/Push";

namespace {

bool Parse(grpc::ByteBuffer& buffer, v1::PushBatch& batch) {
  grpc::ProtoBufferReader reader(&buffer);
  return reader.status().ok() && batch.ParseFromZeroCopyStream(&reader);
}

struct KindCounts {
  uint32_t accepted = 0;
  uint32_t duplicates = 0;
  uint32_t rejected = 0;
};

// Adds the verdicts of one kind of a batch's records to its ack.
template <class Record, class Key>
KindCounts AddVerdicts(v1::RecordKind kind, const std::vector<Record*>& records,
                       const std::vector<uint32_t>& indices,
                       const std::vector<ingest::RecordVerdict>& verdicts, Key key,
                       v1::PushAck& ack) {
  KindCounts counts;
  for (size_t i = 0; i < verdicts.size(); ++i) {
    const ingest::RecordVerdict& verdict = verdicts[i];
    switch (verdict.kind) {
      case ingest::RecordVerdict::kStored:
        ++counts.accepted;
        break;
      case ingest::RecordVerdict::kDuplicate:
        ++counts.duplicates;
        break;
      case ingest::RecordVerdict::kRejected: {
        ++counts.rejected;
        v1::Rejection* rejection = ack.add_rejections();
        rejection->set_kind(kind);
        rejection->set_index(indices[i]);
        rejection->set_key(key(*records[i]));
        rejection->set_field(verdict.violation->field);
        rejection->set_reason(verdict.violation->reason);
        rejection->set_message(verdict.violation->description);
        break;
      }
    }
  }
  return counts;
}

}  // namespace

// One Push stream. gRPC calls its On* reactions on its own threads and the writer calls
// OnCommitted on a writer thread, so every state change holds mu_. The reactor deletes itself
// when gRPC is done with it (OnDone) and no writer or resume callback can still reach it.
class PushReactor final : public grpc::ServerBidiReactor<grpc::ByteBuffer, grpc::ByteBuffer> {
 public:
  PushReactor(IngestService& service, grpc::CallbackServerContext* context)
      : service_(service), context_(context), start_(std::chrono::steady_clock::now()) {
    // Revoking or expiring the token, or changing its principal, ends the stream: no batch
    // read after that is stored. on_end runs on another thread (or inline, here).
    const grpc::Status admitted = service_.rpc_.AdmitLive(
        *context_, kPushMethod, {v1::ROLE_COLLECTOR, v1::ROLE_ENTERPRISE, v1::ROLE_ADMIN}, caller_,
        [this](const grpc::Status& status) {
          std::lock_guard lock(mu_);
          FinishWith(status);
        },
        live_);
    std::lock_guard lock(mu_);
    if (!admitted.ok()) {
      FinishWith(admitted);
      return;
    }
    service_.metrics_.AddPushStreams(1);
    counted_stream_ = true;
    ReadNext();
  }

  void OnReadDone(bool ok) override {
    std::lock_guard lock(mu_);
    reading_ = false;
    if (finished_) return;
    // Its on_end is finishing the stream (not asking live_->status() here: on_end holds that
    // lock while it waits for mu_).
    if (live_->ended()) return;
    if (!ok) {  // the client half-closed (or went away): ack what is in flight, then finish
      read_closed_ = true;
      MaybeFinishOk();
      return;
    }
    ingest::ArenaBatch parsed;
    if (!Parse(incoming_, *parsed.batch)) {
      FinishWith(InvalidArgumentStatus(
          {{"batch", "MALFORMED_BATCH",
            "batch " + std::to_string(next_slot_ + 1) +
                " of this stream is not a PushBatch protobuf can parse (is every string "
                "valid UTF-8?)."}}));
      return;
    }
    incoming_.Clear();
    if (FieldViolations violations = ingest::CheckBatchSize(*parsed.batch); !violations.empty()) {
      FinishWith(InvalidArgumentStatus(violations));
      return;
    }
    if (slots_.size() >= IngestService::kMaxUnackedBatches) {
      FinishWith(RetryLaterStatus(grpc::StatusCode::RESOURCE_EXHAUSTED,
                                  "more than " + std::to_string(IngestService::kMaxUnackedBatches) +
                                      " batches are waiting for their acks; wait for acks",
                                  std::chrono::seconds(1)));
      return;
    }
    ingest::PreparedBatch prepared =
        ingest::PrepareBatch(caller_, std::move(parsed), service_.codes_, service_.clock_.Now());
    const uint64_t slot = next_slot_++;
    slots_.push_back({slot, std::nullopt});
    ++callbacks_;
    service_.writer_.Submit(std::move(prepared),
                            [this, slot](ingest::GroupCommitWriter::Outcome outcome) {
                              OnCommitted(slot, std::move(outcome));
                            });
    ReadNext();
  }

  void OnWriteDone(bool ok) override {
    std::lock_guard lock(mu_);
    writing_ = false;
    if (!ok) {
      FinishWith(grpc::Status(grpc::StatusCode::CANCELLED, "the client went away"));
      return;
    }
    WriteNext();
    MaybeFinishOk();
  }

  // The client cancelled or its deadline passed: the call must still be finished by us.
  void OnCancel() override {
    std::lock_guard lock(mu_);
    FinishWith(grpc::Status(grpc::StatusCode::CANCELLED, "the call was cancelled"));
  }

  void OnDone() override {
    live_.reset();  // waits for an on_end that is running, and none starts after
    service_.rpc_.Finish(*context_, kPushMethod, caller_, record_, status_, start_);
    if (counted_stream_) service_.metrics_.AddPushStreams(-1);
    bool last;
    {
      std::lock_guard lock(mu_);
      done_ = true;
      last = callbacks_ == 0;
    }
    if (last) delete this;
  }

 private:
  struct Slot {
    uint64_t id;
    std::optional<v1::PushAck> ack;  // set once committed
  };

  // Starts the next read when the writer has room; otherwise asks to be resumed.
  void ReadNext() {
    if (finished_ || reading_ || read_closed_) return;
    if (!service_.writer_.HasRoom()) {
      ++callbacks_;
      service_.writer_.WhenRoom([this] {
        bool last;
        {
          std::lock_guard lock(mu_);
          --callbacks_;
          ReadNext();
          last = done_ && callbacks_ == 0;
        }
        if (last) delete this;
      });
      return;
    }
    reading_ = true;
    StartRead(&incoming_);
  }

  void OnCommitted(uint64_t slot, ingest::GroupCommitWriter::Outcome outcome) {
    bool last;
    {
      std::lock_guard lock(mu_);
      --callbacks_;
      if (auto* failure = std::get_if<std::exception_ptr>(&outcome)) {
        grpc::Status status;
        try {
          std::rethrow_exception(*failure);
        } catch (...) {
          status = StatusFromCurrentException(kPushMethod);
        }
        FinishWith(status);
      } else if (std::holds_alternative<ingest::GroupCommitWriter::Stopping>(outcome)) {
        FinishWith(ToStatus(ingest::StoppingError()));
      } else {
        v1::PushAck ack = Ack(std::get<ingest::WrittenBatch>(outcome));
        for (Slot& waiting : slots_) {
          if (waiting.id == slot) waiting.ack = std::move(ack);
        }
        WriteNext();
      }
      last = done_ && callbacks_ == 0;
    }
    if (last) delete this;
  }

  // The ack of a written batch (records refused before the database first, then each
  // record's verdict), counted in the metrics.
  v1::PushAck Ack(const ingest::WrittenBatch& written) {
    const ingest::PreparedBatch& batch = written.batch;
    v1::PushAck ack;
    ack.set_sequence(batch.sequence);
    KindCounts early[3];  // incidents, assets, advisories
    for (const v1::Rejection& rejection : batch.rejections) {
      *ack.add_rejections() = rejection;
      ++early[rejection.kind() == v1::RECORD_KIND_INCIDENT ? 0
              : rejection.kind() == v1::RECORD_KIND_ASSET  ? 1
                                                           : 2]
            .rejected;
    }
    KindCounts incidents = AddVerdicts(
        v1::RECORD_KIND_INCIDENT, batch.incidents, batch.incident_indices,
        written.verdicts.incidents,
        [](const v1::Incident& incident) -> const std::string& { return incident.external_id(); },
        ack);
    KindCounts assets = AddVerdicts(
        v1::RECORD_KIND_ASSET, batch.assets, batch.asset_indices, written.verdicts.assets,
        [](const v1::Asset& asset) -> const std::string& { return asset.asset_key(); }, ack);
    KindCounts advisories = AddVerdicts(
        v1::RECORD_KIND_ADVISORY, batch.advisories, batch.advisory_indices,
        written.verdicts.advisories,
        [](const v1::Advisory& advisory) -> const std::string& { return advisory.tracking_id(); },
        ack);
    incidents.rejected += early[0].rejected;
    assets.rejected += early[1].rejected;
    advisories.rejected += early[2].rejected;
    ack.set_accepted(incidents.accepted + assets.accepted + advisories.accepted);
    ack.set_duplicates(incidents.duplicates + assets.duplicates + advisories.duplicates);
    ack.set_rejected(static_cast<uint32_t>(ack.rejections_size()));

    Metrics& metrics = service_.metrics_;
    for (const auto& [kind, counts] : {std::pair{"incident", incidents}, std::pair{"asset", assets},
                                       std::pair{"advisory", advisories}}) {
      metrics.CountRecords(kind, "accepted", counts.accepted);
      metrics.CountRecords(kind, "duplicate", counts.duplicates);
      metrics.CountRecords(kind, "rejected", counts.rejected);
    }
    for (const v1::Rejection& rejection : ack.rejections()) {
      metrics.CountRejection(rejection.reason());
    }
    record_.rows += ack.accepted();
    return ack;
  }

  // Acks leave in batch order: the oldest batch's ack waits for its commit even when a later
  // batch, committed by another writer thread, is ready first.
  void WriteNext() {
    if (finished_ || writing_ || slots_.empty() || !slots_.front().ack) return;
    grpc::Slice bytes(slots_.front().ack->SerializeAsString());
    writing_ack_ = grpc::ByteBuffer(&bytes, 1);
    slots_.pop_front();
    writing_ = true;
    StartWrite(&writing_ack_);
  }

  void MaybeFinishOk() {
    if (read_closed_ && slots_.empty() && !writing_) FinishWith(grpc::Status::OK);
  }

  void FinishWith(const grpc::Status& status) {
    if (finished_) return;
    finished_ = true;
    status_ = status;
    record_.target = "batches=" + std::to_string(next_slot_);
    Finish(status);
  }

  IngestService& service_;
  grpc::CallbackServerContext* const context_;
  const std::chrono::steady_clock::time_point start_;
  Principal caller_;
  CallRecord record_;                      // written by OnDone's audit entry
  std::unique_ptr<LiveCalls::Call> live_;  // set by the constructor when admitted

  // Reactions can run inline from Start* calls on this thread, hence recursive.
  std::recursive_mutex mu_;
  grpc::ByteBuffer incoming_;     // the read buffer; guarded by mu_
  grpc::ByteBuffer writing_ack_;  // the write buffer; guarded by mu_
  std::deque<Slot> slots_;        // unacked batches in order; guarded by mu_
  uint64_t next_slot_ = 0;        // guarded by mu_
  int callbacks_ = 0;             // writer and resume callbacks that may still run; guarded by mu_
  bool reading_ = false;          // guarded by mu_
  bool writing_ = false;          // guarded by mu_
  bool read_closed_ = false;      // guarded by mu_
  bool finished_ = false;         // guarded by mu_
  bool done_ = false;             // guarded by mu_
  bool counted_stream_ = false;
  grpc::Status status_;
};

grpc::ServerBidiReactor<grpc::ByteBuffer, grpc::ByteBuffer>* IngestService::Push(
    grpc::CallbackServerContext* context) {
  return new PushReactor(*this, context);
}

}  // namespace sitrep
