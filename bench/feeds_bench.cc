#include "bench/feeds_bench.h"

#include <grpcpp/client_context.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <atomic>
#include <map>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "bench/bench_collector.h"
#include "bench/bench_failure.h"
#include "bench/feed_page_queries.h"
#include "bench/incident_loader.h"
#include "bench/latency_percentiles.h"
#include "bench/loaded_database_options.h"
#include "bench/pq_connection.h"
#include "bench/process_cpu.h"
#include "bench/result_line.h"
#include "bench/watch_latency.h"
#include "domain/page_token.h"
#include "sitrep/v1/feed.grpc.pb.h"

namespace sitrep::bench {
namespace {

using Clock = std::chrono::steady_clock;

constexpr std::chrono::seconds kConnectTimeout{10};
constexpr std::chrono::seconds kCallTimeout{60};
// A follower reads this many pages from a sampled position before it jumps to another.
constexpr int kFollowPages = 10;
constexpr size_t kSampledPositions = 256;
// The feed name the server tags its cursors with (feeds/feeds.cc).
constexpr const char* kIncidentFeed = "incidents";

// Cursors at positions spread over the whole feed, so that followers read where consumers
// that fell behind, or follow the live end, would: a random sample of rows' feed positions,
// encoded as the server encodes cursors (domain/page_token.h).
std::vector<std::string> SampleFeedCursors(const std::string& database_url, uint64_t rows) {
  PqConnection connection(database_url, "sampling feed positions");
  const double percent =
      std::clamp(100.0 * 4 * kSampledPositions / static_cast<double>(std::max<uint64_t>(rows, 1)),
                 0.001, 100.0);
  std::vector<std::string> cursors;
  for (const auto& row :
       connection.Query("SELECT feed_xid::text, feed_seq FROM incidents TABLESAMPLE SYSTEM ($1) "
                        "LIMIT " +
                            std::to_string(kSampledPositions),
                        {Fixed(percent, 4)})) {
    FeedPosition position{std::stoull(row[0]), std::stoll(row[1])};
    cursors.push_back(EncodeFeedCursor(kIncidentFeed, position));
  }
  if (cursors.empty()) cursors.push_back("");  // an empty feed: follow from the start
  return cursors;
}

struct PageSample {
  FeedQuery query;
  std::chrono::nanoseconds latency;
  int rows;
};

// One regulator connection issuing ListIncidents calls one after another.
class PageWorker final {
 public:
  PageWorker(const ConnectionOptions& connection, const BenchPrincipal& national,
             const BenchPrincipal& provincial, const std::vector<std::string>& cursors,
             const FeedsOptions& options, uint64_t seed)
      : channel_(OwnChannel(connection)),
        stub_(v1::FeedService::NewStub(channel_)),
        national_(national),
        provincial_(provincial),
        cursors_(cursors),
        options_(options),
        random_(seed) {}

  [[nodiscard]] bool Connect() {
    return channel_->WaitForConnected(std::chrono::system_clock::now() + kConnectTimeout);
  }

  // Runs `query` once; returns its sample, or throws BenchFailure when the call fails.
  PageSample Call(FeedQuery query) {
    const bool provincial = AsProvincial(query);
    v1::ListIncidentsRequest request =
        FeedQueryRequest(query, random_(), std::chrono::system_clock::now(), options_.page_size);
    Follower& follower = followers_[provincial];
    if (FollowsCursor(query)) {
      if (follower.pages_left == 0) {
        follower.token = cursors_[random_() % cursors_.size()];
        follower.pages_left = kFollowPages;
      }
      request.set_page_token(follower.token);
    }
    grpc::ClientContext context;
    context.AddMetadata("authorization",
                        "Bearer " + (provincial ? provincial_.token : national_.token));
    context.set_deadline(std::chrono::system_clock::now() + kCallTimeout);
    v1::ListIncidentsResponse response;
    const Clock::time_point start = Clock::now();
    const grpc::Status status = stub_->ListIncidents(&context, request, &response);
    const Clock::duration latency = Clock::now() - start;
    if (!status.ok()) {
      throw BenchFailure("ListIncidents " + std::string(FeedQueryName(query)) +
                         " failed: " + StatusText(status));
    }
    if (FollowsCursor(query)) {
      follower.token = response.next_page_token();
      // The live end: jump elsewhere next time.
      follower.pages_left = response.incidents().empty() ? 0 : follower.pages_left - 1;
    }
    return PageSample{query, latency, response.incidents_size()};
  }

 private:
  struct Follower {
    std::string token;
    int pages_left = 0;
  };

