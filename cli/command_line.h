#pragma once

#include <ostream>

#include "cli/terminal.h"

namespace sitrep::cli {

// Runs the sitrep command line (SPEC §6) and returns the process exit code: 0 on success
// (and for --help), 2 for a usage error (bad flags, unknown words, no token, unreadable files),
// 1 for a call that failed. Results go to `out`; a failure is reported as exactly one line
// "sitrep: ..." on `err`. `terminal` says what `out` is (colours, width); the default is a pipe.
[[nodiscard]] int Run(int argc, const char* const* argv, std::ostream& out, std::ostream& err,
                      Terminal terminal = {});

}  // namespace sitrep::cli
