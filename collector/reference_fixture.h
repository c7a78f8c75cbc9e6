#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "domain/reference_codes.h"
#include "sitrep/v1/records.pb.h"
#include "tests/support/test_data.h"  // TestDataDir, SharedDir, SharedDataPresent

namespace sitrep::collector {

// Test support. The ReferenceCodes the server seeds, read from tests/data/reference/
// provinces.csv and sectors.csv (copies of shared/reference). Throws std::runtime_error when
// they cannot be read, so a test using them fails instead of passing on nothing.
[[nodiscard]] ReferenceCodes ReferenceCodesFromCsv();

// Every violation CheckIncident / CheckAsset finds in `record`, as "key: field REASON" lines.
[[nodiscard]] std::vector<std::string> ViolationsOf(const v1::Record& record,
                                                    const ReferenceCodes& codes);

}  // namespace sitrep::collector
