#include "bench/watch_latency.h"

#include <grpcpp/client_context.h>

#include <algorithm>
#include <condition_variable>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "bench/bench_failure.h"
#include "collector/demo_generator.h"
#include "sitrep/v1/feed.grpc.pb.h"
#include "sitrep/v1/ingest.grpc.pb.h"

namespace sitrep::bench {
namespace {

using Clock = std::chrono::steady_clock;

// Marks this run's incidents, so that watchers ignore whatever else is being written.
constexpr const char* kRunAttribute = "bench_run";
constexpr int kProbeAttempts = 15;
constexpr std::chrono::seconds kProbeWait{1};
// How long after the last ack every record must have reached both watchers.
constexpr std::chrono::seconds kDrainTimeout{10};
constexpr std::chrono::seconds kCallTimeout{10};

// Whether SPEC §3 shows `incident` to the PROVINCIAL regulator of `province`: the bench's own
// statement of the rule that row-level security enforces, so a wrong delivery is noticed.
bool VisibleToProvincial(const v1::Incident& incident, uint32_t province) {
  return incident.province() == province ||
         (incident.sharing_scope() != v1::SHARING_SCOPE_PROVINCE &&
          incident.sharing_scope() != v1::SHARING_SCOPE_UNSPECIFIED &&
          incident.tlp() != v1::TLP_RED && incident.tlp() != v1::TLP_AMBER_STRICT);
}

// One WatchIncidents stream, read on its own thread, noting when each incident of the run
// arrived (by external id). Thread-safe.
class WatchRecorder final {
 public:
  using Arrivals = std::map<std::string, std::vector<Clock::time_point>>;

  WatchRecorder(const std::shared_ptr<grpc::Channel>& channel, const std::string& token,
                std::string run)
      : stub_(v1::FeedService::NewStub(channel)), run_(std::move(run)) {
    context_.AddMetadata("authorization", "Bearer " + token);
    thread_ = std::thread([this] { Read(); });
  }
  ~WatchRecorder() { Stop(); }

  // Cancels the call and waits for the reading thread.
  void Stop() {
    context_.TryCancel();
    if (thread_.joinable()) thread_.join();
  }

  // Whether every one of `ids` has arrived, waiting until `deadline` at most.
  bool WaitForAll(const std::vector<std::string>& ids, Clock::time_point deadline) {
    std::unique_lock lock(mu_);
    return changed_.wait_until(lock, deadline, [&] {
      return done_ || std::all_of(ids.begin(), ids.end(),
                                  [&](const std::string& id) { return arrivals_.contains(id); });
    }) && !done_;
  }

  // The call's end, when it ended before Stop: the reason a watcher saw nothing.
  [[nodiscard]] std::string Failure() {
    std::lock_guard lock(mu_);
    return done_ && status_.error_code() != grpc::StatusCode::CANCELLED ? StatusText(status_) : "";
  }

  [[nodiscard]] Arrivals arrivals() {
    std::lock_guard lock(mu_);
    return arrivals_;
  }

 private:
  void Read() {
    const std::unique_ptr<grpc::ClientReader<v1::WatchIncidentsResponse>> reader =
        stub_->WatchIncidents(&context_, v1::WatchIncidentsRequest());
    v1::WatchIncidentsResponse response;
    while (reader->Read(&response)) {
      const Clock::time_point now = Clock::now();
      std::lock_guard lock(mu_);
      for (const v1::Incident& incident : response.incidents()) {
        const auto run = incident.attributes().find(kRunAttribute);
        if (run == incident.attributes().end() || run->second != run_) continue;
        arrivals_[incident.external_id()].push_back(now);
      }
      changed_.notify_all();
    }
    const grpc::Status status = reader->Finish();
    std::lock_guard lock(mu_);
    status_ = status;
    done_ = true;
    changed_.notify_all();
  }

  // Set at construction.
  std::unique_ptr<v1::FeedService::Stub> stub_;
  const std::string run_;
  grpc::ClientContext context_;
  std::thread thread_;

