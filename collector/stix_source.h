#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>

#include "collector/record_source.h"
#include "stix/inbound.h"

namespace sitrep::collector {

// What the objects of a STIX input became, counted for the operator's note.
struct StixTally {
  uint64_t objects = 0;
  uint64_t records = 0;
  uint64_t folded = 0;
  uint64_t rejected = 0;
  std::map<std::string, uint64_t> ignored;  // by STIX type

  // "1826 objects: 0 records, 0 folded into incidents, 0 rejected, 1826 ignored (relationship
  // 1373, attack-pattern 95, …)".
  [[nodiscard]] std::string Summary() const;
};

// Adds the verdicts of one STIX document read from `name` to `chunk`: records to push, rejected
// objects as rejections (reason INVALID_STIX, the verdict's property and message prefixed with
// `name`), and counts everything in `tally`. A document-level error becomes one chunk error.
void AddStixVerdicts(const stix::DocumentVerdicts& verdicts, const std::string& name,
                     ImportChunk& chunk, StixTally& tally);

// --format stix: one STIX 2.1 bundle file (or TAXII envelope saved to a file), as a single chunk
// with a note of what its objects became (docs/stix-inbound.md). Incidents without
// x_sitrep_province get `province`.
class StixBundleSource final : public RecordSource {
 public:
  StixBundleSource(std::filesystem::path path, std::optional<uint32_t> province);
  [[nodiscard]] bool Next(ImportChunk& chunk) override;

 private:
  const std::filesystem::path path_;
  const std::optional<uint32_t> province_;
  bool done_ = false;
};

}  // namespace sitrep::collector
