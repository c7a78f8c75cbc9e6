// The pusher's protocol handling (window, acks by sequence, rejections, resend after a broken
// stream, RetryInfo, refusal) against a scripted IngestService on a real in-process gRPC
// server. The flow against sitrepd itself lives in tests/.
#include "collector/pusher.h"

#include <grpcpp/create_channel.h>
#include <grpcpp/security/server_credentials.h>
#include <grpcpp/server.h>
#include <grpcpp/server_builder.h>
#include <gtest/gtest.h>
#include <stdlib.h>
#include <unistd.h>

#include <fstream>
#include <future>
#include <map>
#include <nlohmann/json.hpp>
#include <thread>

#include "collector/jsonl_importer.h"
#include "collector/small_disk.h"
#include "collector/spooler.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"

namespace sitrep::collector {
namespace {

using std::chrono::milliseconds;

// Stores incidents by external_id, answers every batch at once, and breaks streams on request.
class ScriptedIngest final : public v1::IngestService::Service {
 public:
  grpc::Status Push(grpc::ServerContext* context,
                    grpc::ServerReaderWriter<v1::PushAck, v1::PushBatch>* stream) override {
    const auto auth = context->client_metadata().find("authorization");
    if (auth == context->client_metadata().end() || auth->second != "Bearer good-token") {
      return grpc::Status(grpc::StatusCode::UNAUTHENTICATED, "unknown token");
    }
    v1::PushBatch batch;
    while (stream->Read(&batch)) {
      v1::PushAck ack;
      {
        std::lock_guard lock(mu_);
        ++batches_;
        if (fail_at_batch_ == batches_) {
          // The batch is dropped unacknowledged, as when PostgreSQL goes away mid-batch.
          return failure_;
        }
        ack.set_sequence(batch.sequence());
        for (int i = 0; i < batch.incidents_size(); ++i) {
          const v1::Incident& incident = batch.incidents(i);
          order_.push_back(incident.external_id());
          if (incident.title() == "reject me") {
            v1::Rejection& rejection = *ack.add_rejections();
            rejection.set_kind(v1::RECORD_KIND_INCIDENT);
            rejection.set_index(static_cast<uint32_t>(i));
            rejection.set_key(incident.external_id());
            rejection.set_field("incident.title");
            rejection.set_reason("BAD_TITLE");
            rejection.set_message("incident.title is not acceptable.");
            ack.set_rejected(ack.rejected() + 1);
          } else if (++stored_[incident.external_id()] > 1) {
            ack.set_duplicates(ack.duplicates() + 1);
          } else {
            ack.set_accepted(ack.accepted() + 1);
          }
        }
        // Advisories: a document is answered by its size, a stub by its tracking id.
        for (int i = 0; i < batch.advisories_size(); ++i) {
          const v1::Advisory& advisory = batch.advisories(i);
          order_.push_back(advisory.tracking_id());
          if (advisory.csaf_document() == "refuse") {
            v1::Rejection& rejection = *ack.add_rejections();
            rejection.set_kind(v1::RECORD_KIND_ADVISORY);
            rejection.set_index(static_cast<uint32_t>(i));
            rejection.set_key(advisory.tracking_id());
            rejection.set_field("csaf_document/document/tracking/version");
            rejection.set_reason("CSAF_TEST_6_1_16");
            rejection.set_message("the document is refused.");
            ack.set_rejected(ack.rejected() + 1);
          } else {
            ack.set_accepted(ack.accepted() + 1);
          }
        }
      }
      if (!stream->Write(ack)) break;
    }
    return grpc::Status::OK;
  }

  // The `batch`-th batch received (counting from 1, over all streams) ends its stream with
  // `status` instead of an ack.
  void FailAt(int batch, grpc::Status status) {
    std::lock_guard lock(mu_);
    fail_at_batch_ = batch;
    failure_ = std::move(status);
  }
  std::map<std::string, int> stored() {
    std::lock_guard lock(mu_);
    return stored_;
  }
  std::vector<std::string> order() {
    std::lock_guard lock(mu_);
    return order_;
  }

