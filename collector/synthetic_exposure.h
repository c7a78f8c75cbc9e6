#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "collector/protocol_table.h"
#include "sitrep/v1/records.pb.h"

namespace sitrep::collector {

// How the advisory importers invent what a vulnerability database cannot know: where an
// affected product runs. Everything is derived from the record's key alone, so importing the
// same file twice gives the same records (the server then updates instead of adding).
struct ExposureRules {
  std::vector<IcsProtocol> protocols = BuiltInProtocols();  // must not be empty
  std::optional<uint32_t> province;  // the collector's own; unset: spread over all 32
  uint32_t exposed_percent = 30;     // share of assets marked internet_exposed
};

// Sets province, ip (in 198.18.0.0/15, the RFC 2544 benchmarking range: never a real host),
// protocol, port, transport and internet_exposed of `asset` from `key`.
void SynthesizeExposure(std::string_view key, const ExposureRules& rules, v1::Asset& asset);

}  // namespace sitrep::collector
