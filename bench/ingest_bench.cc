#include "bench/ingest_bench.h"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "bench/bench_collector.h"
#include "bench/bench_failure.h"
#include "bench/copy_baseline.h"
#include "bench/ingest_load.h"
#include "bench/latency_percentiles.h"
#include "bench/push_stream.h"
#include "bench/result_line.h"
#include "bench/server_memory.h"

namespace sitrep::bench {
namespace {

using Clock = std::chrono::steady_clock;

constexpr std::chrono::milliseconds kMemoryInterval{200};
// No ack on any stream for this long ends the benchmark as failed instead of hanging it.
constexpr std::chrono::seconds kStallTimeout{60};
// Stream seeds are base × kMaxStreams + stream, so no two streams share external ids.
constexpr uint32_t kMaxStreams = 1024;
// The server ends a stream with more unacked batches (server/ingest_service.h).
constexpr uint32_t kMaxWindow = 64;
// PushBatch's limit (proto/sitrep/v1/ingest.proto).
constexpr uint32_t kMaxBatchSize = 1000;

double Seconds(Clock::duration duration) { return std::chrono::duration<double>(duration).count(); }

// `value` with `decimals` digits after the point, for progress lines.
// Generates every stream's load on its own thread: generation is not what is measured, so
// it may as well use every core.
std::vector<StreamLoad> GenerateLoads(const IngestOptions& options, uint64_t base_seed,
                                      std::optional<int64_t> copy_reporter_id) {
  std::vector<StreamLoad> loads(options.streams);
  std::vector<std::thread> threads;
  const auto now = std::chrono::system_clock::now();
  for (uint32_t stream = 0; stream < options.streams; ++stream) {
    LoadSpec spec{
        .seed = base_seed * kMaxStreams + stream,
        // An even split; the first streams take the remainder.
        .records = options.records / options.streams + (stream < options.records % options.streams),
        .batch_size = options.batch_size,
        .duplicate_share = options.duplicate_share,
        .invalid_share = options.invalid_share,
        .now = now,
        .copy_reporter_id = copy_reporter_id,
    };
    threads.emplace_back([&loads, stream, spec] { loads[stream] = GenerateStreamLoad(spec); });
  }
  for (std::thread& thread : threads) thread.join();
  return loads;
}

struct PushTotals {
  uint64_t acked = 0;
  uint64_t accepted = 0;
  uint64_t duplicates = 0;
  uint64_t rejected = 0;
  Clock::duration elapsed{};  // first write to last ack
  std::vector<std::chrono::nanoseconds> ack_latencies;
};

// Pushes every load on its own stream and connection at once and waits for the last ack.
PushTotals Push(const ConnectionOptions& connection, const std::string& token,
                const std::vector<StreamLoad>& loads, uint32_t window, std::ostream& err) {
  std::vector<std::shared_ptr<grpc::Channel>> channels;
  for (size_t i = 0; i < loads.size(); ++i) {
    channels.push_back(ConnectedChannel(connection));
  }
  std::atomic<uint64_t> acked_records{0};
  std::vector<std::unique_ptr<PushStream>> streams;
  for (size_t i = 0; i < loads.size(); ++i) {
    streams.push_back(std::make_unique<PushStream>(channels[i], token, loads[i].batches,
                                                   static_cast<int>(window), acked_records));
  }
  const bool terminal = ::isatty(STDERR_FILENO) == 1;
  uint64_t total = 0;
  for (const StreamLoad& load : loads) {
    for (const EncodedBatch& batch : load.batches) total += batch.records;
  }

  const Clock::time_point start = Clock::now();
  for (const auto& stream : streams) stream->Start();
  Clock::time_point next_report = start + std::chrono::seconds(1);
  uint64_t reported = 0;
  Clock::time_point last_progress = start;
  for (const auto& stream : streams) {
    while (!stream->WaitUntil(next_report)) {
      const uint64_t acked = acked_records.load(std::memory_order_relaxed);
      if (terminal) {
        err << "sitrep-bench: " << Fixed(Seconds(next_report - start), 0) << " s  " << acked
            << " of " << total << " records acked  " << (acked - reported) << " records/s"
            << std::endl;
      }
      if (acked != reported) last_progress = next_report;
      reported = acked;
      if (next_report - last_progress >= kStallTimeout) {
        for (const auto& each : streams) {
          each->Abandon("no ack from the server for " + std::to_string(kStallTimeout.count()) +
                        " s");
        }
      }
      next_report += std::chrono::seconds(1);
    }
  }

  PushTotals totals;
  std::optional<Clock::time_point> first_write, last_ack;
  for (size_t i = 0; i < streams.size(); ++i) {
    PushOutcome outcome = streams[i]->Outcome();
    if (!outcome.ok()) {
      throw BenchFailure(
          "stream " + std::to_string(i + 1) + " of " + std::to_string(streams.size()) +
          " failed after " + std::to_string(outcome.batches_acked) + " of " +
          std::to_string(loads[i].batches.size()) +
          " acks: " + (outcome.failure.empty() ? StatusText(outcome.status) : outcome.failure));
    }
    totals.accepted += outcome.accepted;
    totals.duplicates += outcome.duplicates;
    totals.rejected += outcome.rejected;
    if (outcome.first_write) {
      first_write =
          first_write ? std::min(*first_write, *outcome.first_write) : *outcome.first_write;
    }
    if (outcome.last_ack) {
      last_ack = last_ack ? std::max(*last_ack, *outcome.last_ack) : *outcome.last_ack;
    }
    totals.ack_latencies.insert(totals.ack_latencies.end(), outcome.ack_latencies.begin(),
                                outcome.ack_latencies.end());
  }
  totals.acked = totals.accepted + totals.duplicates + totals.rejected;
  if (totals.acked != total) {
    throw BenchFailure("the acks count " + std::to_string(totals.acked) + " records, not " +
                       std::to_string(total));
  }
  if (first_write && last_ack) totals.elapsed = *last_ack - *first_write;
  return totals;
}

}  // namespace

void AddIngestOptions(CLI::App& command, IngestOptions& options) {
  command.add_option("--streams", options.streams, "concurrent Push streams (collectors)")
      ->capture_default_str()
      ->check(CLI::Range(1u, kMaxStreams));
  command.add_option("--records", options.records, "incidents to push in all")
      ->capture_default_str()
      ->check(CLI::Range(uint64_t{1}, uint64_t{1'000'000'000}));
  command.add_option("--batch-size", options.batch_size, "records per PushBatch")
      ->capture_default_str()
      ->check(CLI::Range(1u, kMaxBatchSize));
  command.add_option("--window", options.window, "unacked batches per stream")
      ->capture_default_str()
      ->check(CLI::Range(1u, kMaxWindow));
  command
      .add_option("--duplicate-share", options.duplicate_share,
                  "share of records that repeat an earlier one")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 1.0));
  command
      .add_option("--invalid-share", options.invalid_share,
                  "share of new records with a mistake the server rejects")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 1.0));
  command.add_option("--seed", options.seed, "generator seed (default: the Unix time)");
  command.add_flag("--skip-copy", options.skip_copy, "skip the binary COPY baseline");
}

