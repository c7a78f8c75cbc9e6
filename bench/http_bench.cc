#include "bench/http_bench.h"

#include <google/protobuf/util/json_util.h>
#include <grpcpp/client_context.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "bench/bench_collector.h"
#include "bench/bench_failure.h"
#include "bench/incident_loader.h"
#include "sitrep/v1/feed.grpc.pb.h"

namespace sitrep::bench {
namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using tcp = net::ip::tcp;
using Clock = std::chrono::steady_clock;

constexpr std::chrono::seconds kConnectTimeout{10};
constexpr std::chrono::seconds kCallTimeout{60};
constexpr const char* kListIncidents = "/sitrep.v1.FeedService/ListIncidents";

// One kept-alive HTTP/1.1 connection to the edge (Boost.Beast), as a script or the console
// keeps one.
class JsonClient final {
 public:
  explicit JsonClient(const std::string& address) : stream_(io_) {
    const size_t colon = address.rfind(':');
    if (colon == std::string::npos) {
      throw BenchFailure("--http must be host:port, not " + address);
    }
    host_ = address.substr(0, colon);
    port_ = address.substr(colon + 1);
    if (host_.size() >= 2 && host_.front() == '[' && host_.back() == ']') {
      host_ = host_.substr(1, host_.size() - 2);  // [::1]:8080
    }
    Connect();
  }

  // POSTs `body` as JSON with the bearer `token`; the answer's body, or BenchFailure naming the
  // HTTP status when it is not 200.
  std::string Post(const std::string& target, const std::string& body, const std::string& token) {
    bhttp::request<bhttp::string_body> request(bhttp::verb::post, target, 11);
    request.set(bhttp::field::host, host_);
    request.set(bhttp::field::content_type, "application/json");
    request.set(bhttp::field::authorization, "Bearer " + token);
    request.keep_alive(true);
    request.body() = body;
    request.prepare_payload();
    stream_.expires_after(kCallTimeout);
    bhttp::write(stream_, request);
    bhttp::response_parser<bhttp::string_body> parser;
    parser.body_limit(256u << 20);
    bhttp::read(stream_, buffer_, parser);
    bhttp::response<bhttp::string_body> response = parser.release();
    if (response.result() != bhttp::status::ok) {
      throw BenchFailure("POST " + target + " answered " + std::to_string(response.result_int()) +
                         ": " + response.body());
    }
    if (!response.keep_alive()) Connect();  // the server closed: the next call reconnects
    return std::move(response.body());
  }

 private:
  void Connect() {
    beast::error_code ignored;
    stream_.socket().close(ignored);
    buffer_.clear();
    tcp::resolver resolver(io_);
    stream_.expires_after(kConnectTimeout);
    try {
      stream_.connect(resolver.resolve(host_, port_));
    } catch (const std::exception& error) {
      throw BenchFailure("cannot connect to http://" + host_ + ":" + port_ + ": " + error.what());
    }
  }

  net::io_context io_;
  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::string host_, port_;
};

v1::ListIncidentsRequest PageRequest(const std::string& token, int32_t page_size) {
  v1::ListIncidentsRequest request;
  request.set_page_size(page_size);
  request.set_page_token(token);
  return request;
}

// One page read by a transport: its latency, and the cursor after it.
struct Page {
  std::chrono::nanoseconds latency;
  std::string next_token;
  int rows = 0;
};

Page JsonPage(JsonClient& client, const std::string& bearer, const std::string& token,
              int32_t page_size) {
  std::string body;
  (void)google::protobuf::util::MessageToJsonString(PageRequest(token, page_size), &body);
  const Clock::time_point start = Clock::now();
  const std::string answer = client.Post(kListIncidents, body, bearer);
  const std::chrono::nanoseconds latency = Clock::now() - start;
  v1::ListIncidentsResponse response;
  if (!google::protobuf::util::JsonStringToMessage(answer, &response).ok()) {
    throw BenchFailure("ListIncidents over HTTP answered what is not a ListIncidentsResponse");
  }
  return Page{latency, response.next_page_token(), response.incidents_size()};
}

Page GrpcPage(v1::FeedService::Stub& stub, const std::string& bearer, const std::string& token,
              int32_t page_size) {
  grpc::ClientContext context;
  context.AddMetadata("authorization", "Bearer " + bearer);
  context.set_deadline(std::chrono::system_clock::now() + kCallTimeout);
  v1::ListIncidentsResponse response;
  const Clock::time_point start = Clock::now();
  const grpc::Status status =
      stub.ListIncidents(&context, PageRequest(token, page_size), &response);
  const std::chrono::nanoseconds latency = Clock::now() - start;
  if (!status.ok()) throw BenchFailure("ListIncidents over gRPC failed: " + StatusText(status));
  return Page{latency, response.next_page_token(), response.incidents_size()};
}

// Reads `count` pages following the cursor from `token` with `read`; the latencies go to
// `latencies` and the server CPU to `cpu`. Returns the cursors after each page.
template <class Read>
std::vector<std::string> ReadPages(const ServerCpuMeter& meter, const std::string& token,
                                   uint32_t count, Read read,
                                   std::vector<std::chrono::nanoseconds>& latencies,
                                   ServerCpu& cpu) {
  std::vector<std::string> cursors;
  std::string cursor = token;
  const ServerCpu before = meter.Read();
  for (uint32_t i = 0; i < count; ++i) {
    Page page = read(cursor);
    latencies.push_back(page.latency);
    // The end of the feed: start again from its beginning.
    cursor = page.rows == 0 ? std::string() : std::move(page.next_token);
    cursors.push_back(cursor);
  }
  cpu = cpu + (meter.Read() - before);
  return cursors;
}

}  // namespace

