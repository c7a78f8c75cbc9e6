#pragma once

#include <cstddef>
#include <filesystem>
#include <istream>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "collector/csv_reader.h"
#include "collector/record_source.h"
#include "collector/synthetic_exposure.h"

namespace sitrep::collector {

// The ICS Advisory Project's master CSV of CISA ICS advisories
// (ics-advisories/CISA_ICS_ADV_Master.csv): one asset per row, for vulnerability reference.
//
// Mapping: asset_key "icsadv:<ICS-CERT_Number>:<icsad_ID>"; vendor, product (trimmed, at most
// 200 characters); type from the product name; cve_ids from CVE_Number ("CVE-NA" skipped,
// invalid tokens dropped with a warning, at most 100); sector from
// Critical_Infrastructure_Sector; last_seen_time from Last_Updated (M/D/YYYY, UTC);
// attributes advisory, title, products_affected, cvss, cvss_severity and source (the ODbL
// attribution the data set requires); province, address, protocol, port and exposure from
// SynthesizeExposure. A row with the wrong number of fields, bytes that are not UTF-8, or
// neither vendor nor product is skipped with an error.
class AdvisoriesSource final : public RecordSource {
 public:
  // Opens `path` and reads its header; resumes at `start`. Throws std::runtime_error when the
  // file cannot be read or its header lacks a column the mapping needs.
  AdvisoriesSource(const std::filesystem::path& path, InputProgress start, ExposureRules rules);
  // The same over a stream already open (`name` prefixes errors), e.g. a CSV in memory.
  AdvisoriesSource(std::string name, std::unique_ptr<std::istream> in, InputProgress start,
                   ExposureRules rules);

  [[nodiscard]] bool Next(ImportChunk& chunk) override;

 private:
  // Turns one row into an asset; returns the error sentence when the row is skipped.
  std::optional<std::string> ToAsset(const std::vector<std::string>& row, v1::Asset& asset,
                                     std::vector<std::string>& warnings) const;
  [[nodiscard]] const std::string& Column(const std::vector<std::string>& row,
                                          const std::string& name) const;

  const std::string name_;
  const ExposureRules rules_;
  std::unique_ptr<std::istream> in_;
  std::map<std::string, size_t> columns_;  // header name → index
  size_t column_count_ = 0;
  std::unique_ptr<CsvReader> reader_;
  bool done_ = false;
};

}  // namespace sitrep::collector
