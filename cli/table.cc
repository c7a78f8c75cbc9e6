#include "cli/table.h"

#include <algorithm>
#include <cstdint>
#include <utility>

namespace sitrep::cli {
namespace {

struct Range {
  char32_t first;
  char32_t last;
};

// East Asian Width W and F ranges (Unicode 15, condensed as in Markus Kuhn's wcwidth): enough
// for the Chinese enterprise names and descriptions this client shows.
constexpr Range kWide[] = {
    {0x1100, 0x115F},   {0x231A, 0x231B},   {0x2329, 0x232A},   {0x23E9, 0x23EC},
    {0x23F0, 0x23F0},   {0x23F3, 0x23F3},   {0x25FD, 0x25FE},   {0x2614, 0x2615},
    {0x2648, 0x2653},   {0x267F, 0x267F},   {0x2693, 0x2693},   {0x26A1, 0x26A1},
    {0x26AA, 0x26AB},   {0x26BD, 0x26BE},   {0x26C4, 0x26C5},   {0x26CE, 0x26CE},
    {0x26D4, 0x26D4},   {0x26EA, 0x26EA},   {0x26F2, 0x26F3},   {0x26F5, 0x26F5},
    {0x26FA, 0x26FA},   {0x26FD, 0x26FD},   {0x2705, 0x2705},   {0x270A, 0x270B},
    {0x2728, 0x2728},   {0x274C, 0x274C},   {0x274E, 0x274E},   {0x2753, 0x2755},
    {0x2757, 0x2757},   {0x2795, 0x2797},   {0x27B0, 0x27B0},   {0x27BF, 0x27BF},
    {0x2B1B, 0x2B1C},   {0x2B50, 0x2B50},   {0x2B55, 0x2B55},   {0x2E80, 0x303E},
    {0x3041, 0x33FF},   {0x3400, 0x4DBF},   {0x4E00, 0x9FFF},   {0xA000, 0xA4CF},
    {0xA960, 0xA97F},   {0xAC00, 0xD7A3},   {0xF900, 0xFAFF},   {0xFE10, 0xFE19},
    {0xFE30, 0xFE6F},   {0xFF00, 0xFF60},   {0xFFE0, 0xFFE6},   {0x16FE0, 0x16FE4},
    {0x17000, 0x18CFF}, {0x1B000, 0x1B2FF}, {0x1F004, 0x1F004}, {0x1F0CF, 0x1F0CF},
    {0x1F18E, 0x1F18E}, {0x1F191, 0x1F19A}, {0x1F200, 0x1F251}, {0x1F300, 0x1F64F},
    {0x1F680, 0x1F6FF}, {0x1F7E0, 0x1F7EB}, {0x1F90C, 0x1F9FF}, {0x1FA70, 0x1FAFF},
    {0x20000, 0x2FFFD}, {0x30000, 0x3FFFD},
};

// Combining marks, zero-width spaces and joiners, variation selectors: drawn on the previous
// character, so they add no column.
constexpr Range kZeroWidth[] = {
    {0x0300, 0x036F}, {0x0483, 0x0489},   {0x0591, 0x05BD}, {0x0610, 0x061A}, {0x064B, 0x065F},
    {0x1AB0, 0x1AFF}, {0x1DC0, 0x1DFF},   {0x200B, 0x200F}, {0x202A, 0x202E}, {0x2060, 0x2064},
    {0x20D0, 0x20FF}, {0x302A, 0x302D},   {0x3099, 0x309A}, {0xFE00, 0xFE0F}, {0xFE20, 0xFE2F},
    {0xFEFF, 0xFEFF}, {0xE0100, 0xE01EF},
};

template <std::size_t N>
bool InRanges(const Range (&ranges)[N], char32_t c) {
  // The tables are sorted, so a binary search finds the only range that can hold c.
  const Range* it =
      std::upper_bound(std::begin(ranges), std::end(ranges), c,
                       [](char32_t value, const Range& r) { return value < r.first; });
  return it != std::begin(ranges) && c <= (it - 1)->last;
}

int CodePointWidth(char32_t c) {
  if (c < 0x20 || (c >= 0x7F && c < 0xA0)) return 0;
  if (InRanges(kZeroWidth, c)) return 0;
  return InRanges(kWide, c) ? 2 : 1;
}

// Decodes the code point at text[i] into c and advances i past it; on malformed input advances
// one byte and returns false.
bool DecodeUtf8(std::string_view text, std::size_t& i, char32_t& c) {
  const auto byte = [&](std::size_t k) { return static_cast<std::uint8_t>(text[k]); };
  const std::uint8_t lead = byte(i);
  std::size_t length;
  char32_t min;
  if (lead < 0x80) {
    c = lead;
    ++i;
    return true;
  } else if ((lead & 0xE0) == 0xC0) {
    length = 2, c = lead & 0x1F, min = 0x80;
  } else if ((lead & 0xF0) == 0xE0) {
    length = 3, c = lead & 0x0F, min = 0x800;
  } else if ((lead & 0xF8) == 0xF0) {
    length = 4, c = lead & 0x07, min = 0x10000;
  } else {
    ++i;
    return false;
  }
  if (i + length > text.size()) {
    ++i;
    return false;
  }
  for (std::size_t k = 1; k < length; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) {
      ++i;
      return false;
    }
    c = (c << 6) | (byte(i + k) & 0x3F);
  }
  if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) {
    ++i;
    return false;
  }
  i += length;
  return true;
}

