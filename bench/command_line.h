#pragma once

#include <ostream>

namespace sitrep::bench {

// Runs sitrep-bench (SPEC §6): `sitrep-bench <mode> [flags]`, each mode a benchmark that
// prints its progress on `err` and, as the last line on `out`, one JSON object with its
// figures (result_line.h). Returns the exit code: 0 when the benchmark ran (and for --help),
// 1 when it failed (one line "sitrep-bench: …" on `err`), 2 for a usage error.
[[nodiscard]] int Run(int argc, const char* const* argv, std::ostream& out, std::ostream& err);

}  // namespace sitrep::bench
