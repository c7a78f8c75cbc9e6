#pragma once

#include "cli/session.h"

namespace CLI {
class App;
}

namespace sitrep::cli {

// Adds `sitrep health`: asks the standard grpc.health.v1 service (no token needed) and prints
// SERVING or NOT_SERVING; a server that is not serving makes the command fail (exit 1), so
// scripts can wait on it.
void AddHealthCommands(CLI::App& app, Action& chosen);

}  // namespace sitrep::cli
