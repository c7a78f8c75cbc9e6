#include "collector/stix_source.h"

#include <algorithm>
#include <fstream>
#include <vector>

namespace sitrep::collector {

std::string StixTally::Summary() const {
  uint64_t ignored_total = 0;
  std::vector<std::pair<uint64_t, std::string>> by_count;
  for (const auto& [type, count] : ignored) {
    ignored_total += count;
    by_count.emplace_back(count, type);
  }
  std::sort(by_count.begin(), by_count.end(),
            [](const auto& a, const auto& b) { return a.first > b.first; });
  std::string text = std::to_string(objects) + " objects: " + std::to_string(records) +
                     " records, " + std::to_string(folded) + " folded into incidents, " +
                     std::to_string(rejected) + " rejected, " + std::to_string(ignored_total) +
                     " ignored";
  if (!by_count.empty()) {
    text += " (";
    for (size_t i = 0; i < by_count.size(); ++i) {
      text += (i == 0 ? "" : ", ") + by_count[i].second + " " + std::to_string(by_count[i].first);
    }
    text += ")";
  }
  return text;
}

void AddStixVerdicts(const stix::DocumentVerdicts& verdicts, const std::string& name,
                     ImportChunk& chunk, StixTally& tally) {
  if (!verdicts.error.empty()) {
    chunk.errors.push_back(name + ": " + verdicts.error);
    return;
  }
  using Outcome = stix::ObjectVerdict::Outcome;
  for (const stix::ObjectVerdict& verdict : verdicts.objects) {
    ++tally.objects;
    switch (verdict.outcome) {
      case Outcome::kRecord:
        ++tally.records;
        chunk.records.push_back(verdict.record);
        break;
      case Outcome::kFolded:
        ++tally.folded;
        break;
      case Outcome::kIgnored:
        ++tally.ignored[verdict.type];
        break;
      case Outcome::kRejected:
        ++tally.rejected;
        chunk.rejections.push_back(
            {verdict.stix_id, verdict.property, "INVALID_STIX", name + ": " + verdict.message});
        break;
    }
  }
}

StixBundleSource::StixBundleSource(std::filesystem::path path, std::optional<uint32_t> province)
    : path_(std::move(path)), province_(province) {}

bool StixBundleSource::Next(ImportChunk& chunk) {
  chunk.Clear();
  if (done_) return false;
  done_ = true;
  chunk.progress.complete = true;
  chunk.progress.line = 1;
  std::error_code size_error;
  const uintmax_t size = std::filesystem::file_size(path_, size_error);
  if (size_error || size > stix::kMaxStixDocumentBytes) {
    chunk.errors.push_back(path_.string() + (size_error ? ": cannot read: " + size_error.message()
                                                        : ": larger than 256 MiB"));
    return true;
  }
  std::ifstream in(path_, std::ios::binary);
  std::string text(static_cast<size_t>(size), '\0');
  if (!in || !in.read(text.data(), static_cast<std::streamsize>(text.size()))) {
    chunk.errors.push_back(path_.string() + ": cannot read");
    return true;
  }
  std::string error;
  const std::optional<nlohmann::json> document = stix::ParseStixDocument(text, error);
  if (!document) {
    chunk.errors.push_back(path_.string() + ": " + error);
    return true;
  }
  StixTally tally;
  AddStixVerdicts(stix::ConvertDocument(*document, stix::InboundContext{province_}), path_.string(),
                  chunk, tally);
  chunk.notes.push_back(path_.string() + ": " + tally.Summary());
  return true;
}

}  // namespace sitrep::collector
