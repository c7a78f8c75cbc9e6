#include "bench/situation_bench.h"

#include <grpcpp/client_context.h>

#include <CLI/CLI.hpp>
#include <atomic>
#include <latch>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "bench/bench_collector.h"
#include "bench/bench_failure.h"
#include "bench/incident_loader.h"
#include "bench/latency_percentiles.h"
#include "bench/loaded_database_options.h"
#include "bench/pq_connection.h"
#include "bench/process_cpu.h"
#include "bench/result_line.h"
#include "sitrep/v1/feed.grpc.pb.h"

namespace sitrep::bench {
namespace {

using Clock = std::chrono::steady_clock;

constexpr std::chrono::seconds kConnectTimeout{10};
constexpr std::chrono::seconds kCallTimeout{60};
constexpr std::chrono::seconds kCatchUpPoll{2};
constexpr std::chrono::seconds kCatchUpProgress{10};

// What the server's situation compactor has not folded into the rollups yet: incident
// revisions and asset writes past its cursors (storage/schema/05_situation.sql). Read as the
// database owner, which row-level security does not filter.
constexpr const char* kPendingDeltasSql =
    "SELECT (SELECT count(*) FROM incidents i, situation_cursor c"
    " WHERE (i.feed_xid, i.feed_seq) > (c.feed_xid, c.feed_seq))"
    " + (SELECT count(*) FROM assets a, situation_cursor c"
    " WHERE (a.feed_xid, a.feed_seq) > (c.asset_feed_xid, c.asset_feed_seq))";

// Waits until nothing is left to compact, printing how many are left now and then. The load
// appends them faster than the compactor folds them; a call made before it caught up would
// time the fold's backlog, not the overview.
void AwaitCompaction(const std::string& database_url, std::chrono::seconds timeout,
                     std::ostream& err) {
  PqConnection connection(database_url, "waiting for the situation compactor");
  const Clock::time_point start = Clock::now();
  Clock::time_point last_progress = start - kCatchUpProgress;
  for (;;) {
    const uint64_t pending = std::stoull(connection.Query(kPendingDeltasSql)[0][0]);
    const auto waited = std::chrono::duration_cast<std::chrono::seconds>(Clock::now() - start);
    if (pending == 0) {
      err << "sitrep-bench: situation rollups compacted (waited " << waited.count() << " s)"
          << std::endl;
      return;
    }
    if (waited >= timeout) {
      throw BenchFailure("the server's situation compactor had " + std::to_string(pending) +
                         " records left to compact after " + std::to_string(timeout.count()) +
                         " s; is sitrepd running on this database?");
    }
    if (Clock::now() - last_progress >= kCatchUpProgress) {
      err << "sitrep-bench: waiting for the situation compactor: " << pending
          << " records left to compact after " << waited.count() << " s" << std::endl;
      last_progress = Clock::now();
    }
    std::this_thread::sleep_for(kCatchUpPoll);
  }
}

// One regulator connection making GetSituation calls as one principal.
class SituationWorker final {
 public:
  SituationWorker(const ConnectionOptions& connection, const BenchPrincipal& caller)
      : channel_(OwnChannel(connection)),
        stub_(v1::FeedService::NewStub(channel_)),
        caller_(caller) {}

  [[nodiscard]] bool Connect() {
    return channel_->WaitForConnected(std::chrono::system_clock::now() + kConnectTimeout);
  }

  // Makes one call; returns its latency and stores the reply in `situation`. Throws
  // BenchFailure when the call fails.
  std::chrono::nanoseconds Call(v1::Situation& situation) {
    grpc::ClientContext context;
    context.AddMetadata("authorization", "Bearer " + caller_.token);
    context.set_deadline(std::chrono::system_clock::now() + kCallTimeout);
    const Clock::time_point start = Clock::now();
    const grpc::Status status = stub_->GetSituation(&context, SituationBenchRequest(), &situation);
    const Clock::duration latency = Clock::now() - start;
    if (!status.ok()) {
      throw BenchFailure("GetSituation as " + caller_.name + " failed: " + StatusText(status));
    }
    return latency;
  }

