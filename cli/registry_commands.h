#pragma once

#include "cli/session.h"

namespace CLI {
class App;
}

namespace sitrep::cli {

// Adds the RegistryService commands (SPEC §4) to `app`:
//   enterprises create|list|get|update, principals create|list, tokens issue|list|revoke,
//   audit list.
// When the command line selects one of them, its callback stores in `chosen` the action that
// makes the call and prints the reply (a table, or JSON lines with --json). `chosen` must
// outlive parsing.
void AddRegistryCommands(CLI::App& app, Action& chosen);

}  // namespace sitrep::cli
