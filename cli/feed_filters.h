#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "cli/reference_words.h"
#include "sitrep/v1/feed.pb.h"

namespace CLI {
class App;
}

namespace sitrep::cli {

// The filter flags of `incidents list|watch` as given; enum words are already numbers (CLI11
// turned them), names and times are resolved by BuildIncidentFilter().
struct IncidentFilterFlags {
  std::vector<std::string> provinces;  // codes or names (see ReferenceWords::ParseProvince)
  std::vector<std::string> sectors;    // codes or Chinese names
  int min_severity = 0;                // a v1::Severity; 0: any
  std::vector<int> categories;         // v1::Category values
  std::vector<int> statuses;           // v1::IncidentStatus values
  std::string since;                   // receive_time from; see ParseTimeWord
  std::string until;                   // receive_time before
  std::string occurred_since;          // occur_time from
  std::string occurred_until;          // occur_time before
  std::int64_t enterprise_id = 0;
  std::string cve_id;
  std::string indicator_value;
  std::string title_contains;
};

// The filter flags of `assets list|watch`.
struct AssetFilterFlags {
  std::vector<std::string> provinces;
  std::vector<std::string> sectors;
  std::vector<std::string> protocols;
  std::string vendor;
  bool exposed_only = false;
  std::string cve_id;
  std::string seen_since;  // last_seen_time from
  std::string seen_until;  // last_seen_time before
  std::int64_t enterprise_id = 0;
};

// Adds the filter flags to `command`, writing into `flags`, which must outlive parsing. Enum
// words and times are checked while parsing (a wrong one is a usage error there); repeatable
// flags also take comma-separated values ("--province 440000,广西").
void AddIncidentFilterFlags(CLI::App& command, IncidentFilterFlags& flags);
void AddAssetFilterFlags(CLI::App& command, AssetFilterFlags& flags);

// Whether building the filter needs the server's province and sector names.
[[nodiscard]] bool NeedsReferenceWords(const IncidentFilterFlags& flags);
[[nodiscard]] bool NeedsReferenceWords(const AssetFilterFlags& flags);

// Returns the codes of the provinces `words_given` name (codes or names, see
// ReferenceWords::ParseProvince), in order. Throws UsageError, in one line naming --province,
// for a word `words` does not know.
[[nodiscard]] std::vector<std::uint32_t> ResolveProvinces(
    const std::vector<std::string>& words_given, const ReferenceWords& words);

// Returns the range a "since" and an "until" flag give (either may be empty; both were checked
// by TimeWordValidator while parsing), times taken relative to `now`; nullopt when both are
// empty. Throws UsageError naming the flags when the range ends before it starts.
[[nodiscard]] std::optional<v1::TimeRange> TimeRangeOf(const std::string& since,
                                                       const std::string& until,
                                                       const char* since_flag,
                                                       const char* until_flag,
                                                       std::chrono::system_clock::time_point now);

// Returns the filter the flags ask for, times taken relative to `now`. Throws UsageError, in
// one line naming the flag, for a province or sector `words` does not know and for a time
// range that ends before it starts.
[[nodiscard]] v1::IncidentFilter BuildIncidentFilter(const IncidentFilterFlags& flags,
                                                     const ReferenceWords& words,
                                                     std::chrono::system_clock::time_point now);
[[nodiscard]] v1::AssetFilter BuildAssetFilter(const AssetFilterFlags& flags,
                                               const ReferenceWords& words,
                                               std::chrono::system_clock::time_point now);

}  // namespace sitrep::cli
