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

namespace sitrep {

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

  // Counts one finished call of `method` with gRPC status `code` and observes its latency.
  void ObserveCall(const std::string& method, const std::string& code,
                   std::chrono::steady_clock::duration latency);

  [[nodiscard]] prometheus::Registry& registry() { return *registry_; }

 private:
  std::shared_ptr<prometheus::Registry> registry_;
  std::shared_ptr<prometheus::Collectable> process_metrics_;
  std::shared_ptr<prometheus::Collectable> pool_metrics_;
  prometheus::Family<prometheus::Counter>& calls_;
  prometheus::Family<prometheus::Histogram>& latency_;
  std::unique_ptr<prometheus::Exposer> exposer_;
};

}  // namespace sitrep
