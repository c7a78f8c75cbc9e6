#pragma once

#include <cstddef>
#include <filesystem>
#include <istream>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "collector/record_source.h"

namespace sitrep::collector {

// The whole index file is read at once (the shipped one is 1.6 MiB).
inline constexpr size_t kMaxAdvisoryIndexBytes = size_t{64} << 20;

// The ICS Advisory Project's master CSV of CISA ICS advisories
// (ics-advisories/CISA_ICS_ADV_Master.csv) as advisory STUBS: advisories known from the index,
// with no CSAF document yet. The server links a stub to its CSAF document by tracking id: a
// document pushed later replaces the stub, a stub never replaces a document.
//
// The CSV has one row per product; the rows of one ICS-CERT_Number (not always adjacent) make
// one stub, in the order of their first row. Mapping: tracking_id ICS-CERT_Number; title
// ICS-CERT_Advisory_Title (at most 1,000 characters); vendors and products the distinct Vendor
// and Product values (each at most 300 characters, at most 200 of each); published_time
// Original_Release_Date (M/D/YYYY, UTC); url the advisory's page on cisa.gov, derived from the
// number (https://www.cisa.gov/news-events/ics-advisories/<number in lower case>). A row with
// the wrong number of fields, bytes that are not UTF-8 or no ICS-CERT_Number is skipped with an
// error naming its line.
class AdvisoriesSource final : public RecordSource {
 public:
  // Opens `path` and reads its header. Throws std::runtime_error when the file cannot be read
  // or its header lacks a column the mapping needs.
  explicit AdvisoriesSource(const std::filesystem::path& path);
  // The same over a stream already open (`name` prefixes errors), e.g. a CSV in memory.
  AdvisoriesSource(std::string name, std::unique_ptr<std::istream> in);

  // One chunk with every stub of the file.
  [[nodiscard]] bool Next(ImportChunk& chunk) override;

 private:
  // Adds one row to its stub; returns the error sentence when the row is skipped.
  std::optional<std::string> AddRow(const std::vector<std::string>& row);
  [[nodiscard]] const std::string& Column(const std::vector<std::string>& row,
                                          const std::string& name) const;

  const std::string name_;
  std::unique_ptr<std::istream> in_;
  std::map<std::string, size_t> columns_;  // header name → index
  size_t column_count_ = 0;
  uint64_t header_offset_ = 0;
  uint64_t header_line_ = 0;
  std::vector<v1::Record> stubs_;
  std::map<std::string, size_t> stub_of_;  // tracking id → index in stubs_
  bool done_ = false;
};

}  // namespace sitrep::collector
