#pragma once

#include <cstdint>
#include <ostream>
#include <string>

#include "bench/connection_options.h"
#include "bench/latency_percentiles.h"
#include "bench/process_cpu.h"
#include "bench/result_line.h"

namespace CLI {
class App;
}

namespace sitrep::bench {

// sitrep-bench http: the server's CPU for a feed page over the HTTP edge's JSON API against the
// same page over gRPC (issue 17: at most 1.5×).
struct HttpBenchOptions {
  uint64_t incidents = 100'000;  // loaded by the bench's loader principal when missing
  uint32_t pages = 1'000;        // measured ListIncidents pages per transport
  uint32_t round = 100;          // pages per transport before the other's turn
  int32_t page_size = 100;
  std::string http = "127.0.0.1:8080";  // sitrepd's --http-listen, host:port (plain HTTP)
};

// Adds the http options to `command`, writing into `options`, which must outlive parsing.
void AddHttpBenchOptions(CLI::App& command, HttpBenchOptions& options);

// What one transport's measured pages cost.
struct TransportFigures {
  LatencySummary pages;  // client-side latency of each page
  ServerCpu cpu;         // spent over those pages
};

// The result line: {"bench":"http","incidents":…,"pages":…,"json_server_cpu_us_per_page":…,
// "grpc_server_cpu_us_per_page":…,"json_to_grpc_cpu_ratio":…,"json_page_p50_ms":…,
// "json_page_p99_ms":…,"grpc_page_p99_ms":…, then the parts}. Server CPU is sitrepd's plus
// PostgreSQL's, as the feeds bench counts it; the ratio is null when gRPC pages cost nothing
// measurable.
[[nodiscard]] ResultLine HttpResultLine(uint64_t incidents, const TransportFigures& json,
                                        const TransportFigures& grpc);

// Runs the benchmark: tops the database up to options.incidents loaded incidents
// (incident_loader.h), creates a NATIONAL principal with the admin token, then reads the feed
// in rounds: options.round pages as POST /sitrep.v1.FeedService/ListIncidents (JSON, bearer
// token, one kept-alive connection) and the same pages (the same cursors) over gRPC, the two
// taking turns going first, until each has read options.pages, after one unmeasured round of
// each. Server CPU is read around
// every round. Progress goes to `err`, the result line to `out`. Throws BenchFailure when it
// cannot run, a call fails or the two transports disagree on a page's next cursor.
void RunHttpBench(const ConnectionOptions& connection, const HttpBenchOptions& options,
                  std::ostream& out, std::ostream& err);

}  // namespace sitrep::bench
