#include "bench/incident_load_rows.h"

#include <array>
#include <numeric>
#include <utility>

#include "bench/incident_copy_row.h"
#include "collector/demo_generator.h"
#include "collector/provinces.h"

namespace sitrep::bench {
namespace {

using std::chrono::duration_cast;
using std::chrono::microseconds;

// Relative weights in kProvinceCodes order: the order of magnitude of each division's share
// of industrial value added (China Statistical Yearbook), in tenths of a percent. Exactness
// does not matter; that Guangdong's regulator reads a feed fifty times Xizang's does.
constexpr std::array<uint32_t, 32> kProvinceWeights = {40, 30, 40, 20, 20, 30, 15, 15,  50, 100, 80,
                                                       40, 40, 25, 80, 50, 45, 35, 120, 20, 5,   25,
                                                       45, 15, 15, 2,  25, 10, 3,  5,   15, 3};
constexpr uint32_t kProvinceWeightTotal =
    std::accumulate(kProvinceWeights.begin(), kProvinceWeights.end(), 0u);

// The SplitMix64 finalizer: a different, well-mixed value for every input.
uint64_t Mix(uint64_t value) {
  value += 0x9e3779b97f4a7c15ull;
  value = (value ^ (value >> 30)) * 0xbf58476d1ce4e5b9ull;
  value = (value ^ (value >> 27)) * 0x94d049bb133111ebull;
  return value ^ (value >> 31);
}

uint64_t RowRandom(uint64_t seed, uint64_t index, uint64_t stream) {
  return Mix(Mix(seed * 0x100000001b3ull ^ index) ^ stream);
}

// `random` scaled to [0, bound).
uint64_t Below(uint64_t random, uint64_t bound) {
  return static_cast<uint64_t>((static_cast<unsigned __int128>(random) * bound) >> 64);
}

}  // namespace

uint32_t LoadProvince(uint64_t seed, uint64_t index) {
  uint64_t roll = Below(RowRandom(seed, index, 1), kProvinceWeightTotal);
  for (size_t i = 0; i < kProvinceWeights.size(); ++i) {
    if (roll < kProvinceWeights[i]) return collector::kProvinceCodes[i];
    roll -= kProvinceWeights[i];
  }
  return collector::kProvinceCodes.back();
}

LoadRow MakeLoadRow(const LoadRowSpec& spec, uint64_t index) {
  const auto spread = duration_cast<microseconds>(spec.spread);
  const double position =
      (static_cast<double>(index) + 0.5) / static_cast<double>(std::max<uint64_t>(spec.total, 1));
  const auto received =
      spec.now - spread + duration_cast<microseconds>(spread * std::min(position, 1.0));

  // A one-record demo generator per row keeps every row independent of the others.
  collector::DemoOptions options;
  options.seed = RowRandom(spec.seed, index, 2);
  options.count = 1;
  options.province = LoadProvince(spec.seed, index);
  options.asset_share = 0;
  options.mistakes.clear();
  options.now = received;
  options.occur_within = collector::kLiveFeedOccurWithin;
  collector::DemoGenerator generator(std::move(options));
  LoadRow row{std::move(*generator.Next().mutable_incident()), received};

  row.incident.set_external_id(kLoadExternalIdPrefix + std::to_string(index));
  return row;
}

void AppendLoadRows(BinaryCopyEncoder& encoder, const LoadRowSpec& spec, uint64_t first,
                    uint64_t count, int64_t reporter_id) {
  for (uint64_t index = first; index < first + count; ++index) {
    const LoadRow row = MakeLoadRow(spec, index);
    AppendIncidentRow(encoder, row.incident, reporter_id, "", row.received);
  }
}

}  // namespace sitrep::bench
