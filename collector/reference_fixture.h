#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "domain/reference_codes.h"
#include "sitrep/v1/records.pb.h"

namespace sitrep::collector {

// Test support: the shared folder beside the repository (the data sets and the reference
// tables), located at build time.
[[nodiscard]] std::filesystem::path SharedDir();

// The ReferenceCodes the server seeds, read from shared/reference/provinces.csv and
// sectors.csv; nullopt when those files are absent.
[[nodiscard]] std::optional<ReferenceCodes> ReferenceCodesFromCsv();

// Every violation CheckIncident / CheckAsset finds in `record`, as "key: field REASON" lines.
[[nodiscard]] std::vector<std::string> ViolationsOf(const v1::Record& record,
                                                    const ReferenceCodes& codes);

}  // namespace sitrep::collector
