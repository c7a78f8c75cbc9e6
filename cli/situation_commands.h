#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "cli/session.h"
#include "sitrep/v1/feed.pb.h"

namespace CLI {
class App;
}

namespace sitrep::cli {

// The flags of `sitrep situation` as given.
struct SituationFlags {
  std::vector<std::string> provinces;  // codes or names (ReferenceWords::ParseProvince)
  int days = 30;                       // the last this many days, today included
  bool hours = false;                  // hour buckets instead of day buckets
  int top_enterprises = 10;
};

// Adds `situation` to `app`: FeedService.GetSituation (SPEC §4), the regulator's overview of
// the last --days, printed as a report for people (situation_report.h) or, with --json, as the
// reply on one JSON line. `chosen` must outlive parsing.
void AddSituationCommands(CLI::App& app, Action& chosen);

// The request `flags` ask for at `now`, for the provinces `provinces` (codes): the range starts
// at a bucket boundary, so that the server's widening to whole buckets (feeds/situation.h) gives
// exactly flags.days days, today (China Standard Time) or the current hour the last of them.
// Throws UsageError for --hours over more than 31 days, which the server refuses.
[[nodiscard]] v1::GetSituationRequest BuildSituationRequest(
    const SituationFlags& flags, const std::vector<std::uint32_t>& provinces,
    std::chrono::system_clock::time_point now);

}  // namespace sitrep::cli
