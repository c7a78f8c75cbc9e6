#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace sitrep::cli {

// Returns how many terminal columns UTF-8 `text` occupies, as wcwidth() would sum it without
// depending on the locale: East Asian wide and fullwidth characters (Chinese, Japanese, Korean,
// fullwidth forms, most emoji) take 2, combining marks and zero-width characters 0, everything
// else 1. Each byte of malformed UTF-8 counts 1, as terminals show it as one replacement mark.
[[nodiscard]] std::size_t DisplayWidth(std::string_view text);

// A table for people: columns left-aligned by display width, separated by two spaces, without
// trailing spaces. Control characters in cells (newlines, tabs, escape sequences) are shown as
// spaces, so that a record's text can neither break the layout nor drive the terminal.
class Table final {
 public:
  // An empty `headers` makes a table without a header line (e.g. a "field  value" listing).
  explicit Table(std::vector<std::string> headers);

  // Adds a row; missing trailing cells are empty, cells beyond the header count are kept.
  void AddRow(std::vector<std::string> cells);

  // Returns the table as text, one '\n'-terminated line per row (the header first).
  [[nodiscard]] std::string Render() const;

 private:
  std::vector<std::string> headers_;
  std::vector<std::vector<std::string>> rows_;
};

}  // namespace sitrep::cli
