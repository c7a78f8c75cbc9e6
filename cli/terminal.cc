#include "cli/terminal.h"

#include <sys/ioctl.h>
#include <unistd.h>

#include <charconv>
#include <cstdlib>
#include <cstring>

namespace sitrep::cli {
namespace {

constexpr std::size_t kDefaultWidth = 80;

std::size_t ParseColumns(const char* columns) {
  if (columns == nullptr) return 0;
  std::size_t width = 0;
  const char* end = columns + std::strlen(columns);
  const auto [stop, error] = std::from_chars(columns, end, width);
  return error == std::errc() && stop == end ? width : 0;
}

}  // namespace

Terminal DescribeTerminal(bool is_terminal, std::size_t reported_width, const char* no_color,
                          const char* term, const char* columns) {
  if (!is_terminal) return {};
  Terminal terminal;
  const bool dumb = term != nullptr && std::strcmp(term, "dumb") == 0;
  terminal.colour = (no_color == nullptr || *no_color == '\0') && !dumb;
  terminal.width = reported_width;
  if (terminal.width == 0) terminal.width = ParseColumns(columns);
  if (terminal.width == 0) terminal.width = kDefaultWidth;
  return terminal;
}

Terminal DetectTerminal(int fd) {
  const bool is_terminal = ::isatty(fd) == 1;
  winsize size{};
  const std::size_t reported = is_terminal && ::ioctl(fd, TIOCGWINSZ, &size) == 0 ? size.ws_col : 0;
  return DescribeTerminal(is_terminal, reported, std::getenv("NO_COLOR"), std::getenv("TERM"),
                          std::getenv("COLUMNS"));
}

}  // namespace sitrep::cli