 private:
  std::mutex mu_;
  int batches_ = 0;
  int fail_at_batch_ = 0;
  grpc::Status failure_;
  std::map<std::string, int> stored_;
  std::vector<std::string> order_;
};

class PusherTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (std::filesystem::temp_directory_path() / "pusher-test-XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
    grpc::ServerBuilder builder;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port_);
    builder.RegisterService(&service_);
    server_ = builder.BuildAndStart();
    ASSERT_NE(port_, 0);
    spool_ = std::make_unique<Spool>(SpoolOptions{dir_ / "spool"});
    rejects_ = std::make_unique<RejectLog>(dir_ / "rejected.jsonl");
  }
  void TearDown() override {
    server_->Shutdown();
    std::filesystem::remove_all(dir_);
  }

  void SpoolIncidents(int count, int reject_every = 0) {
    for (int i = 0; i < count; ++i) {
      v1::Record record;
      record.mutable_incident()->set_external_id("e-" + std::to_string(i));
      const bool reject = reject_every > 0 && i % reject_every == 0;
      record.mutable_incident()->set_title(reject ? "reject me" : "fine");
      spool_->Append(record.SerializeAsString());
    }
    spool_->Commit();
    spool_->FinishAppending();
  }

  std::unique_ptr<Pusher> MakePusher(const std::string& token = "good-token",
                                     const std::string& target = "") {
    PusherOptions options;
    options.batch_records = 100;
    options.window = 3;
    options.first_retry_delay = milliseconds(10);
    options.max_retry_delay = milliseconds(50);
    auto channel =
        grpc::CreateChannel(target.empty() ? "127.0.0.1:" + std::to_string(port_) : target,
                            grpc::InsecureChannelCredentials());
    return std::make_unique<Pusher>(channel, token, *spool_, *rejects_, options);
  }

  std::filesystem::path dir_;
  ScriptedIngest service_;
  int port_ = 0;
  std::unique_ptr<grpc::Server> server_;
  std::unique_ptr<Spool> spool_;
  std::unique_ptr<RejectLog> rejects_;
};

TEST_F(PusherTest, DeliversEveryRecordInSpoolOrderAndDrains) {
  SpoolIncidents(1050);
  auto pusher = MakePusher();
  const PushResult result = pusher->Run();
  EXPECT_EQ(result.outcome, PushResult::Outcome::kDrained) << result.message;
  const PushTotals totals = pusher->totals();
  EXPECT_EQ(totals.sent, 1050u);
  EXPECT_EQ(totals.accepted, 1050u);
  EXPECT_EQ(totals.reconnects, 0u);
  const std::vector<std::string> order = service_.order();
  ASSERT_EQ(order.size(), 1050u);
  for (int i = 0; i < 1050; ++i) ASSERT_EQ(order[i], "e-" + std::to_string(i));
  EXPECT_EQ(spool_->pending_records(), 0u);
}

TEST_F(PusherTest, RejectionsAreWrittenWithTheRecordAndCounted) {
  SpoolIncidents(250, /*reject_every=*/100);  // e-0, e-100, e-200
  auto pusher = MakePusher();
  EXPECT_EQ(pusher->Run().outcome, PushResult::Outcome::kDrained);
  EXPECT_EQ(pusher->totals().rejected, 3u);
  EXPECT_EQ(pusher->totals().accepted, 247u);
  std::ifstream in(dir_ / "rejected.jsonl");
  std::vector<nlohmann::json> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(nlohmann::json::parse(line));
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[1]["key"], "e-100");
  EXPECT_EQ(lines[1]["field"], "incident.title");
  EXPECT_EQ(lines[1]["reason"], "BAD_TITLE");
  EXPECT_EQ(lines[1]["rejected_by"], "server");
  EXPECT_EQ(lines[1]["record"]["incident"]["external_id"], "e-100");
}

