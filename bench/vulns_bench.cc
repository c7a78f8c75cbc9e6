#include "bench/vulns_bench.h"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "bench/bench_collector.h"
#include "bench/bench_failure.h"
#include "bench/latency_percentiles.h"
#include "bench/push_stream.h"
#include "bench/result_line.h"
#include "domain/time_convert.h"
#include "sitrep/v1/ingest.pb.h"

namespace sitrep::bench {
namespace {

using Json = nlohmann::json;

constexpr uint32_t kAssetsPerBatch = 1000;
constexpr int kAssetWindow = 8;
constexpr uint32_t kAssetProvince = 440000;
constexpr auto kPushTimeout = std::chrono::hours(2);

// One product leaf of an advisory's tree, as an asset would report it.
struct Product {
  std::string vendor;
  std::string product;
  std::string version;
};

// The version an asset of the leaf reports: its single version, or the bound of its range
// ("<=12.1.3" → "12.1.3"), so that most drawn assets lie in range and some just at its edge.
std::string VersionOf(const std::string& expression) {
  std::string version = expression;
  const size_t bar = version.find('|');
  if (bar != std::string::npos) version = version.substr(bar + 1);
  const size_t start = version.find_first_of("0123456789");
  if (start == std::string::npos) return "1.0";
  version = version.substr(start);
  while (!version.empty() && version.back() == ' ') version.pop_back();
  return version;
}

void CollectLeaves(const Json& branch, Product current, std::vector<Product>& out) {
  const std::string category = branch.value("category", "");
  const std::string name = branch.value("name", "");
  if (category == "vendor") current.vendor = name;
  if (category == "product_name") current.product = name;
  if (category == "product_version" || category == "product_version_range") {
    current.version = VersionOf(name);
  }
  if (branch.contains("branches") && branch["branches"].is_array()) {
    for (const Json& child : branch["branches"]) CollectLeaves(child, current, out);
  } else if (!current.vendor.empty() && !current.product.empty()) {
    out.push_back(current);
  }
}

struct Corpus {
  std::vector<std::string> documents;
  std::vector<Product> products;
};

Corpus ReadCorpus(const std::vector<std::string>& dirs) {
  Corpus corpus;
  std::vector<std::filesystem::path> files;
  for (const std::string& dir : dirs) {
    std::error_code error;
    for (const auto& entry : std::filesystem::directory_iterator(dir, error)) {
      if (entry.path().extension() == ".json") files.push_back(entry.path());
    }
    if (error) throw BenchFailure("cannot read " + dir + ": " + error.message());
  }
  std::sort(files.begin(), files.end());
  for (const auto& file : files) {
    std::ifstream in(file, std::ios::binary);
    std::string text((std::istreambuf_iterator<char>(in)), {});
    const Json json = Json::parse(text, nullptr, false);
    if (json.is_discarded()) continue;
    if (json.contains("product_tree") && json["product_tree"].contains("branches")) {
      for (const Json& branch : json["product_tree"]["branches"]) {
        CollectLeaves(branch, {}, corpus.products);
      }
    }
    corpus.documents.push_back(std::move(text));
  }
  if (corpus.documents.empty() || corpus.products.empty()) {
    throw BenchFailure("no CSAF documents with product trees found (--advisories)");
  }
  return corpus;
}

std::vector<EncodedBatch> AssetBatches(const VulnsOptions& options, const Corpus& corpus) {
  std::vector<EncodedBatch> batches;
  const auto seen = ToTimestamp(std::chrono::system_clock::now() - std::chrono::hours(1));
  for (uint64_t first = 0; first < options.assets; first += kAssetsPerBatch) {
    v1::PushBatch batch;
    batch.set_sequence(batches.size() + 1);
    const uint64_t end = std::min<uint64_t>(options.assets, first + kAssetsPerBatch);
    for (uint64_t i = first; i < end; ++i) {
      const Product& product = corpus.products[i % corpus.products.size()];
      v1::Asset& asset = *batch.add_assets();
      asset.set_asset_key("vulns-bench-" + std::to_string(i));
      asset.set_province(kAssetProvince);
      asset.set_sector("energy");
      asset.set_ip("10." + std::to_string((i >> 16) & 255) + "." + std::to_string((i >> 8) & 255) +
                   "." + std::to_string(i & 255));
      asset.set_port(502);
      asset.set_protocol("modbus");
      asset.set_type(v1::ASSET_TYPE_PLC);
      asset.set_vendor(product.vendor);
      asset.set_product(product.product);
      asset.set_version(product.version);
      asset.set_internet_exposed(i % 3 == 0);
      *asset.mutable_last_seen_time() = seen;
    }
    EncodedBatch encoded;
    encoded.records = static_cast<uint32_t>(end - first);
    batch.SerializeToString(&encoded.bytes);
    batches.push_back(std::move(encoded));
  }
  return batches;
}

PushOutcome PushAll(const std::shared_ptr<grpc::Channel>& channel, const std::string& token,
                    const std::vector<EncodedBatch>& batches, int window) {
  std::atomic<uint64_t> acked{0};
  PushStream stream(channel, token, batches, window, acked);
  stream.Start();
  if (!stream.WaitUntil(std::chrono::steady_clock::now() + kPushTimeout)) {
    stream.Abandon("no answer within the push timeout");
    static_cast<void>(stream.WaitUntil(std::chrono::steady_clock::time_point::max()));
  }
  PushOutcome outcome = stream.Outcome();
  if (!outcome.ok()) {
    throw BenchFailure("push failed: " + outcome.failure + " " + outcome.status.error_message());
  }
  return outcome;
}

}  // namespace

void AddVulnsOptions(CLI::App& command, VulnsOptions& options) {
  command.add_option("--assets", options.assets, "assets to push before the advisories")
      ->capture_default_str();
  command.add_option("--advisories", options.advisory_dirs, "folders of CSAF documents")
      ->capture_default_str();
}

void RunVulnsBench(const ConnectionOptions& connection, const VulnsOptions& options,
                   std::ostream& out, std::ostream& err) {
  const Corpus corpus = ReadCorpus(options.advisory_dirs);
  const auto channel = OwnChannel(connection);
  const std::string admin = ReadAdminToken(connection);
  const std::string suffix = std::to_string(std::chrono::system_clock::now().time_since_epoch() /
                                            std::chrono::milliseconds(1));
  const BenchPrincipal assets_collector = CreateBenchPrincipal(
      channel, admin, "vulns-bench-assets-" + suffix, v1::ROLE_COLLECTOR, kAssetProvince);
  const BenchPrincipal advisories_collector = CreateBenchPrincipal(
      channel, admin, "vulns-bench-advisories-" + suffix, v1::ROLE_COLLECTOR, 0);

  err << "vulns: pushing " << options.assets << " assets drawn from " << corpus.products.size()
      << " product leaves\n";
  const PushOutcome assets =
      PushAll(channel, assets_collector.token, AssetBatches(options, corpus), kAssetWindow);
  err << "vulns: " << assets.accepted << " assets accepted, " << assets.rejected << " rejected\n";

  // One advisory per batch and one batch in flight: each ack's latency is that advisory's
  // ingest and its re-match against every stored asset.
  std::vector<EncodedBatch> batches;
  for (const std::string& document : corpus.documents) {
    v1::PushBatch batch;
    batch.set_sequence(batches.size() + 1);
    batch.add_advisories()->set_csaf_document(document);
    EncodedBatch encoded;
    encoded.records = 1;
    batch.SerializeToString(&encoded.bytes);
    batches.push_back(std::move(encoded));
  }
  err << "vulns: pushing " << batches.size() << " advisories one at a time\n";
  const PushOutcome advisories = PushAll(channel, advisories_collector.token, batches, 1);
  err << "vulns: " << advisories.accepted << " advisories accepted, " << advisories.rejected
      << " rejected\n";
  std::vector<std::chrono::nanoseconds> latencies = advisories.ack_latencies;
  std::sort(latencies.begin(), latencies.end());
  const double match_seconds =
      advisories.first_write && advisories.last_ack
          ? std::chrono::duration<double>(*advisories.last_ack - *advisories.first_write).count()
          : 0.0;
  ResultLine("vulns")
      .Count("assets", assets.accepted)
      .Count("advisories", advisories.accepted)
      .Ratio("match_s", match_seconds)
      .Milliseconds("rematch_per_advisory_p99_ms", Percentile(latencies, 0.99))
      .Print(out);
}

}  // namespace sitrep::bench
