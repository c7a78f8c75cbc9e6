#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "collector/record_source.h"

namespace sitrep::collector {

inline constexpr size_t kMaxAttackBundleBytes = size_t{256} << 20;

// The incidents of a MITRE ATT&CK for ICS STIX 2.1 bundle (attack-ics/ics-attack-*.json): one
// per campaign that is neither revoked nor deprecated.
//
// Mapping: external_id = the campaign's ATT&CK id (C0028); title = name; description = the
// campaign's description without Markdown links and "(Citation: ...)" marks; occur_time =
// first_seen, detect_time = last_seen (first_seen when absent or earlier); category MALWARE
// when the campaign uses a malware object, else NETWORK_ATTACK; severity I for an attack on
// power transmission, II for other power-grid attacks, III otherwise; sector petrochemical
// (Triton, safety instrumented systems), energy (power, electric, heating), water, else
// other; attack_technique_ids = the T0xxx ids of the attack-patterns it uses; TLP CLEAR,
// sharing PUBLIC; province = `province`, else spread by the ATT&CK id; attributes attack_id,
// url, malware, source. Adds "file: what" to chunk.errors for a campaign it skips.
void AttackToIncidents(const nlohmann::json& bundle, const std::string& file,
                       std::optional<uint32_t> province, ImportChunk& chunk);

// One bundle file as a single chunk.
class AttackSource final : public RecordSource {
 public:
  AttackSource(std::filesystem::path path, std::optional<uint32_t> province);
  [[nodiscard]] bool Next(ImportChunk& chunk) override;

 private:
  const std::filesystem::path path_;
  const std::optional<uint32_t> province_;
  bool done_ = false;
};

}  // namespace sitrep::collector
