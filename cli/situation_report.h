#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "cli/reference_words.h"
#include "cli/terminal.h"
#include "sitrep/v1/feed.pb.h"

namespace sitrep::cli {

// Returns the terminal report of `sitrep situation` for one FeedService.GetSituation answer:
// the range and scope, headline totals against the previous period with trend arrows,
// incidents by severity, province, sector and category (severity columns and bars), the
// series of day (or hour) buckets, exposed assets by protocol and vendor with their
// known-exploited CVEs, the notice backlog by province and the top enterprises by open
// incidents. Days and hours are shown in China Standard Time, as the server buckets them.
// `provinces` are the codes the request named (empty: all the caller may see); `words` name
// provinces and sectors. On `terminal` with colour, severities, trends and overdue notices
// are coloured; with a width, bars shrink to fit it. Pure: the same input gives the same text.
[[nodiscard]] std::string SituationReport(const v1::Situation& situation,
                                          const ReferenceWords& words,
                                          const std::vector<std::uint32_t>& provinces,
                                          const Terminal& terminal);

}  // namespace sitrep::cli
