#pragma once

#include <cstddef>

namespace sitrep::cli {

// What standard output is, for output meant for people: colours and lines cut to the width
// only on a terminal, never in a pipe or a file (where scripts and --json read it).
struct Terminal {
  bool colour = false;    // ANSI colours are welcome
  std::size_t width = 0;  // columns per line; 0: unlimited (not a terminal)
};

// Returns what file descriptor `fd` is: a terminal (isatty) takes colour unless NO_COLOR is
// set (https://no-color.org) or TERM is "dumb", and is as wide as the kernel says, else as
// COLUMNS says, else 80 columns.
[[nodiscard]] Terminal DetectTerminal(int fd);

// The decision DetectTerminal() makes from what it found: whether `fd` is a terminal, the width
// the kernel reports (0 when unknown) and the values of NO_COLOR, TERM and COLUMNS (null when
// unset).
[[nodiscard]] Terminal DescribeTerminal(bool is_terminal, std::size_t reported_width,
                                        const char* no_color, const char* term,
                                        const char* columns);

}  // namespace sitrep::cli
