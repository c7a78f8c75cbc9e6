#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "bench/push_stream.h"

namespace sitrep::bench {

// What one Push stream of the ingest benchmark sends, generated before the clock starts.
struct LoadSpec {
  uint64_t seed = 1;  // the demo generator's seed; external ids are "demo-<seed>-i<n>"
  uint64_t records = 0;
  uint32_t batch_size = 500;
  double duplicate_share = 0;
  double invalid_share = 0;
  std::chrono::system_clock::time_point now = std::chrono::system_clock::now();
  // Set: also encode the baseline's COPY rows of the records the server will store, as
  // reported by this principal and received at `now`.
  std::optional<int64_t> copy_reporter_id;
};

struct StreamLoad {
  std::vector<EncodedBatch> batches;  // sequences 1, 2, …
  uint64_t incidents = 0;             // new incidents, valid or not
  uint64_t duplicates = 0;            // verbatim repeats of an earlier record
  uint64_t invalid = 0;               // new incidents with a mistake the server rejects
  // The new valid incidents: what the server accepts, and the baseline copies.
  uint64_t storable = 0;
  std::string copy_rows;  // binary COPY rows of those incidents (without header and trailer)
};

// Generates `spec.records` incidents (no assets, so that the COPY baseline compares like with
// like) with sitrep-collector's DemoGenerator and serializes them into PushBatches of
// spec.batch_size. The COPY rows carry the suffix kCopyExternalIdSuffix on their external ids.
[[nodiscard]] StreamLoad GenerateStreamLoad(const LoadSpec& spec);

inline constexpr const char* kCopyExternalIdSuffix = "-copy";

}  // namespace sitrep::bench