// Advisories travel in PushBatch.advisories; a rejection of kind ADVISORY is logged with the
// advisory (without its document, which is the input file itself).
TEST_F(PusherTest, AdvisoriesAreSentAndTheirRejectionsLogged) {
  for (const auto& [id, document] :
       {std::pair{"ICSA-1", "{}"}, std::pair{"ICSA-2", "refuse"}, std::pair{"ICSA-3", ""}}) {
    v1::Record record;
    record.mutable_advisory()->set_tracking_id(id);
    record.mutable_advisory()->set_csaf_document(document);
    spool_->Append(record.SerializeAsString());
  }
  spool_->Commit();
  spool_->FinishAppending();
  auto pusher = MakePusher();
  EXPECT_EQ(pusher->Run().outcome, PushResult::Outcome::kDrained);
  EXPECT_EQ(pusher->totals().sent, 3u);
  EXPECT_EQ(pusher->totals().accepted, 2u);
  EXPECT_EQ(pusher->totals().rejected, 1u);
  EXPECT_EQ(service_.order(), (std::vector<std::string>{"ICSA-1", "ICSA-2", "ICSA-3"}));
  std::ifstream in(dir_ / "rejected.jsonl");
  std::string line;
  ASSERT_TRUE(std::getline(in, line));
  const nlohmann::json rejected = nlohmann::json::parse(line);
  EXPECT_EQ(rejected["kind"], "advisory");
  EXPECT_EQ(rejected["key"], "ICSA-2");
  EXPECT_EQ(rejected["reason"], "CSAF_TEST_6_1_16");
  EXPECT_EQ(rejected["record"]["advisory"]["tracking_id"], "ICSA-2");
  EXPECT_FALSE(rejected["record"]["advisory"].contains("csaf_document"));
  EXPECT_EQ(spool_->pending_records(), 0u);
}

TEST_F(PusherTest, ABrokenStreamIsReopenedAndEveryUnackedBatchResent) {
  SpoolIncidents(1000);
  service_.FailAt(4, grpc::Status(grpc::StatusCode::UNAVAILABLE, "database went away"));
  auto pusher = MakePusher();
  EXPECT_EQ(pusher->Run().outcome, PushResult::Outcome::kDrained);
  const PushTotals totals = pusher->totals();
  EXPECT_EQ(totals.reconnects, 1u);
  EXPECT_EQ(totals.sent, 1000u);  // each record counted once, when its batch is acknowledged
  const std::map<std::string, int> stored = service_.stored();
  ASSERT_EQ(stored.size(), 1000u);  // nothing lost
  // Batches 5 and 6 may have been stored before the stream broke; their resends are the
  // duplicates the server's idempotency absorbs.
  EXPECT_EQ(totals.accepted + totals.duplicates, 1000u);
  EXPECT_EQ(spool_->pending_records(), 0u);
}

TEST_F(PusherTest, WaitsAsLongAsRetryInfoAsks) {
  SpoolIncidents(10);
  google::rpc::RetryInfo retry;
  retry.mutable_retry_delay()->set_nanos(400'000'000);
  google::rpc::Status details;
  details.set_code(static_cast<int>(grpc::StatusCode::RESOURCE_EXHAUSTED));
  details.add_details()->PackFrom(retry);
  service_.FailAt(1, grpc::Status(grpc::StatusCode::RESOURCE_EXHAUSTED, "too many unacked",
                                  details.SerializeAsString()));
  auto pusher = MakePusher();
  const auto started = std::chrono::steady_clock::now();
  EXPECT_EQ(pusher->Run().outcome, PushResult::Outcome::kDrained);
  EXPECT_GE(std::chrono::steady_clock::now() - started, milliseconds(400));
  EXPECT_EQ(pusher->totals().accepted, 10u);
}

TEST_F(PusherTest, ARefusedTokenIsFatalWithOneClearLine) {
  SpoolIncidents(10);
  auto pusher = MakePusher("wrong-token");
  const PushResult result = pusher->Run();
  EXPECT_EQ(result.outcome, PushResult::Outcome::kFatal);
  EXPECT_NE(result.message.find("refused the token"), std::string::npos) << result.message;
  EXPECT_EQ(spool_->pending_records(), 10u);
}

