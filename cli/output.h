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

// One column of a record's table: its header and how to show a record's value in it.
template <typename Record>
struct Column {
  std::string header;
  std::function<std::string(const Record&)> text;
};

template <typename Record>
using Columns = std::vector<Column<Record>>;

// Prints `records` (any range of Record): with `json`, one JSON line each; otherwise a table
// with a header line, even when there are no records.
template <typename Record, typename Range>
void PrintRecords(std::ostream& out, bool json, const Columns<Record>& columns,
                  const Range& records) {
  if (json) {
    for (const Record& record : records) out << JsonLine(record) << '\n';
    return;
  }
  std::vector<std::string> headers;
  for (const Column<Record>& column : columns) headers.push_back(column.header);
  Table table(std::move(headers));
  for (const Record& record : records) {
    std::vector<std::string> cells;
    for (const Column<Record>& column : columns) cells.push_back(column.text(record));
    table.AddRow(std::move(cells));
  }
  out << table.Render();
}

// Prints one record: with `json`, one JSON line; otherwise one "HEADER  value" line per column.
template <typename Record>
void PrintRecord(std::ostream& out, bool json, const Columns<Record>& columns,
                 const Record& record) {
  if (json) {
    out << JsonLine(record) << '\n';
    return;
  }
  Table table({});
  for (const Column<Record>& column : columns) table.AddRow({column.header, column.text(record)});
  out << table.Render();
}

}  // namespace sitrep::cli