 private:
  const std::shared_ptr<grpc::Channel> channel_;
  const std::unique_ptr<v1::FeedService::Stub> stub_;
  const BenchPrincipal& caller_;
};

struct CallerRun {
  std::vector<std::chrono::nanoseconds> latencies;
  ServerCpu cpu;       // spent over the measured calls, the warm-up calls excluded
  v1::Situation last;  // a reply, to show what the caller sees
};

// Makes options.requests calls as `caller` on options.concurrency connections, after one
// unmeasured call per connection.
CallerRun MeasureCaller(const ConnectionOptions& connection, const ServerCpuMeter& meter,
                        const BenchPrincipal& caller, const SituationOptions& options) {
  std::vector<std::unique_ptr<SituationWorker>> workers;
  for (uint32_t i = 0; i < options.concurrency; ++i) {
    workers.push_back(std::make_unique<SituationWorker>(connection, caller));
    if (!workers.back()->Connect()) {
      throw BenchFailure("cannot connect to " + connection.server + " within 10 s");
    }
  }
  std::atomic<uint32_t> next{0};
  std::mutex mu;
  CallerRun run;        // guarded by mu
  std::string failure;  // guarded by mu
  // Every worker warms up, then waits until the CPU has been read before the measured calls.
  std::latch warmed(static_cast<std::ptrdiff_t>(workers.size()));
  std::latch measuring(1);
  std::vector<std::thread> threads;
  for (const auto& worker : workers) {
    threads.emplace_back([&, worker = worker.get()] {
      try {
        v1::Situation situation;
        try {
          (void)worker->Call(situation);
        } catch (...) {
          warmed.count_down();
          throw;
        }
        warmed.count_down();
        measuring.wait();
        std::vector<std::chrono::nanoseconds> mine;
        for (uint32_t i = next++; i < options.requests; i = next++) {
          mine.push_back(worker->Call(situation));
        }
        std::lock_guard lock(mu);
        run.latencies.insert(run.latencies.end(), mine.begin(), mine.end());
        run.last = std::move(situation);
      } catch (const std::exception& error) {
        next = options.requests;  // the others stop too
        std::lock_guard lock(mu);
        if (failure.empty()) failure = error.what();
      }
    });
  }
  warmed.wait();
  std::optional<ServerCpu> before;
  try {
    before = meter.Read();
  } catch (const std::exception& error) {
    next = options.requests;
    std::lock_guard lock(mu);
    failure = error.what();
  }
  measuring.count_down();
  for (std::thread& thread : threads) thread.join();
  if (!failure.empty()) throw BenchFailure(failure);
  run.cpu = meter.Read() - *before;
  return run;
}

}  // namespace

v1::GetSituationRequest SituationBenchRequest() {
  v1::GetSituationRequest request;
  request.set_bucket(v1::BUCKET_DAY);
  return request;
}

void AddSituationOptions(CLI::App& command, SituationOptions& options) {
  AddLoadedDatabaseOptions(command, options.incidents, options.province);
  command.add_option("--requests", options.requests, "measured GetSituation calls per caller")
      ->capture_default_str()
      ->check(CLI::Range(1u, 10'000'000u));
  command.add_option("--concurrency", options.concurrency, "concurrent connections per caller")
      ->capture_default_str()
      ->check(CLI::Range(1u, 256u));
  command
      .add_option("--catch-up-seconds", options.catch_up_seconds,
                  "how long the server's situation compactor may take after the load")
      ->capture_default_str()
      ->check(CLI::Range(1u, 86'400u));
}

void RunSituationBench(const ConnectionOptions& connection, const SituationOptions& options,
                       std::ostream& out, std::ostream& err) {
  const std::string admin_token = ReadAdminToken(connection);
  const std::string database_url = DatabaseUrl(connection);

  const uint64_t incidents = EnsureIncidentsCounted(database_url, options.incidents, err);
  AwaitCompaction(database_url, std::chrono::seconds(options.catch_up_seconds), err);

  const std::shared_ptr<grpc::Channel> registry = ConnectedChannel(connection);
  const std::string suffix = RunSuffix();
  const BenchPrincipal national = CreateBenchPrincipal(
      registry, admin_token, "bench-situation-national-" + suffix, v1::ROLE_NATIONAL, 0);
  const BenchPrincipal provincial =
      CreateBenchPrincipal(registry, admin_token, "bench-situation-provincial-" + suffix,
                           v1::ROLE_PROVINCIAL, options.province);

  err << "sitrep-bench: " << incidents << " incidents; " << options.requests
      << " GetSituation calls (30 days, day buckets) per caller on " << options.concurrency
      << " connections" << std::endl;
  const ServerCpuMeter meter(connection);
  std::vector<std::chrono::nanoseconds> all;
  ServerCpu cpu;
  ResultLine result("situation");
  std::vector<std::pair<std::string, LatencySummary>> per_caller;
  for (const auto& [label, caller] :
       {std::pair<std::string, const BenchPrincipal*>{"national", &national},
        std::pair<std::string, const BenchPrincipal*>{"provincial", &provincial}}) {
    CallerRun run = MeasureCaller(connection, meter, *caller, options);
    const LatencySummary summary = Summarize(run.latencies);
    err << "sitrep-bench: " << label << ": " << summary.count << " calls, " << LatencyText(summary)
        << "; sees " << run.last.total_incidents() << " incidents in the range ("
        << run.last.previous_period_total_incidents() << " in the 30 days before), "
        << run.last.incidents_size() << " bucket cells; " << CpuText(run.cpu, summary.count, "call")
        << std::endl;
    cpu = cpu + run.cpu;
    all.insert(all.end(), run.latencies.begin(), run.latencies.end());
    per_caller.emplace_back(label, summary);
  }
  const LatencySummary overall = Summarize(all);
  err << "sitrep-bench: all calls: " << LatencyText(overall) << std::endl;

  result.Count("incidents", incidents)
      .Milliseconds("p50_ms", overall.p50)
      .Milliseconds("p99_ms", overall.p99)
      .Count("requests", overall.count)
      .Count("concurrency", options.concurrency)
      .Micros("situation_server_cpu_us_per_call",
              MicrosPer(cpu.server + cpu.database, overall.count))
      .Micros("situation_sitrepd_cpu_us_per_call", MicrosPer(cpu.server, overall.count))
      .Micros("situation_postgres_cpu_us_per_call", MicrosPer(cpu.database, overall.count))
      .Micros("situation_client_cpu_us_per_call", MicrosPer(cpu.client, overall.count));
  for (const auto& [label, summary] : per_caller) {
    result.Milliseconds(label + "_p50_ms", summary.p50)
        .Milliseconds(label + "_p99_ms", summary.p99);
  }
  result.Print(out);
}

}  // namespace sitrep::bench