std::string WithoutControlCharacters(std::string cell) {
  for (char& c : cell) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte == 0x7F) c = ' ';
  }
  return cell;
}

}  // namespace

std::size_t DisplayWidth(std::string_view text) {
  std::size_t width = 0;
  for (std::size_t i = 0; i < text.size();) {
    char32_t c;
    width += DecodeUtf8(text, i, c) ? CodePointWidth(c) : 1;
  }
  return width;
}

std::string TruncateToWidth(std::string_view text, std::size_t width) {
  if (DisplayWidth(text) <= width) return std::string(text);
  if (width == 0) return std::string();
  std::size_t used = 0;
  std::size_t end = 0;
  for (std::size_t i = 0; i < text.size();) {
    char32_t c;
    const std::size_t width_of_next = DecodeUtf8(text, i, c) ? CodePointWidth(c) : 1;
    // Stop before a character (wide ones take two columns) that would leave no room for "…".
    if (used + width_of_next > width - 1) break;
    used += width_of_next;
    end = i;
  }
  return std::string(text.substr(0, end)) + "…";
}

Table::Table(std::vector<std::string> headers) : headers_(std::move(headers)) {
  for (std::string& header : headers_) header = WithoutControlCharacters(std::move(header));
}

void Table::AddRow(std::vector<std::string> cells, std::vector<std::string> colours) {
  for (std::string& cell : cells) cell = WithoutControlCharacters(std::move(cell));
  rows_.push_back({std::move(cells), std::move(colours)});
}

std::vector<std::size_t> Table::ColumnWidths(const TableStyle& style) const {
  std::vector<std::size_t> widths = style.min_widths;
  const auto widen = [&widths](const std::vector<std::string>& cells) {
    if (cells.size() > widths.size()) widths.resize(cells.size(), 0);
    for (std::size_t col = 0; col < cells.size(); ++col) {
      widths[col] = std::max(widths[col], DisplayWidth(cells[col]));
    }
  };
  if (style.header) widen(headers_);
  for (const Row& row : rows_) widen(row.cells);

  if (style.max_line_width == 0 || style.fit_column >= widths.size()) return widths;
  std::size_t line_width = 2 * (widths.size() - 1);
  for (const std::size_t width : widths) line_width += width;
  if (line_width > style.max_line_width) {
    std::size_t& fit = widths[style.fit_column];
    const std::size_t excess = line_width - style.max_line_width;
    const std::size_t floor = std::min(fit, kMinFitWidth);
    fit = fit > excess ? std::max(floor, fit - excess) : floor;
  }
  return widths;
}

std::string Table::Render(const TableStyle& style) const {
  const std::vector<std::size_t> widths = ColumnWidths(style);
  const bool cut = style.max_line_width > 0;
  static const std::vector<std::string> kNoColours;

  std::string text;
  const auto render = [&](const std::vector<std::string>& cells,
                          const std::vector<std::string>& colours) {
    std::string line;
    for (std::size_t col = 0; col < cells.size(); ++col) {
      if (col > 0) line += "  ";
      const std::string cell =
          cut && col == style.fit_column ? TruncateToWidth(cells[col], widths[col]) : cells[col];
      const bool coloured =
          style.colour && col < colours.size() && !colours[col].empty() && !cell.empty();
      if (coloured) line += "\x1b[" + colours[col] + "m";
      line += cell;
      if (coloured) line += "\x1b[0m";
      line.append(widths[col] - std::min(widths[col], DisplayWidth(cell)), ' ');
    }
    // Padding of the last columns (or of empty trailing cells) is noise when copying output.
    line.erase(line.find_last_not_of(' ') + 1);
    text += line;
    text += '\n';
  };
  if (style.header && !headers_.empty()) render(headers_, kNoColours);
  for (const Row& row : rows_) render(row.cells, row.colours);
  return text;
}

}  // namespace sitrep::cli
