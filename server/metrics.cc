#include "server/metrics.h"

#include <mutex>

#include "logging/log.h"
#include "server/process_metrics.h"

namespace sitrep {
namespace {

// Database pool occupancy, asked of the pool at scrape time rather than updated on every lease.
class PoolMetrics final : public prometheus::Collectable {
 public:
  explicit PoolMetrics(Metrics::PoolStats stats) : stats_(std::move(stats)) {}

  std::vector<prometheus::MetricFamily> Collect() const override {
    const auto [in_use, idle] = stats_();
    prometheus::MetricFamily family{"sitrep_db_pool_connections",
                                    "Database connections of the server's pool by state.",
                                    prometheus::MetricType::Gauge,
                                    {}};
    for (const auto& [state, value] : {std::pair{"in_use", in_use}, std::pair{"idle", idle}}) {
      prometheus::ClientMetric metric;
      metric.label.push_back({"state", state});
      metric.gauge.value = static_cast<double>(value);
      family.metric.push_back(metric);
    }
    return {family};
  }

 private:
  Metrics::PoolStats stats_;
};

// The group-commit writer's queue, asked at scrape time like the pool.
class QueueMetrics final : public prometheus::Collectable {
 public:
  std::vector<prometheus::MetricFamily> Collect() const override {
    std::lock_guard lock(mu_);
    if (!depth_) return {};
    prometheus::MetricFamily family{"sitrep_ingest_queue_batches",
                                    "Pushed batches waiting for the group-commit writer.",
                                    prometheus::MetricType::Gauge,
                                    {}};
    prometheus::ClientMetric metric;
    metric.gauge.value = static_cast<double>(depth_());
    family.metric.push_back(metric);
    return {family};
  }

  void Set(std::function<size_t()> depth) {
    std::lock_guard lock(mu_);
    depth_ = std::move(depth);
  }

 private:
  mutable std::mutex mu_;
  std::function<size_t()> depth_;  // guarded by mu_
};

// The notice backlog, counted by PostgreSQL at scrape time: "overdue" depends on the clock as
// much as on the rows, so a count kept up to date by the write path would go stale.
class NoticeMetrics final : public prometheus::Collectable {
 public:
  std::vector<prometheus::MetricFamily> Collect() const override {
    // Asked under the lock, so that Set(nullptr) at shutdown waits for a scrape in flight
    // rather than pulling the database away under it.
    std::lock_guard lock(mu_);
    if (!backlog_) return {};
    std::vector<NoticeBacklogCount> counts;
    try {
      counts = backlog_();
    } catch (const std::exception& error) {
      Log(LogLevel::kWarn, "metrics.notice_backlog_failed", {{"error", error.what()}});
      return {};
    }
    prometheus::MetricFamily open{"sitrep_notifications_open",
                                  "Notice targets not yet closed, by level and target province.",
                                  prometheus::MetricType::Gauge,
                                  {}};
    prometheus::MetricFamily overdue{
        "sitrep_notifications_overdue",
        "Notice targets whose response deadline passed before feedback, by level and province.",
        prometheus::MetricType::Gauge,
        {}};
    for (const NoticeBacklogCount& count : counts) {
      for (auto [family, value] : {std::pair{&open, count.open}, {&overdue, count.overdue}}) {
        prometheus::ClientMetric metric;
        metric.label.push_back({"level", count.level});
        metric.label.push_back({"province", std::to_string(count.province)});
        metric.gauge.value = static_cast<double>(value);
        family->metric.push_back(metric);
      }
    }
    return {open, overdue};
  }

  void Set(std::function<std::vector<NoticeBacklogCount>()> backlog) {
    std::lock_guard lock(mu_);
    backlog_ = std::move(backlog);
  }