  const std::shared_ptr<grpc::Channel> channel_;
  const std::unique_ptr<v1::FeedService::Stub> stub_;
  const BenchPrincipal& national_;
  const BenchPrincipal& provincial_;
  const std::vector<std::string>& cursors_;
  const FeedsOptions& options_;
  std::mt19937_64 random_;
  Follower followers_[2];  // national, provincial
};

struct PagePhase {
  std::vector<PageSample> samples;
  ServerCpu cpu;  // spent over the measured calls, the warm-up calls excluded
};

// Runs `body(worker)` on every worker at once, each on its own thread; the first failure
// stops the others (through `stop`) and is thrown once all have ended.
template <class Body>
void OnEveryWorker(const std::vector<std::unique_ptr<PageWorker>>& workers, Body body) {
  std::mutex mu;
  std::string failure;  // guarded by mu
  std::vector<std::thread> threads;
  for (const auto& worker : workers) {
    threads.emplace_back([&, worker = worker.get()] {
      try {
        body(*worker);
      } catch (const std::exception& error) {
        std::lock_guard lock(mu);
        if (failure.empty()) failure = error.what();
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  if (!failure.empty()) throw BenchFailure(failure);
}

// Runs options.requests calls on `concurrency` workers, the queries in turn, after one
// unmeasured call of each query per worker; the CPU is read between the two.
PagePhase MeasurePages(const ConnectionOptions& connection, const ServerCpuMeter& meter,
                       const BenchPrincipal& national, const BenchPrincipal& provincial,
                       const std::vector<std::string>& cursors, const FeedsOptions& options,
                       uint32_t concurrency) {
  std::vector<std::unique_ptr<PageWorker>> workers;
  for (uint32_t i = 0; i < concurrency; ++i) {
    workers.push_back(
        std::make_unique<PageWorker>(connection, national, provincial, cursors, options, i + 1));
    if (!workers.back()->Connect()) {
      throw BenchFailure("cannot connect to " + connection.server + " within 10 s");
    }
  }
  OnEveryWorker(workers, [](PageWorker& worker) {
    for (const FeedQuery query : kFeedQueries) (void)worker.Call(query);
  });
  std::atomic<uint32_t> next{0};
  std::mutex mu;
  PagePhase phase;  // samples guarded by mu
  const ServerCpu before = meter.Read();
  OnEveryWorker(workers, [&](PageWorker& worker) {
    std::vector<PageSample> mine;
    try {
      for (uint32_t i = next++; i < options.requests; i = next++) {
        mine.push_back(worker.Call(kFeedQueries[i % kFeedQueries.size()]));
      }
    } catch (...) {
      next = options.requests;  // the others stop too
      throw;
    }
    std::lock_guard lock(mu);
    phase.samples.insert(phase.samples.end(), mine.begin(), mine.end());
  });
  phase.cpu = meter.Read() - before;
  return phase;
}

void ReportPerQuery(const std::vector<PageSample>& samples, std::ostream& err) {
  for (const FeedQuery query : kFeedQueries) {
    std::vector<std::chrono::nanoseconds> latencies;
    uint64_t rows = 0;
    for (const PageSample& sample : samples) {
      if (sample.query != query) continue;
      latencies.push_back(sample.latency);
      rows += static_cast<uint64_t>(sample.rows);
    }
    if (latencies.empty()) continue;
    const LatencySummary summary = Summarize(latencies);
    err << "sitrep-bench: page " << FeedQueryName(query) << ": " << summary.count << " calls, "
        << rows / summary.count << " rows a page, " << LatencyText(summary) << std::endl;
  }
}

}  // namespace

void AddFeedsOptions(CLI::App& command, FeedsOptions& options) {
  AddLoadedDatabaseOptions(command, options.incidents, options.province);
  command.add_option("--requests", options.requests, "measured ListIncidents calls")
      ->capture_default_str()
      ->check(CLI::Range(1u, 10'000'000u));
  command.add_option("--concurrency", options.concurrency, "concurrent regulator connections")
      ->capture_default_str()
      ->check(CLI::Range(1u, 256u));
  command.add_option("--page-size", options.page_size, "ListIncidents page_size")
      ->capture_default_str()
      ->check(CLI::Range(1, 1000));
  command.add_option("--watch-seconds", options.watch_seconds, "how long to push while watching")
      ->capture_default_str()
      ->check(CLI::Range(1u, 3600u));
  command.add_option("--watch-rate", options.watch_rate, "incidents/s pushed while watching")
      ->capture_default_str()
      ->check(CLI::Range(1u, 100'000u));
  command.add_option("--watch-batch", options.watch_batch, "incidents per pushed batch")
      ->capture_default_str()
      ->check(CLI::Range(1u, 1000u));
}

void RunFeedsBench(const ConnectionOptions& connection, const FeedsOptions& options,
                   std::ostream& out, std::ostream& err) {
  const std::string admin_token = ReadAdminToken(connection);
  const std::string database_url = DatabaseUrl(connection);

  const uint64_t incidents = EnsureIncidentsCounted(database_url, options.incidents, err);
  const std::vector<std::string> cursors = SampleFeedCursors(database_url, incidents);

  const std::shared_ptr<grpc::Channel> registry = ConnectedChannel(connection);
  const std::string suffix = RunSuffix();
  const BenchPrincipal national = CreateBenchPrincipal(
      registry, admin_token, "bench-feeds-national-" + suffix, v1::ROLE_NATIONAL, 0);
  const BenchPrincipal provincial =
      CreateBenchPrincipal(registry, admin_token, "bench-feeds-provincial-" + suffix,
                           v1::ROLE_PROVINCIAL, options.province);
  const BenchPrincipal collector =
      CreateBenchCollector(registry, admin_token, "bench-feeds-collector-" + suffix);

  const ServerCpuMeter meter(connection);
  // The page phase at rising concurrency: 1 shows a page's own latency, 2 the machine's two
  // cores both busy, options.concurrency (8) the queueing target of SPEC §7.
  std::vector<uint32_t> levels = {1, 2, options.concurrency};
  std::sort(levels.begin(), levels.end());
  levels.erase(std::unique(levels.begin(), levels.end()), levels.end());
  std::map<uint32_t, LatencySummary> by_level;
  ServerCpu cpu;
  uint64_t measured = 0;
  for (const uint32_t concurrency : levels) {
    err << "sitrep-bench: " << incidents << " incidents; " << options.requests
        << " ListIncidents calls (page_size " << options.page_size << ") on " << concurrency
        << " connections, " << kFeedQueries.size() << " queries in turn" << std::endl;
    const PagePhase phase =
        MeasurePages(connection, meter, national, provincial, cursors, options, concurrency);
    ReportPerQuery(phase.samples, err);
    std::vector<std::chrono::nanoseconds> page_latencies;
    for (const PageSample& sample : phase.samples) page_latencies.push_back(sample.latency);
    by_level[concurrency] = Summarize(page_latencies);
    err << "sitrep-bench: all pages at concurrency " << concurrency << ": "
        << LatencyText(by_level[concurrency]) << "; " << CpuText(phase.cpu, phase.samples.size())
        << std::endl;
    cpu = cpu + phase.cpu;
    measured += phase.samples.size();
  }
  const LatencySummary& pages = by_level[options.concurrency];

  WatchLoad watch_load;
  watch_load.duration = std::chrono::seconds(options.watch_seconds);
  watch_load.records_per_second = options.watch_rate;
  watch_load.batch_size = options.watch_batch;
  watch_load.province = options.province;
  const WatchLatencies watch =
      MeasureWatchLatency(connection, national, provincial, collector, watch_load, err);
  const LatencySummary after_ack = Summarize(watch.after_ack);
  const LatencySummary after_push = Summarize(watch.after_push);
  err << "sitrep-bench: watch: " << watch.records_pushed << " incidents pushed, delivered to "
      << "national " << watch.national_arrivals << ", provincial " << watch.provincial_arrivals
      << " times; after the ack " << LatencyText(after_ack) << " (" << watch.arrived_before_ack
      << " arrived before their ack); after the push " << LatencyText(after_push) << std::endl;

  ResultLine result("feeds");
  result.Count("incidents", incidents)
      .Milliseconds("page_p50_ms", pages.p50)
      .Milliseconds("page_p99_ms", pages.p99)
      .Milliseconds("watch_p50_ms", after_ack.p50)
      .Milliseconds("watch_p99_ms", after_ack.p99)
      .Count("requests", pages.count)
      .Count("concurrency", options.concurrency)
      .Count("watch_deliveries", after_ack.count)
      .Milliseconds("watch_after_push_p99_ms", after_push.p99)
      .Milliseconds("page_p99_ms_c1", by_level[1].p99)
      .Milliseconds("page_p99_ms_c2", by_level[2].p99)
      .Milliseconds("page_p50_ms_c1", by_level[1].p50)
      .Micros("server_cpu_us_per_page", MicrosPer(cpu.server + cpu.database, measured))
      .Micros("sitrepd_cpu_us_per_page", MicrosPer(cpu.server, measured))
      .Micros("postgres_cpu_us_per_page", MicrosPer(cpu.database, measured))
      .Micros("client_cpu_us_per_page", MicrosPer(cpu.client, measured));
  result.Print(out);
}

}  // namespace sitrep::bench
