#pragma once

#include <google/protobuf/message.h>

#include <functional>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "cli/table.h"

namespace sitrep::cli {

// Returns `message` as one line of JSON without a newline, as protobuf's JSON mapping writes
// it with proto field names and every field present (zeros and empty strings included), so
// that scripts (jq) see a stable set of keys.
[[nodiscard]] std::string JsonLine(const google::protobuf::Message& message);

// One column of a record's table: its header, how to show a record's value in it and,
// optionally, the ANSI colour of that value on a terminal (see Table::AddRow; "" for none).
template <typename Record>
struct Column {
  using Text = std::function<std::string(const Record&)>;

  // A constructor rather than a default member initializer: GCC 12 crashes on the latter in
  // this template when columns are brace-initialised.
  Column(std::string header_text, Text text_of, Text colour_of = nullptr)
      : header(std::move(header_text)), text(std::move(text_of)), colour(std::move(colour_of)) {}

  std::string header;
  Text text;
  Text colour;
};

template <typename Record>
using Columns = std::vector<Column<Record>>;

// A flag's cell: "yes" or "no".
[[nodiscard]] inline std::string YesNo(bool value) { return value ? "yes" : "no"; }

// A list field's cell: `items` (strings) joined by `separator`; "" for none.
template <typename Strings>
[[nodiscard]] std::string Joined(const Strings& items, const char* separator) {
  std::string joined;
  for (const auto& item : items) {
    if (!joined.empty()) joined += separator;
    joined += item;
  }
  return joined;
}

// Adds `record` to `table` as one row of `columns`.
template <typename Record>
void AddRecordRow(Table& table, const Columns<Record>& columns, const Record& record) {
  std::vector<std::string> cells;
  std::vector<std::string> colours;
  for (const Column<Record>& column : columns) {
    cells.push_back(column.text(record));
    colours.push_back(column.colour ? column.colour(record) : std::string());
  }
  table.AddRow(std::move(cells), std::move(colours));
}

// Returns each column's header, in order.
template <typename Record>
std::vector<std::string> HeadersOf(const Columns<Record>& columns) {
  std::vector<std::string> headers;
  for (const Column<Record>& column : columns) headers.push_back(column.header);
  return headers;
}

// Prints `records` (any range of Record): with `json`, one JSON line each; otherwise a table
// with a header line, even when there are no records.
template <typename Record, typename Range>
void PrintRecords(std::ostream& out, bool json, const Columns<Record>& columns,
                  const Range& records) {
  if (json) {
    for (const Record& record : records) out << JsonLine(record) << '\n';
    return;
  }
  Table table(HeadersOf(columns));
  for (const Record& record : records) AddRecordRow(table, columns, record);
  out << table.Render();
}

// Prints one record: with `json`, one JSON line; otherwise one "HEADER  value" line per column,
// where a value holding line breaks goes on over further lines under its first one.
template <typename Record>
void PrintRecord(std::ostream& out, bool json, const Columns<Record>& columns, const Record& record,
                 const TableStyle& style = {}) {
  if (json) {
    out << JsonLine(record) << '\n';
    return;
  }
  Table table({});
  for (const Column<Record>& column : columns) {
    std::string text = column.text(record);
    while (!text.empty() && text.back() == '\n') text.pop_back();
    const std::string colour = column.colour ? column.colour(record) : std::string();
    std::string header = column.header;
    for (std::size_t start = 0;;) {
      const std::size_t end = text.find('\n', start);
      table.AddRow({std::move(header), text.substr(start, end - start)}, {"", colour});
      if (end == std::string::npos) break;
      header.clear();
      start = end + 1;
    }
  }
  out << table.Render(style);
}

// Prints records batch by batch as they arrive (the pages of a feed, the messages of a watch):
// with `json`, one JSON line each; otherwise one table whose header comes with its first row
// and whose columns line up across batches as far as later cells allow. Not thread-safe.
template <typename Record>
class RecordPrinter final {
 public:
  // `out` must outlive the printer. `style` lays the table out; its header and min_widths are
  // managed by the printer.
  RecordPrinter(std::ostream& out, bool json, Columns<Record> columns, TableStyle style)
      : out_(out), json_(json), columns_(std::move(columns)), style_(std::move(style)) {}

  // Prints `records` (any range of Record) after those of earlier calls.
  template <typename Range>
  void Print(const Range& records) {
    if (json_) {
      for (const Record& record : records) out_ << JsonLine(record) << '\n';
      return;
    }
    Table table(HeadersOf(columns_));
    bool any = false;
    for (const Record& record : records) {
      AddRecordRow(table, columns_, record);
      any = true;
    }
    if (!any) return;
    style_.header = !printed_rows_;
    out_ << table.Render(style_);
    style_.min_widths = table.ColumnWidths(style_);
    printed_rows_ = true;
  }

  // Prints the table's header alone when no row came, so that an empty listing still says
  // what it would have shown; nothing with `json`.
  void PrintHeaderIfEmpty() {
    if (json_ || printed_rows_) return;
    out_ << Table(HeadersOf(columns_)).Render(style_);
  }

 private:
  std::ostream& out_;
  const bool json_;
  const Columns<Record> columns_;
  TableStyle style_;
  bool printed_rows_ = false;
};

}  // namespace sitrep::cli
