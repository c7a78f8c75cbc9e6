#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "sitrep/v1/records.pb.h"

namespace sitrep::testing {

// A valid incident of `province` that happened an hour before `now`, for tests to break.
[[nodiscard]] v1::Incident SampleIncident(const std::string& external_id, uint32_t province,
                                          std::chrono::system_clock::time_point now);

// A valid internet-exposed Modbus PLC of `province`, seen an hour before `now`.
[[nodiscard]] v1::Asset SampleAsset(const std::string& asset_key, uint32_t province,
                                    std::chrono::system_clock::time_point now);

}  // namespace sitrep::testing
