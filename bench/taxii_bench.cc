#include "bench/taxii_bench.h"

#include <unistd.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "bench/bench_collector.h"
#include "bench/bench_failure.h"
#include "bench/incident_loader.h"
#include "collector/taxii_client.h"

namespace sitrep::bench {
namespace {

using Clock = std::chrono::steady_clock;

constexpr size_t kMaxPageBytes = size_t{64} << 20;

// One page: its latency, the objects it held and the `next` to ask for after it ("" at the
// end of the collection, where the reader starts again).
struct TaxiiPage {
  std::chrono::nanoseconds latency;
  size_t objects = 0;
  std::string next;
};

TaxiiPage ReadPage(collector::TaxiiClient& client, const std::string& objects_url,
                   const std::string& next) {
  const std::string url = next.empty() ? objects_url : objects_url + "&next=" + client.Escape(next);
  const Clock::time_point start = Clock::now();
  const collector::TaxiiResponse response = client.Get(url, kMaxPageBytes);
  const std::chrono::nanoseconds latency = Clock::now() - start;
  if (response.status != 200) {
    throw BenchFailure("GET " + url + " answered " +
                       (response.status == 0 ? response.error
                                             : std::to_string(response.status) + ": " +
                                                   response.body.substr(0, 300)));
  }
  const nlohmann::json envelope = nlohmann::json::parse(response.body, nullptr, false);
  if (!envelope.is_object()) throw BenchFailure("GET " + url + " answered what is not JSON");
  TaxiiPage page{latency, envelope.value("objects", nlohmann::json::array()).size(), ""};
  if (envelope.value("more", false)) {
    page.next = envelope.value("next", "");
    if (page.next.empty()) throw BenchFailure("GET " + url + " says more but gives no next");
  }
  return page;
}

}  // namespace

void AddTaxiiBenchOptions(CLI::App& command, TaxiiBenchOptions& options) {
  command.add_option("--incidents", options.incidents, "incidents the database should hold")
      ->capture_default_str()
      ->check(CLI::Range(uint64_t{1}, uint64_t{1'000'000'000}));
  command.add_option("--pages", options.pages, "measured TAXII pages")
      ->capture_default_str()
      ->check(CLI::Range(1u, 10'000'000u));
  command.add_option("--warm-up", options.warm_up, "unmeasured TAXII pages first")
      ->capture_default_str()
      ->check(CLI::Range(0u, 10'000'000u));
  command.add_option("--limit", options.limit, "the TAXII limit: objects a page")
      ->capture_default_str()
      ->check(CLI::Range(1u, 1000u));
  command.add_option("--http", options.http, "sitrepd's HTTP listener, host:port")
      ->capture_default_str();
}

ResultLine TaxiiResultLine(uint64_t incidents, const LatencySummary& pages,
                           double objects_per_page) {
  ResultLine result("taxii");
  result.Count("incidents", incidents)
      .Count("pages", pages.count)
      .Milliseconds("page_p50_ms", pages.p50)
      .Milliseconds("page_p99_ms", pages.p99)
      .Milliseconds("page_max_ms", pages.max)
      .Ratio("objects_per_page", objects_per_page);
  return result;
}

void RunTaxiiBench(const ConnectionOptions& connection, const TaxiiBenchOptions& options,
                   std::ostream& out, std::ostream& err) {
  const std::string admin_token = ReadAdminToken(connection);
  const std::string database_url = DatabaseUrl(connection);
  const uint64_t incidents = EnsureIncidentsCounted(database_url, options.incidents, err);
  const BenchPrincipal national = CreateBenchPrincipal(
      OwnChannel(connection), admin_token, "bench-taxii-national-" + std::to_string(::getpid()),
      v1::ROLE_NATIONAL, 0);

  collector::TaxiiClient client({"", national.token, ""});
  const std::string objects_url =
      "http://" + options.http +
      "/taxii2/api/collections/incidents/objects/?limit=" + std::to_string(options.limit);
  std::string next;
  for (uint32_t i = 0; i < options.warm_up; ++i) next = ReadPage(client, objects_url, next).next;
  err << "sitrep-bench: " << incidents << " incidents; " << options.pages << " TAXII pages (limit "
      << options.limit << ") over http://" << options.http << std::endl;
  std::vector<std::chrono::nanoseconds> latencies;
  latencies.reserve(options.pages);
  uint64_t objects = 0;
  for (uint32_t i = 0; i < options.pages; ++i) {
    TaxiiPage page = ReadPage(client, objects_url, next);
    latencies.push_back(page.latency);
    objects += page.objects;
    next = std::move(page.next);
  }
  TaxiiResultLine(incidents, Summarize(std::move(latencies)),
                  static_cast<double>(objects) / options.pages)
      .Print(out);
}

}  // namespace sitrep::bench
