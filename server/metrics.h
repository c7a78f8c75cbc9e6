#pragma once

#include <prometheus/counter.h>
#include <prometheus/exposer.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace sitrep {

// Targets of notices not yet closed, and how many of them are overdue, for one level
// ("national", "provincial") and target province.
struct NoticeBacklogCount {
  std::string level;
  uint32_t province = 0;
  int64_t open = 0;
  int64_t overdue = 0;
};

// The server's Prometheus metrics (SPEC §6). Owns the registry; Serve() exposes it on HTTP.
// Thread-safe: prometheus-cpp families and metrics synchronise themselves.
class Metrics final {
 public:
  // `pool_stats` is asked at every scrape for (in_use, idle) database connections.
  using PoolStats = std::function<std::pair<size_t, size_t>()>;
  explicit Metrics(PoolStats pool_stats);
  ~Metrics();

  // Starts the /metrics endpoint on `address` ("host:port"). Throws std::runtime_error when
  // the address cannot be bound.
  void Serve(const std::string& address);
  // The bound port of Serve() (useful when it was given port 0).
  [[nodiscard]] int port() const;

  // Counts one finished call of `method` with gRPC status `code` that came by `transport`
  // ("grpc", or "http" through the HTTP edge) and observes its latency.
  void ObserveCall(const std::string& method, const std::string& code, const std::string& transport,
                   std::chrono::steady_clock::duration latency);

  // The ingest path (SPEC §6): records by kind ("incident", "asset") and outcome ("accepted",
  // "duplicate", "rejected"), rejections by reason, committed groups' latency, open streams.
  void CountRecords(const std::string& kind, const std::string& outcome, uint32_t count);
  void CountRejection(const std::string& reason);
  void ObserveCommit(std::chrono::steady_clock::duration latency);
  void AddPushStreams(int delta);
  // Asked at every scrape for the writer's queued batches.
  void SetQueueDepth(std::function<size_t()> depth);
  // Asked at every scrape for the notice backlog (sitrep_notifications_open and _overdue by
  // level and province), so overdue counts follow the clock without a refresh thread. A
  // backlog that throws (the database is away) leaves both gauges out of that scrape.
  void SetNoticeBacklog(std::function<std::vector<NoticeBacklogCount>()> backlog);

  // The embedded PostgreSQL restarted after its postmaster died.
  void CountPostgresRestart();
  // Audit entries dropped because the buffer that keeps them while the database is away was
  // full (or still held them at shutdown), and entries waiting in that buffer now.
  void CountAuditDropped(size_t count);
  void SetAuditBuffered(size_t count);

  [[nodiscard]] prometheus::Registry& registry() { return *registry_; }

 private:
  std::shared_ptr<prometheus::Registry> registry_;
  std::shared_ptr<prometheus::Collectable> process_metrics_;
  std::shared_ptr<prometheus::Collectable> pool_metrics_;
  prometheus::Family<prometheus::Counter>& calls_;
  prometheus::Family<prometheus::Histogram>& latency_;
  prometheus::Family<prometheus::Counter>& records_;
  prometheus::Family<prometheus::Counter>& rejections_;
  prometheus::Histogram& commit_latency_;
  prometheus::Gauge& push_streams_;
  prometheus::Counter& postgres_restarts_;
  prometheus::Counter& audit_dropped_;
  prometheus::Gauge& audit_buffered_;
  std::shared_ptr<prometheus::Collectable> queue_metrics_;
  std::shared_ptr<prometheus::Collectable> notice_metrics_;
  std::unique_ptr<prometheus::Exposer> exposer_;
};

}  // namespace sitrep