void RunIngestBench(const ConnectionOptions& connection, const IngestOptions& options,
                    std::ostream& out, std::ostream& err) {
  const std::string admin_token = ReadAdminToken(connection);
  const std::string database_url = options.skip_copy ? "" : DatabaseUrl(connection);
  const auto unix_seconds = std::chrono::duration_cast<std::chrono::seconds>(
                                std::chrono::system_clock::now().time_since_epoch())
                                .count();

  const std::string name = "bench-collector-" + RunSuffix();
  const std::shared_ptr<grpc::Channel> registry = ConnectedChannel(connection);
  const BenchCollector collector = CreateBenchCollector(registry, admin_token, name);
  err << "sitrep-bench: pushing as " << name << " (principal " << collector.principal_id << ")"
      << std::endl;

  const Clock::time_point generation_start = Clock::now();
  const uint64_t base_seed = options.seed.value_or(static_cast<uint64_t>(unix_seconds));
  const std::vector<StreamLoad> loads = GenerateLoads(
      options, base_seed,
      options.skip_copy ? std::nullopt : std::optional<int64_t>(collector.principal_id));
  uint64_t batch_bytes = 0, storable = 0;
  for (const StreamLoad& load : loads) {
    for (const EncodedBatch& batch : load.batches) batch_bytes += batch.bytes.size();
    storable += load.storable;
  }
  err << "sitrep-bench: generated " << options.records << " incidents ("
      << batch_bytes / options.records << " bytes each serialized) in "
      << Fixed(Seconds(Clock::now() - generation_start), 1) << " s; pushing over "
      << options.streams << " streams, batches of " << options.batch_size << ", window "
      << options.window << std::endl;

  ResidentMemoryPeak memory(connection.metrics, kMemoryInterval);
  const PushTotals totals = Push(connection, collector.token, loads, options.window, err);
  const std::optional<double> rss_peak = memory.Stop();
  if (!rss_peak) {
    err << "sitrep-bench: could not read process_resident_memory_bytes from http://"
        << connection.metrics << "/metrics; server_rss_mb is null" << std::endl;
  }
  const double records_per_s = static_cast<double>(totals.acked) / Seconds(totals.elapsed);
  const LatencySummary latency = Summarize(totals.ack_latencies);
  err << "sitrep-bench: pushed " << totals.acked << " records in "
      << Fixed(Seconds(totals.elapsed), 2) << " s: " << static_cast<uint64_t>(records_per_s)
      << " records/s (accepted " << totals.accepted << ", duplicates " << totals.duplicates
      << ", rejected " << totals.rejected << "); batch ack latency p50 "
      << Fixed(Milliseconds(latency.p50), 1) << " ms, p99 " << Fixed(Milliseconds(latency.p99), 1)
      << " ms, max " << Fixed(Milliseconds(latency.max), 1) << " ms" << std::endl;
  if (totals.accepted != storable) {
    err << "sitrep-bench: warning: the server accepted " << totals.accepted
        << " records where the generator made " << storable << " new valid ones" << std::endl;
  }

  std::optional<double> copy_rows_per_s;
  if (!options.skip_copy) {
    std::vector<std::string_view> chunks;
    for (const StreamLoad& load : loads) chunks.push_back(load.copy_rows);
    err << "sitrep-bench: COPY baseline: " << storable << " rows into bench_copy_target"
        << std::endl;
    const CopyBaselineResult copy = RunCopyBaseline(database_url, chunks, storable);
    copy_rows_per_s = static_cast<double>(copy.rows) / Seconds(copy.elapsed);
    err << "sitrep-bench: copied " << copy.rows << " rows in " << Fixed(Seconds(copy.elapsed), 2)
        << " s: " << static_cast<uint64_t>(*copy_rows_per_s) << " rows/s" << std::endl;
  }

  ResultLine result("ingest");
  result.Count("records", options.records)
      .Count("streams", options.streams)
      .Rate("records_per_s", records_per_s)
      .Rate("copy_rows_per_s", copy_rows_per_s)
      .Ratio("ratio_vs_copy", copy_rows_per_s
                                  ? std::optional<double>(records_per_s / *copy_rows_per_s)
                                  : std::nullopt)
      .Megabytes("server_rss_mb", rss_peak)
      .Count("accepted", totals.accepted)
      .Count("duplicates", totals.duplicates)
      .Count("rejected", totals.rejected);
  result.Print(out);
}

}  // namespace sitrep::bench
