#pragma once

#include <cstddef>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "collector/record_source.h"
#include "collector/synthetic_exposure.h"

namespace sitrep::collector {

// The largest CSAF document read (CISA's largest ICS advisory is under 1 MiB).
inline constexpr size_t kMaxCsafBytes = size_t{64} << 20;

// The assets of one CSAF 2.0 advisory (csaf-ics-2023/, csaf-ics-2024/): one per affected
// (vendor, product, version) leaf of product_tree whose product_id some vulnerability lists in
// product_status.known_affected.
//
// Mapping: asset_key "csaf:<document.tracking.id>:<product_id>"; vendor, product, version from
// the branch names (trimmed, at most 200 characters); type from the product name; cve_ids of
// the vulnerabilities naming the product (at most 100); sector from the note "Critical
// infrastructure sectors"; last_seen_time = document.tracking.current_release_date;
// attributes advisory, title, product_id, cvss and cvss_severity (the highest CVSS v3 base
// score among those vulnerabilities) and source; province, address, protocol, port and
// exposure from SynthesizeExposure. Appends the assets to chunk.records, "file: what" to
// chunk.errors for a product it skips (or for the whole file when it is not a CSAF document),
// and to chunk.warnings for CVE ids it drops.
void CsafToAssets(const nlohmann::json& document, const std::string& file,
                  const ExposureRules& rules, ImportChunk& chunk);

// One CSAF file as a single chunk.
class CsafSource final : public RecordSource {
 public:
  CsafSource(std::filesystem::path path, ExposureRules rules);
  [[nodiscard]] bool Next(ImportChunk& chunk) override;

 private:
  const std::filesystem::path path_;
  const ExposureRules rules_;
  bool done_ = false;
};

// The CSAF files of `input`: the file itself, or every *.json directly inside a folder, sorted
// by name.
[[nodiscard]] std::vector<std::filesystem::path> CsafFiles(const std::filesystem::path& input);

}  // namespace sitrep::collector