  std::mutex mu_;
  std::condition_variable changed_;
  Arrivals arrivals_;    // guarded by mu_
  grpc::Status status_;  // guarded by mu_
  bool done_ = false;    // guarded by mu_
};

// The times of one pushed batch.
struct PushedBatch {
  Clock::time_point sent;
  Clock::time_point acked;
};

// One Push stream, one batch at a time.
class Pusher final {
 public:
  Pusher(const std::shared_ptr<grpc::Channel>& channel, const std::string& token)
      : stub_(v1::IngestService::NewStub(channel)) {
    context_.AddMetadata("authorization", "Bearer " + token);
    stream_ = stub_->Push(&context_);
  }

  // Writes `batch` with the next sequence number and waits for its ack; returns the times.
  PushedBatch Push(v1::PushBatch& batch) {
    batch.set_sequence(++sequence_);
    PushedBatch times;
    times.sent = Clock::now();
    v1::PushAck ack;
    if (!stream_->Write(batch) || !stream_->Read(&ack)) {
      throw BenchFailure("the watch benchmark's Push stream ended: " + StatusText(Finish()));
    }
    times.acked = Clock::now();
    if (ack.sequence() != sequence_ ||
        ack.accepted() != static_cast<uint32_t>(batch.incidents_size())) {
      throw BenchFailure("the ack of watch batch " + std::to_string(sequence_) + " accepted " +
                         std::to_string(ack.accepted()) + " of " +
                         std::to_string(batch.incidents_size()) + " incidents" +
                         (ack.rejections_size() > 0
                              ? ": " + ack.rejections(0).field() + " " + ack.rejections(0).reason()
                              : std::string()));
    }
    return times;
  }

  grpc::Status Finish() {
    stream_->WritesDone();
    return stream_->Finish();
  }

 private:
  std::unique_ptr<v1::IngestService::Stub> stub_;
  grpc::ClientContext context_;
  std::unique_ptr<grpc::ClientReaderWriter<v1::PushBatch, v1::PushAck>> stream_;
  uint64_t sequence_ = 0;
};

std::string RunTag() {
  const auto now = std::chrono::system_clock::now().time_since_epoch();
  return std::to_string(std::chrono::duration_cast<std::chrono::microseconds>(now).count());
}

// Checks that `arrivals` hold each of `expected` exactly once and nothing else but probes.
void CheckDelivery(const std::string& watcher, const WatchRecorder::Arrivals& arrivals,
                   const std::set<std::string>& expected, const std::set<std::string>& probes) {
  uint64_t missing = 0, repeated = 0, unexpected = 0;
  for (const std::string& id : expected) {
    const auto found = arrivals.find(id);
    if (found == arrivals.end()) {
      ++missing;
    } else if (found->second.size() > 1) {
      ++repeated;
    }
  }
  for (const auto& [id, times] : arrivals) {
    if (!expected.contains(id) && !probes.contains(id)) ++unexpected;
  }
  if (missing + repeated + unexpected > 0) {
    throw BenchFailure("the " + watcher + " watch missed " + std::to_string(missing) +
                       ", repeated " + std::to_string(repeated) + " and was shown " +
                       std::to_string(unexpected) + " unexpected of " +
                       std::to_string(expected.size()) + " records");
  }
}

}  // namespace

WatchLatencies MeasureWatchLatency(const ConnectionOptions& connection,
                                   const BenchPrincipal& national, const BenchPrincipal& provincial,
                                   const BenchPrincipal& collector, const WatchLoad& load,
                                   std::ostream& err) {
  const std::string run = RunTag();
  const auto deadline = std::chrono::system_clock::now() + kCallTimeout;
  const std::shared_ptr<grpc::Channel> push_channel = OwnChannel(connection);
  const std::shared_ptr<grpc::Channel> watch_channel = OwnChannel(connection);
  if (!push_channel->WaitForConnected(deadline) || !watch_channel->WaitForConnected(deadline)) {
    throw BenchFailure("cannot connect to " + connection.server + " within 10 s");
  }
  WatchRecorder national_watch(watch_channel, national.token, run);
  WatchRecorder provincial_watch(watch_channel, provincial.token, run);
  Pusher pusher(push_channel, collector.token);

  collector::DemoOptions demo;
  demo.seed = std::hash<std::string>()(run);
  demo.asset_share = 0;
  demo.mistakes.clear();
  collector::DemoGenerator generator(std::move(demo));
  uint64_t next_id = 0;
  const auto next_incident = [&] {
    v1::Incident incident = std::move(*generator.Next().mutable_incident());
    incident.set_external_id("watch-" + run + "-" + std::to_string(++next_id));
    (*incident.mutable_attributes())[kRunAttribute] = run;
    return incident;
  };

  // A watch delivers only what commits after the server began it; probes (in the provincial
  // watcher's province, so both see them) show when both have begun.
  std::set<std::string> probes;
  bool live = false;
  for (int attempt = 0; attempt < kProbeAttempts && !live; ++attempt) {
    v1::PushBatch probe;
    v1::Incident& incident = *probe.add_incidents() = next_incident();
    incident.set_province(load.province);
    probes.insert(incident.external_id());
    (void)pusher.Push(probe);
    const std::vector<std::string> ids = {incident.external_id()};
    const auto until = Clock::now() + kProbeWait;
    live = national_watch.WaitForAll(ids, until) && provincial_watch.WaitForAll(ids, until);
  }
  if (!live) {
    const std::string failure = national_watch.Failure() + provincial_watch.Failure();
    throw BenchFailure("the watches delivered no probe incident within " +
                       std::to_string(kProbeAttempts) + " s" +
                       (failure.empty() ? "" : ": " + failure));
  }

  const uint64_t batches = std::max<uint64_t>(
      1, (static_cast<uint64_t>(load.records_per_second) * load.duration.count() / 1000 +
          load.batch_size - 1) /
             load.batch_size);
  const auto interval = std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(
      static_cast<double>(load.batch_size) / load.records_per_second));
  err << "sitrep-bench: watching as national and provincial (" << load.province << ") while "
      << "pushing " << batches << " batches of " << load.batch_size << " incidents, "
      << load.records_per_second << " incidents/s" << std::endl;

