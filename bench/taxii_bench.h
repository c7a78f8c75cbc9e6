#pragma once

#include <cstdint>
#include <ostream>
#include <string>

#include "bench/connection_options.h"
#include "bench/latency_percentiles.h"
#include "bench/result_line.h"

namespace CLI {
class App;
}

namespace sitrep::bench {

// sitrep-bench taxii: the latency of one TAXII 2.1 page of the incidents collection over the
// HTTP edge (issue 19: a page of 100 objects at 10 M incidents, p99 ≤ 20 ms).
struct TaxiiBenchOptions {
  uint64_t incidents = 100'000;         // loaded by the bench's loader principal when missing
  uint32_t pages = 1'000;               // measured pages
  uint32_t warm_up = 100;               // unmeasured pages first
  uint32_t limit = 100;                 // the TAXII limit (objects a page)
  std::string http = "127.0.0.1:8080";  // sitrepd's --http-listen, host:port (plain HTTP)
};

// Adds the taxii options to `command`, writing into `options`, which must outlive parsing.
void AddTaxiiBenchOptions(CLI::App& command, TaxiiBenchOptions& options);

// The result line: {"bench":"taxii","incidents":…,"pages":…,"page_p50_ms":…,"page_p99_ms":…,
// then "page_max_ms" and "objects_per_page" (the mean a page held)}.
[[nodiscard]] ResultLine TaxiiResultLine(uint64_t incidents, const LatencySummary& pages,
                                         double objects_per_page);

// Runs the benchmark: tops the database up to options.incidents loaded incidents
// (incident_loader.h), creates a NATIONAL principal with the admin token, then reads
// GET /taxii2/api/collections/incidents/objects/?limit=… with its bearer token on one
// kept-alive connection, following `next` from the collection's start (and from the start
// again at its end), options.warm_up pages unmeasured, then options.pages measured: each
// latency is the whole request, from sending it to the last byte of the answer. Progress goes
// to `err`, the result line to `out`. Throws BenchFailure when it cannot run or a page is not
// a 200 TAXII envelope.
void RunTaxiiBench(const ConnectionOptions& connection, const TaxiiBenchOptions& options,
                   std::ostream& out, std::ostream& err);

}  // namespace sitrep::bench
