#include "collector/csaf_importer.h"

#include <algorithm>
#include <fstream>
#include <iterator>

#include "vulns/csaf.h"

namespace sitrep::collector {

CsafSource::CsafSource(std::filesystem::path path) : path_(std::move(path)) {}

bool CsafSource::Next(ImportChunk& chunk) {
  chunk.Clear();
  if (done_) return false;
  done_ = true;
  chunk.progress.complete = true;
  chunk.progress.line = 1;
  std::ifstream file(path_, std::ios::binary);
  if (!file) {
    chunk.errors.push_back(path_.string() + ": cannot read");
    return true;
  }
  // One byte past the limit tells a file over it without reading all of a huge one.
  std::string bytes;
  bytes.resize(vulns::kMaxCsafBytes + 1);
  file.read(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  bytes.resize(static_cast<size_t>(file.gcount()));
  if (bytes.size() > vulns::kMaxCsafBytes) {
    chunk.errors.push_back(path_.string() + ": larger than " +
                           std::to_string(vulns::kMaxCsafBytes) +
                           " bytes, the most a CSAF document may be");
    return true;
  }
  v1::Record record;
  record.mutable_advisory()->set_csaf_document(std::move(bytes));
  chunk.records.push_back(std::move(record));
  return true;
}

std::vector<std::filesystem::path> CsafFiles(const std::filesystem::path& input) {
  if (!std::filesystem::is_directory(input)) return {input};
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(input)) {
    if (entry.path().extension() == ".json" && !entry.is_directory()) {
      files.push_back(entry.path());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace sitrep::collector