 private:
  mutable std::mutex mu_;
  std::function<std::vector<NoticeBacklogCount>()> backlog_;  // guarded by mu_
};

const prometheus::Histogram::BucketBoundaries kLatencyBuckets = {
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};

}  // namespace

Metrics::Metrics(PoolStats pool_stats)
    : registry_(std::make_shared<prometheus::Registry>()),
      process_metrics_(std::make_shared<ProcessMetrics>()),
      pool_metrics_(std::make_shared<PoolMetrics>(std::move(pool_stats))),
      calls_(prometheus::BuildCounter()
                 .Name("sitrep_rpc_calls_total")
                 .Help("Finished calls by method, status code and transport (grpc, http).")
                 .Register(*registry_)),
      latency_(prometheus::BuildHistogram()
                   .Name("sitrep_rpc_duration_seconds")
                   .Help("Call latency by method and transport, from arrival to the final status.")
                   .Register(*registry_)),
      records_(prometheus::BuildCounter()
                   .Name("sitrep_ingest_records_total")
                   .Help("Pushed and reported records by kind and outcome.")
                   .Register(*registry_)),
      rejections_(prometheus::BuildCounter()
                      .Name("sitrep_ingest_rejections_total")
                      .Help("Rejected records by reason code.")
                      .Register(*registry_)),
      commit_latency_(prometheus::BuildHistogram()
                          .Name("sitrep_ingest_commit_seconds")
                          .Help("Latency of one group-commit transaction of the ingest path.")
                          .Register(*registry_)
                          .Add({}, kLatencyBuckets)),
      push_streams_(prometheus::BuildGauge()
                        .Name("sitrep_ingest_streams")
                        .Help("Open IngestService.Push streams.")
                        .Register(*registry_)
                        .Add({})),
      postgres_restarts_(prometheus::BuildCounter()
                             .Name("sitrep_embedded_postgres_restarts_total")
                             .Help("Restarts of the embedded PostgreSQL after its postmaster died.")
                             .Register(*registry_)
                             .Add({})),
      audit_dropped_(prometheus::BuildCounter()
                         .Name("sitrep_audit_dropped_total")
                         .Help("Audit entries lost: the database was away and the buffer full.")
                         .Register(*registry_)
                         .Add({})),
      audit_buffered_(prometheus::BuildGauge()
                          .Name("sitrep_audit_buffered_entries")
                          .Help("Audit entries waiting for the database to return.")
                          .Register(*registry_)
                          .Add({})),
      queue_metrics_(std::make_shared<QueueMetrics>()),
      notice_metrics_(std::make_shared<NoticeMetrics>()) {
  prometheus::BuildGauge()
      .Name("sitrep_build_info")
      .Help("Always 1; the labels tell which build of sitrepd runs.")
      .Register(*registry_)
      .Add({{"version", SITREP_VERSION}})
      .Set(1);
}

Metrics::~Metrics() = default;

void Metrics::Serve(const std::string& address) {
  exposer_ = std::make_unique<prometheus::Exposer>(address);
  exposer_->RegisterCollectable(registry_);
  exposer_->RegisterCollectable(process_metrics_);
  exposer_->RegisterCollectable(pool_metrics_);
  exposer_->RegisterCollectable(queue_metrics_);
  exposer_->RegisterCollectable(notice_metrics_);
}

int Metrics::port() const {
  if (!exposer_) return 0;
  const std::vector<int> ports = exposer_->GetListeningPorts();
  return ports.empty() ? 0 : ports.front();
}

void Metrics::ObserveCall(const std::string& method, const std::string& code,
                          const std::string& transport,
                          std::chrono::steady_clock::duration latency) {
  calls_.Add({{"method", method}, {"code", code}, {"transport", transport}}).Increment();
  latency_.Add({{"method", method}, {"transport", transport}}, kLatencyBuckets)
      .Observe(std::chrono::duration<double>(latency).count());
}

void Metrics::CountRecords(const std::string& kind, const std::string& outcome, uint32_t count) {
  if (count > 0) records_.Add({{"kind", kind}, {"outcome", outcome}}).Increment(count);
}

void Metrics::CountRejection(const std::string& reason) {
  rejections_.Add({{"reason", reason}}).Increment();
}

void Metrics::ObserveCommit(std::chrono::steady_clock::duration latency) {
  commit_latency_.Observe(std::chrono::duration<double>(latency).count());
}

void Metrics::AddPushStreams(int delta) { push_streams_.Increment(delta); }

void Metrics::CountPostgresRestart() { postgres_restarts_.Increment(); }

void Metrics::CountAuditDropped(size_t count) {
  audit_dropped_.Increment(static_cast<double>(count));
}

void Metrics::SetAuditBuffered(size_t count) { audit_buffered_.Set(static_cast<double>(count)); }

void Metrics::SetQueueDepth(std::function<size_t()> depth) {
  std::static_pointer_cast<QueueMetrics>(queue_metrics_)->Set(std::move(depth));
}

void Metrics::SetNoticeBacklog(std::function<std::vector<NoticeBacklogCount>()> backlog) {
  std::static_pointer_cast<NoticeMetrics>(notice_metrics_)->Set(std::move(backlog));
}

}  // namespace sitrep
