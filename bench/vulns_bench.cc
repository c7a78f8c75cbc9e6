#include "bench/vulns_bench.h"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "bench/bench_collector.h"
#include "bench/bench_failure.h"
#include "bench/binary_copy.h"
#include "bench/latency_percentiles.h"
#include "bench/pq_connection.h"
#include "bench/push_stream.h"
#include "bench/result_line.h"
#include "domain/time_convert.h"
#include "sitrep/v1/ingest.pb.h"
#include "vulns/normalise.h"

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

constexpr uint64_t kCopyChunk = 100'000;

// The product leaves as a temporary table bench_leaves (n, vendor, product, version,
// vendor_norm, product_key), n from 0, keyed as ingest/record_writer.cc keys a pushed asset.
void CopyLeaves(PqConnection& connection, const std::vector<Product>& products) {
  connection.Execute(
      "CREATE TEMP TABLE bench_leaves (n integer PRIMARY KEY, vendor text, product text, "
      "version text, vendor_norm text, product_key text)");
  connection.BeginCopy("COPY bench_leaves FROM STDIN (FORMAT binary)");
  BinaryCopyEncoder rows;
  for (size_t n = 0; n < products.size(); ++n) {
    const Product& product = products[n];
    const std::string vendor_norm = vulns::Normalise(product.vendor);
    rows.BeginRow(6)
        .Int4(static_cast<int32_t>(n))
        .Text(product.vendor)
        .Text(product.product)
        .Text(product.version)
        .Text(vendor_norm)
        .Text(vulns::ProductKey(vendor_norm, product.product));
  }
  connection.PutCopyData(BinaryCopyHeader());
  connection.PutCopyData(rows.bytes());
  connection.PutCopyData(BinaryCopyTrailer());
  connection.EndCopy(products.size());
}

// Writes the assets AssetBatches would push (same keys, addresses, products, exposure) straight
// into the assets table as `reporter_id`'s, kCopyChunk per transaction; every index and policy
// stays, so the table is what pushes would have left. Returns how many were written.
uint64_t CopyAssets(const std::string& database_url, int64_t reporter_id,
                    const VulnsOptions& options, const Corpus& corpus, std::ostream& err) {
  PqConnection connection(database_url, "the vulns asset load");
  CopyLeaves(connection, corpus.products);
  const auto started = std::chrono::steady_clock::now();
  for (uint64_t first = 0; first < options.assets; first += kCopyChunk) {
    const uint64_t last = std::min<uint64_t>(options.assets, first + kCopyChunk) - 1;
    (void)connection.Query(
        "INSERT INTO assets (province, reporter_id, asset_key, sector, ip, port, protocol, "
        "asset_type, vendor, product, version, internet_exposed, first_seen, last_seen, "
        "vendor_norm, product_key) "
        "SELECT $1::integer, $2::bigint, 'vulns-bench-' || g, 'energy', "
        "('10.' || ((g >> 16) & 255) || '.' || ((g >> 8) & 255) || '.' || (g & 255))::inet, "
        "502, 'modbus', 'PLC', l.vendor, l.product, l.version, g % 3 = 0, "
        "now() - interval '1 hour', now() - interval '1 hour', l.vendor_norm, l.product_key "
        "FROM generate_series($3::bigint, $4::bigint) g "
        "JOIN bench_leaves l ON l.n = g % $5::bigint",
        {std::to_string(kAssetProvince), std::to_string(reporter_id), std::to_string(first),
         std::to_string(last), std::to_string(corpus.products.size())});
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    err << "vulns: " << last + 1 << " assets written ("
        << static_cast<uint64_t>((last + 1) / seconds) << "/s)\n";
  }
  connection.Execute("ANALYZE assets");
  return options.assets;
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
  command.add_option("--load", options.load, "how the assets get in: copy or push")
      ->check(CLI::IsMember({"copy", "push"}))
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

  err << "vulns: storing (" << options.load << ") " << options.assets << " assets drawn from "
      << corpus.products.size() << " product leaves\n";
  uint64_t stored = 0;
  if (options.load == "copy") {
    stored =
        CopyAssets(DatabaseUrl(connection), assets_collector.principal_id, options, corpus, err);
  } else {
    const PushOutcome assets =
        PushAll(channel, assets_collector.token, AssetBatches(options, corpus), kAssetWindow);
    err << "vulns: " << assets.accepted << " assets accepted, " << assets.rejected << " rejected\n";
    stored = assets.accepted;
  }

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
      .Count("assets", stored)
      .Count("advisories", advisories.accepted)
      .Ratio("match_s", match_seconds)
      .Milliseconds("rematch_per_advisory_p99_ms", Percentile(latencies, 0.99))
      // The typical advisory beside the heaviest: the cost follows the assets each matches.
      .Milliseconds("rematch_per_advisory_p50_ms", Percentile(latencies, 0.50))
      .Print(out);
}

}  // namespace sitrep::bench
