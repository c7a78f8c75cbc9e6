#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "sitrep/v1/records.pb.h"

namespace sitrep::collector {

// Vocabulary shared by the advisory importers (csaf, advisories): CISA's words mapped to
// sitrep's codes.

// The asset type a product name suggests ("ControlLogix 5580" → PLC, "PanelView" → HMI,
// "WinCC" → SCADA, "RTU560" → RTU, "MGate gateway" → GATEWAY, ...); ASSET_TYPE_OTHER when no
// keyword matches.
[[nodiscard]] v1::AssetType AssetTypeFromProduct(std::string_view product);

// The sitrep sector code of a CISA critical-infrastructure sector list separated by ',' or ';'
// ("Critical Manufacturing; Energy" → the first that maps, here "general_equipment"); "other"
// when none maps ("Multiple", "Commercial Facilities").
[[nodiscard]] std::string SectorFromCisaSectors(std::string_view sectors);

struct CveList {
  std::vector<std::string> ids;  // valid, distinct, in order of appearance
  size_t dropped = 0;            // tokens that are not CVE ids ("CVE-NA" is not counted)
  size_t truncated = 0;          // valid ids beyond the per-record limit of 100
};

// The CVE ids of a free-text list such as "CVE-2024-1234, CVE-2024-5678." (separators ',',
// ';' and whitespace; a trailing '.' is forgiven).
[[nodiscard]] CveList ParseCveList(std::string_view text);

// Adds `id` to `list` unless present, invalid or over the limit (counting as ParseCveList does).
void AddCveId(std::string_view id, CveList& list);

}  // namespace sitrep::collector
