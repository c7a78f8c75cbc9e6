#pragma once

#include <atomic>
#include <ostream>

#include "collector/collector_config.h"

namespace sitrep::collector {

// One run of sitrep-collector (SPEC §6): spools the inputs on one thread while pushing the spool
// on another, shows progress on a terminal, and ends with a summary on `err` (and with --json a
// last line on `out`). Returns the exit code: 0 when everything spooled was acknowledged, 1 on
// a fatal error (spool unusable, server refusing the token), 2 on a usage error found late
// (missing input, no token, unreadable TLS file), 128 + N once `signal` (may be null) holds a
// signal number N, after stopping cleanly.
[[nodiscard]] int RunCollector(const CollectorConfig& config, std::ostream& out, std::ostream& err,
                               const std::atomic<int>* signal);

}  // namespace sitrep::collector
