#pragma once

#include "cli/session.h"

namespace CLI {
class App;
}

namespace sitrep::cli {

// Adds the FeedService commands (SPEC §4) to `app`:
//   incidents list|get|watch, assets list|get|watch.
// list and watch take filter flags (see feed_filters.h) and keep their place in the feed with
// --follow FILE; get shows every field of one record (an asset also with the advisories that
// match it). Tables for people (severity coloured and
// long titles cut only on a terminal), JSON lines with --json. `chosen` must outlive parsing.
void AddFeedCommands(CLI::App& app, Action& chosen);

}  // namespace sitrep::cli
