#pragma once

#include <optional>
#include <string_view>

namespace sitrep::bench {

// The value of the first sample named exactly `name` (with or without labels) in a Prometheus
// text exposition (format 0.0.4), e.g. process_resident_memory_bytes. nullopt when there is
// no such sample or its value is not a number. Comments (# HELP, # TYPE) are skipped, and a
// name that merely starts with `name` (process_resident_memory_bytes_max) does not match.
[[nodiscard]] std::optional<double> ParseSampleValue(std::string_view exposition,
                                                     std::string_view name);

}  // namespace sitrep::bench
