#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>
#include <vector>

#include "sitrep/v1/records.pb.h"

namespace sitrep::collector {

// The deliberate mistakes an invalid demo record carries, one each.
enum class DemoMistake {
  kBadCveId,        // "CVE-20X4-0042"
  kUnknownSector,   // a sector code nobody seeded
  kBadTechniqueId,  // "T9999" (assets: a bad CVE id instead)
  kBadTimeOrder,    // detect_time before occur_time (assets: last_seen_time in the future)
  kBadIndicator,    // an ipv4 indicator "203.0.113.300" (assets: ip "198.18.1.300")
  // A title (assets: vendor) that is not UTF-8. Proto3 parsers refuse the whole message for
  // it, so such a record can never reach the server: a collector must reject it locally, and
  // a benchmark that sends it loses the whole batch. Hence not in the default mix.
  kBadUtf8,
};

struct DemoOptions {
  uint64_t seed = 1;
  // How many records a run wants; DemoSource stops there, Next() itself never runs out.
  uint64_t count = 1000;
  std::optional<uint32_t> province;  // every record in this province; unset: all 32
  double asset_share = 0.3;          // share of assets among new records (0: incidents only)
  double duplicate_share = 0;        // share of records that repeat an earlier one verbatim
  double invalid_share = 0;          // share of new records carrying one mistake
  // Share of assets drawn from real advisories' product trees (kAdvisoryProducts): of those,
  // about 70% run a version inside the advisory's range and the rest one just outside; the
  // products of advisories with KEV-listed CVEs are drawn one time in three and are
  // internet-exposed 60% of the time, so the server's advisory notices fire on a first run.
  double advisory_product_share = 0.4;
  std::vector<DemoMistake> mistakes = {DemoMistake::kBadCveId, DemoMistake::kUnknownSector,
                                       DemoMistake::kBadTechniqueId, DemoMistake::kBadTimeOrder,
                                       DemoMistake::kBadIndicator};
  // Times fall before this instant; fix it to make runs identical.
  std::chrono::system_clock::time_point now = std::chrono::system_clock::now();
  // How long before `now` an incident may have occurred: a month for a demo that shows trends;
  // benchmarks that model a live feed report incidents within hours of their occurrence.
  std::chrono::seconds occur_within = std::chrono::hours(24 * 30);
};

// The occur_within of a live feed: incidents reported within six hours of their occurrence, so
// that the feed's order roughly follows time, as it does in production (the benchmarks).
inline constexpr std::chrono::hours kLiveFeedOccurWithin{6};

// A deterministic source of realistic records for every province: the same options give the
// same sequence of records. Incidents (about 700 bytes serialized) mix categories and
// severities weighted toward IV and III, sectors of the seeded list, Chinese and English
// titles, typed indicators, CVE ids, ATT&CK for ICS techniques and attributes; assets pair
// real vendors' products with their protocol and port. external_id and asset_key are unique
// within one seed ("demo-<seed>-i<n>", "demo-<seed>-a<n>"). Self-contained (no files, no
// network) so that sitrep-bench can link it. Not thread-safe.
class DemoGenerator final {
 public:
  explicit DemoGenerator(DemoOptions options);

  // The next record.
  [[nodiscard]] v1::Record Next();

  // What the records so far were, for tests and benchmark reports.
  struct Counts {
    uint64_t incidents = 0;   // new incidents, valid or not
    uint64_t assets = 0;      // new assets, valid or not
    uint64_t duplicates = 0;  // verbatim repeats
    uint64_t invalid = 0;     // new records with a mistake
  };
  [[nodiscard]] const Counts& counts() const { return counts_; }

 private:
  // SplitMix64: tiny, fast, and the same on every platform, unlike std:: distributions.
  uint64_t Random();
  uint64_t Below(uint64_t bound);
  bool Chance(double probability);
  template <typename T>
  const T& Pick(const std::vector<T>& items) {
    return items[Below(items.size())];
  }

  v1::Record NewIncident();
  v1::Record NewAsset();
  // Vendor, product, version and exposure from a real advisory's product tree.
  void DrawAdvisoryProduct(v1::Asset& asset);
  void AddMistake(v1::Record& record);
  uint32_t Province();
  google::protobuf::Timestamp TimeWithin(std::chrono::seconds before_now);

  const DemoOptions options_;
  uint64_t state_;
  uint64_t next_incident_ = 1;
  uint64_t next_asset_ = 1;
  std::deque<v1::Record> recent_;  // the pool duplicates are drawn from
  Counts counts_;
};

}  // namespace sitrep::collector
