#include "collector/advisories_importer.h"

#include <charconv>
#include <chrono>
#include <fstream>
#include <stdexcept>

#include "collector/advisory_fields.h"
#include "collector/utf8_text.h"
#include "domain/record_checks.h"
#include "domain/time_convert.h"

namespace sitrep::collector {
namespace {

constexpr size_t kChunkRecords = 1000;
constexpr const char* kAttribution =
    "ICS Advisory Project, https://github.com/icsadvprj/ICS-Advisory-Project (ODbL 1.0)";
const std::vector<std::string> kRequiredColumns = {"icsad_ID", "ICS-CERT_Number", "Vendor",
                                                   "Product", "CVE_Number"};

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

}  // namespace

AdvisoriesSource::AdvisoriesSource(const std::filesystem::path& path, InputProgress start,
                                   ExposureRules rules)
    : AdvisoriesSource(path.string(), std::make_unique<std::ifstream>(path, std::ios::binary),
                       start, std::move(rules)) {}

AdvisoriesSource::AdvisoriesSource(std::string name, std::unique_ptr<std::istream> in,
                                   InputProgress start, ExposureRules rules)
    : name_(std::move(name)), rules_(std::move(rules)), in_(std::move(in)) {
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
  uint64_t offset = header_reader.offset();
  uint64_t line = header_reader.line();
  if (start.offset > offset) {
    in_->clear();
    in_->seekg(static_cast<std::streamoff>(start.offset));
    offset = start.offset;
    line = start.line;
  }
  reader_ = std::make_unique<CsvReader>(*in_, offset, line);
  done_ = start.complete;
}

const std::string& AdvisoriesSource::Column(const std::vector<std::string>& row,
                                            const std::string& name) const {
  static const std::string kEmpty;
  const auto column = columns_.find(name);
  return column == columns_.end() ? kEmpty : row[column->second];
}

std::optional<std::string> AdvisoriesSource::ToAsset(const std::vector<std::string>& row,
                                                     v1::Asset& asset,
                                                     std::vector<std::string>& warnings) const {
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
  const std::string id = CleanLine(Column(row, "icsad_ID"), 20);
  const std::string advisory = CleanLine(Column(row, "ICS-CERT_Number"), 40);
  if (id.empty() || advisory.empty()) return "icsad_ID or ICS-CERT_Number is empty";
  asset.set_vendor(CleanLine(Column(row, "Vendor"), kMaxAssetTextChars));
  asset.set_product(CleanLine(Column(row, "Product"), kMaxAssetTextChars));
  if (asset.vendor().empty() && asset.product().empty()) return "neither Vendor nor Product";

  asset.set_asset_key("icsadv:" + advisory + ":" + id);
  asset.set_type(AssetTypeFromProduct(asset.product()));
  asset.set_sector(SectorFromCisaSectors(Column(row, "Critical_Infrastructure_Sector")));
  const CveList cves = ParseCveList(Column(row, "CVE_Number"));
  for (const std::string& cve : cves.ids) asset.add_cve_ids(cve);
  if (cves.dropped > 0) {
    warnings.push_back(std::to_string(cves.dropped) + " invalid CVE token(s) dropped from \"" +
                       CleanLine(Column(row, "CVE_Number"), 200) + "\"");
  }
  if (cves.truncated > 0) {
    warnings.push_back(std::to_string(cves.truncated) + " CVE id(s) beyond the first " +
                       std::to_string(kMaxCveIds) + " dropped");
  }
  std::optional<std::chrono::sys_days> seen = ParseUsDate(Column(row, "Last_Updated"));
  if (!seen) seen = ParseUsDate(Column(row, "Original_Release_Date"));
  if (seen) *asset.mutable_last_seen_time() = ToTimestamp(*seen);

  auto& attributes = *asset.mutable_attributes();
  attributes["advisory"] = advisory;
  attributes["source"] = kAttribution;
  const auto put = [&](const char* key, const std::string& column) {
    std::string value = CleanLine(Column(row, column), kMaxAttributeValueChars);
    if (!value.empty()) attributes[key] = std::move(value);
  };
  put("title", "ICS-CERT_Advisory_Title");
  put("products_affected", "Products_Affected");
  put("cvss", "Cumulative_CVSS");
  put("cvss_severity", "CVSS_Severity");
  SynthesizeExposure(asset.asset_key(), rules_, asset);
  return std::nullopt;
}

bool AdvisoriesSource::Next(ImportChunk& chunk) {
  chunk.Clear();
  if (done_) return false;
  std::vector<std::string> row;
  std::string error;
  while (chunk.records.size() < kChunkRecords) {
    const CsvReader::Result result = reader_->Next(row, error);
    if (result == CsvReader::Result::kEnd) {
      done_ = true;
      chunk.progress.complete = true;
      break;
    }
    const std::string where = name_ + ":" + std::to_string(reader_->record_line()) + ": ";
    if (result == CsvReader::Result::kError) {
      chunk.errors.push_back(where + error);
      continue;
    }
    if (row.size() == 1 && row[0].empty()) continue;  // a blank line
    v1::Record record;
    std::vector<std::string> warnings;
    if (std::optional<std::string> skipped = ToAsset(row, *record.mutable_asset(), warnings)) {
      chunk.errors.push_back(where + *skipped);
      continue;
    }
    for (const std::string& warning : warnings) chunk.warnings.push_back(where + warning);
    chunk.records.push_back(std::move(record));
  }
  chunk.progress.offset = reader_->offset();
  chunk.progress.line = reader_->line();
  return true;
}

}  // namespace sitrep::collector
