#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "bench/binary_copy.h"
#include "sitrep/v1/records.pb.h"

namespace sitrep::bench {

// The incidents a bulk load writes (incident_loader.h): what one national collector would have
// reported over the last weeks. Row `index` (from 0) is a pure function of the spec and the
// index, so a load that stops and is topped up later writes the same rows as one that ran
// through, whichever chunk makes them.
struct LoadRowSpec {
  uint64_t seed = 1;
  // The rows the whole load will hold: receive times are spread evenly over `spread` by index,
  // so that the feed (commit order) and receive time run together as they do in production.
  uint64_t total = 0;
  std::chrono::system_clock::time_point now;
  std::chrono::hours spread{24 * 60};
};

// One generated row: the incident as a collector would push it, and the time the server
// received it (receive_time is output only, so it is not in the message).
struct LoadRow {
  v1::Incident incident;
  std::chrono::system_clock::time_point received;
};

// External ids are kLoadExternalIdPrefix + index, unique for the loading principal.
inline constexpr const char* kLoadExternalIdPrefix = "load-";

// The province of row `index`, drawn with each division's rough share of industrial activity
// (Guangdong about 12 %, Xizang 0.2 %) so that provincial feeds differ in size as they do.
[[nodiscard]] uint32_t LoadProvince(uint64_t seed, uint64_t index);

// Row `index`: sitrep-collector's demo incident (categories, severities weighted toward IV and
// III, sectors, Chinese and English titles, indicators, CVEs, ~700 bytes) in LoadProvince's
// province, received at now − spread × (1 − (index + ½) / total), occurred up to six hours (a live
// feed, collector::kLiveFeedOccurWithin) and detected up to two days (never after receipt) before
// that.
[[nodiscard]] LoadRow MakeLoadRow(const LoadRowSpec& spec, uint64_t index);

// Appends rows [first, first + count) as binary COPY rows of incident_copy_row.h's columns,
// reported by `reporter_id`.
void AppendLoadRows(BinaryCopyEncoder& encoder, const LoadRowSpec& spec, uint64_t first,
                    uint64_t count, int64_t reporter_id);

}  // namespace sitrep::bench
