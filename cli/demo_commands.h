#pragma once

#include "cli/session.h"

namespace CLI {
class App;
}

namespace sitrep::cli {

// Adds `sitrep demo seed --tokens-dir DIR` (ADMIN): fills an empty registry with a realistic
// demo — two enterprises in every province across the seeded sectors (valid credit codes,
// grades, key-enterprise and CII flags), a national principal, and a regulator, a collector
// and an enterprise principal per province — and writes one token per principal to
// DIR/<principal>.token (mode 0600). Does nothing when the registry already has enterprises.
void AddDemoCommands(CLI::App& app, Action& chosen);

}  // namespace sitrep::cli
