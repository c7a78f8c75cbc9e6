#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "collector/record_source.h"

namespace sitrep::collector {

// One CSAF 2.0 advisory file (csaf-ics-2023/, csaf-ics-2024/) as one record: an advisory whose
// csaf_document is the file's bytes, unchanged. The server reads the document (vulns/csaf.h);
// the collector's preflight (record_preflight.h) checks it with the same parser first, so a
// document the server would refuse is refused locally in the same words. A file larger than
// vulns::kMaxCsafBytes or unreadable is an input error.
class CsafSource final : public RecordSource {
 public:
  explicit CsafSource(std::filesystem::path path);
  [[nodiscard]] bool Next(ImportChunk& chunk) override;

 private:
  const std::filesystem::path path_;
  bool done_ = false;
};

// The CSAF files of `input`: the file itself, or every *.json directly inside a folder, sorted
// by name.
[[nodiscard]] std::vector<std::filesystem::path> CsafFiles(const std::filesystem::path& input);

}  // namespace sitrep::collector