void AddHttpBenchOptions(CLI::App& command, HttpBenchOptions& options) {
  command.add_option("--incidents", options.incidents, "incidents the database should hold")
      ->capture_default_str()
      ->check(CLI::Range(uint64_t{1}, uint64_t{1'000'000'000}));
  command.add_option("--pages", options.pages, "measured ListIncidents pages per transport")
      ->capture_default_str()
      ->check(CLI::Range(1u, 10'000'000u));
  command.add_option("--round", options.round, "pages per transport before the other's turn")
      ->capture_default_str()
      ->check(CLI::Range(1u, 1'000'000u));
  command.add_option("--page-size", options.page_size, "ListIncidents page_size")
      ->capture_default_str()
      ->check(CLI::Range(1, 1000));
  command.add_option("--http", options.http, "sitrepd's HTTP listener, host:port")
      ->capture_default_str();
}

ResultLine HttpResultLine(uint64_t incidents, const TransportFigures& json,
                          const TransportFigures& grpc) {
  const double json_cpu = MicrosPer(json.cpu.server + json.cpu.database, json.pages.count);
  const double grpc_cpu = MicrosPer(grpc.cpu.server + grpc.cpu.database, grpc.pages.count);
  std::optional<double> ratio;
  if (grpc_cpu > 0) ratio = json_cpu / grpc_cpu;
  ResultLine result("http");
  result.Count("incidents", incidents)
      .Count("pages", json.pages.count)
      .Micros("json_server_cpu_us_per_page", json_cpu)
      .Micros("grpc_server_cpu_us_per_page", grpc_cpu)
      .Ratio("json_to_grpc_cpu_ratio", ratio)
      .Milliseconds("json_page_p50_ms", json.pages.p50)
      .Milliseconds("json_page_p99_ms", json.pages.p99)
      .Milliseconds("grpc_page_p99_ms", grpc.pages.p99)
      .Milliseconds("grpc_page_p50_ms", grpc.pages.p50)
      .Micros("json_sitrepd_cpu_us_per_page", MicrosPer(json.cpu.server, json.pages.count))
      .Micros("grpc_sitrepd_cpu_us_per_page", MicrosPer(grpc.cpu.server, grpc.pages.count))
      .Micros("json_postgres_cpu_us_per_page", MicrosPer(json.cpu.database, json.pages.count))
      .Micros("grpc_postgres_cpu_us_per_page", MicrosPer(grpc.cpu.database, grpc.pages.count));
  return result;
}

void RunHttpBench(const ConnectionOptions& connection, const HttpBenchOptions& options,
                  std::ostream& out, std::ostream& err) {
  const std::string admin_token = ReadAdminToken(connection);
  const std::string database_url = DatabaseUrl(connection);
  const uint64_t incidents = EnsureIncidentsCounted(database_url, options.incidents, err);

  const std::shared_ptr<grpc::Channel> channel = ConnectedChannel(connection);
  const BenchPrincipal national = CreateBenchPrincipal(
      channel, admin_token, "bench-http-national-" + std::to_string(::getpid()), v1::ROLE_NATIONAL,
      0);
  const std::unique_ptr<v1::FeedService::Stub> stub = v1::FeedService::NewStub(channel);
  JsonClient client(options.http);
  auto json = [&](const std::string& token) {
    return JsonPage(client, national.token, token, options.page_size);
  };
  auto grpc = [&](const std::string& token) {
    return GrpcPage(*stub, national.token, token, options.page_size);
  };

  const ServerCpuMeter meter(connection);
  std::vector<std::chrono::nanoseconds> json_latencies, grpc_latencies, ignored;
  ServerCpu json_cpu, grpc_cpu, warm_up;
  // Warm-up: both transports' connections, caches and the first pages.
  (void)ReadPages(meter, "", options.round, json, ignored, warm_up);
  (void)ReadPages(meter, "", options.round, grpc, ignored, warm_up);
  err << "sitrep-bench: " << incidents << " incidents; " << options.pages
      << " ListIncidents pages (page_size " << options.page_size << ") per transport, in rounds of "
      << options.round << ", JSON over http://" << options.http << " then gRPC over "
      << connection.server << std::endl;
  std::string cursor;
  bool json_first = true;
  for (uint32_t done = 0; done < options.pages; json_first = !json_first) {
    const uint32_t count = std::min(options.round, options.pages - done);
    // The transports take turns going first: the first to read a round's pages pays for
    // bringing them into PostgreSQL's buffers.
    std::vector<std::string> by_json, by_grpc;
    if (!json_first) by_grpc = ReadPages(meter, cursor, count, grpc, grpc_latencies, grpc_cpu);
    by_json = ReadPages(meter, cursor, count, json, json_latencies, json_cpu);
    if (json_first) by_grpc = ReadPages(meter, cursor, count, grpc, grpc_latencies, grpc_cpu);
    if (by_json != by_grpc) {
      throw BenchFailure("the JSON and gRPC pages disagree on the feed's cursors");
    }
    cursor = by_json.back();
    done += count;
  }
  const TransportFigures json_figures{Summarize(json_latencies), json_cpu};
  const TransportFigures grpc_figures{Summarize(grpc_latencies), grpc_cpu};
  err << "sitrep-bench: JSON pages: " << CpuText(json_cpu, json_latencies.size())
      << "; gRPC pages: " << CpuText(grpc_cpu, grpc_latencies.size()) << std::endl;
  HttpResultLine(incidents, json_figures, grpc_figures).Print(out);
}

}  // namespace sitrep::bench