TEST_F(PusherTest, StopEndsRetryingAgainstAnUnreachableServer) {
  SpoolIncidents(10);
  auto pusher = MakePusher("good-token", "127.0.0.1:1");
  std::thread stopper([&] {
    std::this_thread::sleep_for(milliseconds(300));
    pusher->Stop();
  });
  const auto started = std::chrono::steady_clock::now();
  EXPECT_EQ(pusher->Run().outcome, PushResult::Outcome::kStopped);
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(3));
  EXPECT_GE(pusher->totals().reconnects, 1u);
  stopper.join();
  EXPECT_EQ(spool_->pending_records(), 10u);
}

// The collector's whole loop on a real full disk (a 1 MiB tmpfs, the input three times larger):
// with nothing pushed yet the spooler fills the disk and waits instead of failing; pushing then
// acknowledges and deletes segments, the spooler goes on, and every record arrives exactly once.
TEST_F(PusherTest, AFullSpoolDiskWaitsForPushingToMakeRoomAndLosesNothing) {
  if (::geteuid() != 0) GTEST_SKIP() << "mounting a small tmpfs needs root";
  SmallDisk disk(uint64_t{1} << 20);
  ASSERT_TRUE(disk.mounted()) << disk.why_not();
  constexpr int kRecords = 9000;
  const std::filesystem::path input = dir_ / "input.jsonl";
  {
    std::ofstream out(input, std::ios::binary);
    for (int i = 0; i < kRecords; ++i) {
      out << R"({"incident": {"externalId": "e-)" << i << R"(", "title": ")"
          << std::string(300, 't') << "\"}}\n";
    }
  }
  spool_ = std::make_unique<Spool>(SpoolOptions{disk.path() / "spool", uint64_t{64} << 10});
  std::atomic<bool> stop{false};
  std::mutex mu;
  std::vector<std::string> lines;
  std::promise<void> full;
  bool full_seen = false;
  Spooler spooler(
      *spool_, *rejects_,
      [&](const std::string& line) {
        std::lock_guard lock(mu);
        lines.push_back(line);
        if (line.starts_with("no room for the spool") && !std::exchange(full_seen, true)) {
          full.set_value();
        }
      },
      stop, /*reread=*/false);
  const InputPlan plan{"jsonl:" + input.string(), input.string(), input,
                       [&](InputProgress start) { return OpenJsonlFile(input, start, nullptr); }};
  std::string spool_failure = "still running";
  std::thread spooling([&] {
    spool_failure = spooler.Run({plan});
    spool_->FinishAppending();
  });
  const bool filled =
      full.get_future().wait_for(std::chrono::seconds(60)) == std::future_status::ready;
  EXPECT_TRUE(filled) << "the disk never filled";
  EXPECT_GT(disk.used_bytes(), uint64_t{600} << 10);

  auto pusher = MakePusher();
  const PushResult result = pusher->Run();
  spooling.join();
  EXPECT_EQ(spool_failure, "");
  EXPECT_EQ(result.outcome, PushResult::Outcome::kDrained) << result.message;
  EXPECT_EQ(spooler.totals().spooled, static_cast<uint64_t>(kRecords));
  EXPECT_GE(spooler.totals().full_waits, 1u);
  const std::map<std::string, int> stored = service_.stored();
  EXPECT_EQ(stored.size(), static_cast<size_t>(kRecords));
  for (const auto& [id, count] : stored) ASSERT_EQ(count, 1) << id << " was sent twice";
  EXPECT_EQ(spool_->pending_records(), 0u);
  EXPECT_LT(disk.used_bytes(), uint64_t{200} << 10) << "the drained spool keeps its segments";
  {
    std::lock_guard lock(mu);
    EXPECT_NE(
        std::find(lines.begin(), lines.end(), "note: the spool has room again; spooling goes on"),
        lines.end());
  }
  spool_.reset();  // before the disk goes
}

}  // namespace
}  // namespace sitrep::collector
