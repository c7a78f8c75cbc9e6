#pragma once

#include "cli/session.h"

namespace CLI {
class App;
}

namespace sitrep::cli {

// Adds the NotificationService commands (SPEC §4, issue #5) to `app`:
//   notices list [--outbox] [--state S] [--overdue] [--min-priority P] [--since T] [--until T]
//   notices get ID
//   notices watch [--cursor C | --follow FILE]
//   notices issue --title T --priority P (--province P… | --enterprise ID…) [--body B]
//                 [--action A] [--tlp L] [--within 4h | --deadline TIME] [--incident ID…]
//                 [--cve CVE…]
//   notices ack ID
//   notices feedback ID --text T --outcome O [--incident ID…]
//   notices close ID [--province P…] [--enterprise ID…] [--remark R]
// Lists and watches print one notice per row (priority coloured and titles cut only on a
// terminal); get and the steps print the whole notice with each target's history. --json
// prints JSON lines instead. `chosen` must outlive parsing.
void AddNoticeCommands(CLI::App& app, Action& chosen);

}  // namespace sitrep::cli
