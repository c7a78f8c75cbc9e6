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

// Returns `text` whole when it fits in `width` columns, else its longest prefix of whole
// characters that fits in `width` - 1 columns followed by "…" (one column); "" for width 0.
[[nodiscard]] std::string TruncateToWidth(std::string_view text, std::size_t width);

// How Table::Render() lays a table out. The defaults print every cell whole and plain, under
// the header line.
struct TableStyle {
  bool header = true;   // print the header line (off for later batches of a streamed listing)
  bool colour = false;  // wrap styled cells in their ANSI colour (for a terminal only)
  // When non-zero, lines are kept within this many columns by cutting the cells of
  // `fit_column` (see TruncateToWidth), to no fewer than kMinFitWidth columns: lines whose
  // other columns are wider than that stay longer.
  std::size_t max_line_width = 0;
  std::size_t fit_column = 0;
  // Each column is at least this wide: passing the widths of an earlier batch of the same
  // listing keeps its later batches in line with it as far as their cells allow.
  std::vector<std::size_t> min_widths;
};

// A column that gives way to the terminal's width keeps at least this many columns.
inline constexpr std::size_t kMinFitWidth = 16;

// A table for people: columns left-aligned by display width, separated by two spaces, without
// trailing spaces. Control characters in cells (newlines, tabs, escape sequences) are shown as
// spaces, so that a record's text can neither break the layout nor drive the terminal.
class Table final {
 public:
  // An empty `headers` makes a table without a header line (e.g. a "field  value" listing).
  explicit Table(std::vector<std::string> headers);

  // Adds a row; missing trailing cells are empty, cells beyond the header count are kept.
  // `colours` optionally gives, per cell, the parameters of an ANSI SGR sequence ("31" for
  // red, "1;33" for bold yellow; "" for none) that Render() uses when TableStyle::colour is on.
  void AddRow(std::vector<std::string> cells, std::vector<std::string> colours = {});

  // Returns the width of each column as Render(style) lays it out.
  [[nodiscard]] std::vector<std::size_t> ColumnWidths(const TableStyle& style) const;

  // Returns the table as text, one '\n'-terminated line per row (the header first).
  [[nodiscard]] std::string Render(const TableStyle& style = {}) const;

 private:
  struct Row {
    std::vector<std::string> cells;
    std::vector<std::string> colours;
  };

  std::vector<std::string> headers_;
  std::vector<Row> rows_;
};

}  // namespace sitrep::cli
