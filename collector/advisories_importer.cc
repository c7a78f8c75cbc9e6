#include "collector/advisories_importer.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <chrono>
#include <fstream>
#include <stdexcept>

#include "collector/csv_reader.h"
#include "collector/utf8_text.h"
#include "domain/time_convert.h"

namespace sitrep::collector {
namespace {

// The server's limits of a stub (ingest/advisory_checks.cc): longer values are cut here rather
// than losing the whole advisory there.
constexpr size_t kMaxTrackingIdChars = 128;
constexpr size_t kMaxTitleChars = 1000;
constexpr size_t kMaxNameChars = 300;
constexpr int kMaxNames = 200;
const std::vector<std::string> kRequiredColumns = {"ICS-CERT_Number", "ICS-CERT_Advisory_Title",
                                                   "Vendor", "Product", "Original_Release_Date"};

// "8/20/2026" as midnight UTC; nullopt for anything else.
std::optional<std::chrono::sys_days> ParseUsDate(std::string_view text) {
  unsigned parts[3] = {0, 0, 0};
  const char* at = text.data();
  const char* const end = text.data() + text.size();
  for (int i = 0; i < 3; ++i) {
    const auto [next, error] = std::from_chars(at, end, parts[i]);
    if (error != std::errc() || (i < 2 && (next == end || *next != '/'))) return std::nullopt;
    at = i < 2 ? next + 1 : next;
  }
  if (at != end) return std::nullopt;
  // Far inside the years a nanosecond system_clock holds (1678-2262), which ToTimestamp needs.
  if (parts[2] < 1900 || parts[2] > 2200) return std::nullopt;
  const std::chrono::year_month_day date{std::chrono::year(static_cast<int>(parts[2])),
                                         std::chrono::month(parts[0]), std::chrono::day(parts[1])};
  if (!date.ok()) return std::nullopt;
  return std::chrono::sys_days(date);
}

void AddName(google::protobuf::RepeatedPtrField<std::string>& names, std::string name) {
  if (name.empty() || names.size() >= kMaxNames ||
      std::find(names.begin(), names.end(), name) != names.end()) {
    return;
  }
  names.Add(std::move(name));
}

std::string PageOf(const std::string& tracking_id) {
  std::string lower = tracking_id;
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return "https://www.cisa.gov/news-events/ics-advisories/" + lower;
}

}  // namespace

AdvisoriesSource::AdvisoriesSource(const std::filesystem::path& path)
    : AdvisoriesSource(path.string(), std::make_unique<std::ifstream>(path, std::ios::binary)) {}

AdvisoriesSource::AdvisoriesSource(std::string name, std::unique_ptr<std::istream> in)
    : name_(std::move(name)), in_(std::move(in)) {
  if (!*in_) throw std::runtime_error("cannot read " + name_);
  CsvReader header_reader(*in_);
  std::vector<std::string> header;
  std::string error;
  if (header_reader.Next(header, error) != CsvReader::Result::kRecord) {
    throw std::runtime_error(name_ + ":1: no CSV header" + (error.empty() ? "" : ": " + error));
  }
  if (!header.empty() && header[0].starts_with("\xEF\xBB\xBF")) header[0].erase(0, 3);  // BOM
  for (size_t i = 0; i < header.size(); ++i) columns_.emplace(header[i], i);
  column_count_ = header.size();
  for (const std::string& column : kRequiredColumns) {
    if (!columns_.contains(column)) {
      throw std::runtime_error(name_ + ":1: the header has no " + column + " column");
    }
  }
  header_offset_ = header_reader.offset();
  header_line_ = header_reader.line();
}

const std::string& AdvisoriesSource::Column(const std::vector<std::string>& row,
                                            const std::string& name) const {
  static const std::string kEmpty;
  const auto column = columns_.find(name);
  return column == columns_.end() ? kEmpty : row[column->second];
}

std::optional<std::string> AdvisoriesSource::AddRow(const std::vector<std::string>& row) {
  if (row.size() != column_count_) {
    return "expected " + std::to_string(column_count_) + " fields, found " +
           std::to_string(row.size());
  }
  for (size_t i = 0; i < row.size(); ++i) {
    if (const std::optional<size_t> bad = FirstInvalidUtf8(row[i])) {
      return "invalid UTF-8 in field " + std::to_string(i + 1) + " at byte " +
             std::to_string(*bad + 1);
    }
  }
  const std::string tracking_id = CleanLine(Column(row, "ICS-CERT_Number"), kMaxTrackingIdChars);
  if (tracking_id.empty()) return "ICS-CERT_Number is empty";
  auto [found, added] = stub_of_.emplace(tracking_id, stubs_.size());
  if (added) stubs_.emplace_back();
  v1::Advisory& stub = *stubs_[found->second].mutable_advisory();
  if (added) {
    stub.set_tracking_id(tracking_id);
    stub.set_title(CleanLine(Column(row, "ICS-CERT_Advisory_Title"), kMaxTitleChars));
    stub.set_url(PageOf(tracking_id));
    if (auto released = ParseUsDate(Column(row, "Original_Release_Date"))) {
      *stub.mutable_published_time() = ToTimestamp(*released);
    }
  }
  AddName(*stub.mutable_vendors(), CleanLine(Column(row, "Vendor"), kMaxNameChars));
  AddName(*stub.mutable_products(), CleanLine(Column(row, "Product"), kMaxNameChars));
  return std::nullopt;
}

bool AdvisoriesSource::Next(ImportChunk& chunk) {
  chunk.Clear();
  if (done_) return false;
  done_ = true;
  CsvReader reader(*in_, header_offset_, header_line_);
  std::vector<std::string> row;
  std::string error;
  while (true) {
    const CsvReader::Result result = reader.Next(row, error);
    if (result == CsvReader::Result::kEnd) break;
    if (reader.offset() > kMaxAdvisoryIndexBytes) {
      chunk.errors.push_back(name_ + ": larger than " + std::to_string(kMaxAdvisoryIndexBytes) +
                             " bytes; the rest is not read");
      break;
    }
    const std::string where = name_ + ":" + std::to_string(reader.record_line()) + ": ";
    if (result == CsvReader::Result::kError) {
      chunk.errors.push_back(where + error);
      continue;
    }
    if (row.size() == 1 && row[0].empty()) continue;  // a blank line
    if (std::optional<std::string> skipped = AddRow(row)) chunk.errors.push_back(where + *skipped);
  }
  chunk.records = std::move(stubs_);
  chunk.progress.complete = true;
  chunk.progress.offset = reader.offset();
  chunk.progress.line = reader.line();
  return true;
}

}  // namespace sitrep::collector