  std::vector<PushedBatch> pushed;
  std::map<std::string, size_t> batch_of;  // by external id
  std::vector<std::string> national_ids, provincial_ids;
  const Clock::time_point start = Clock::now();
  for (uint64_t b = 0; b < batches; ++b) {
    std::this_thread::sleep_until(start + interval * b);
    v1::PushBatch batch;
    for (uint32_t i = 0; i < load.batch_size; ++i) {
      v1::Incident& incident = *batch.add_incidents() = next_incident();
      const bool provincial_sees = VisibleToProvincial(incident, load.province);
      batch_of[incident.external_id()] = pushed.size();
      national_ids.push_back(incident.external_id());
      if (provincial_sees) provincial_ids.push_back(incident.external_id());
    }
    pushed.push_back(pusher.Push(batch));
  }
  const grpc::Status finished = pusher.Finish();
  if (!finished.ok()) {
    throw BenchFailure("the watch benchmark's Push stream failed: " + StatusText(finished));
  }
  const auto drain_deadline = Clock::now() + kDrainTimeout;
  (void)national_watch.WaitForAll(national_ids, drain_deadline);
  (void)provincial_watch.WaitForAll(provincial_ids, drain_deadline);
  national_watch.Stop();
  provincial_watch.Stop();

  const WatchRecorder::Arrivals national_arrivals = national_watch.arrivals();
  const WatchRecorder::Arrivals provincial_arrivals = provincial_watch.arrivals();
  CheckDelivery("national", national_arrivals,
                std::set<std::string>(national_ids.begin(), national_ids.end()), probes);
  CheckDelivery("provincial", provincial_arrivals,
                std::set<std::string>(provincial_ids.begin(), provincial_ids.end()), probes);

  WatchLatencies result;
  result.records_pushed = national_ids.size();
  result.national_arrivals = national_ids.size();
  result.provincial_arrivals = provincial_ids.size();
  for (const WatchRecorder::Arrivals* arrivals : {&national_arrivals, &provincial_arrivals}) {
    for (const auto& [id, times] : *arrivals) {
      const auto found = batch_of.find(id);
      if (found == batch_of.end()) continue;  // a probe
      const PushedBatch& batch = pushed[found->second];
      const Clock::time_point arrived = times.front();
      if (arrived < batch.acked) ++result.arrived_before_ack;
      result.after_ack.push_back(std::max(Clock::duration::zero(), arrived - batch.acked));
      result.after_push.push_back(arrived - batch.sent);
    }
  }
  return result;
}

}  // namespace sitrep::bench
