#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "domain/principal.h"
#include "sitrep/v1/ingest.pb.h"
#include "sitrep/v1/records.pb.h"

namespace sitrep::ingest {

// A batch whose records passed every check that needs no database, ready for the writer.
struct PreparedBatch {
  Principal caller;
  uint64_t sequence = 0;
  std::vector<v1::Incident> incidents;
  std::vector<uint32_t> incident_indices;  // each incident's index in the pushed batch
  std::vector<v1::Asset> assets;
  std::vector<uint32_t> asset_indices;
  std::vector<v1::Rejection> rejections;  // records refused before the database
  size_t bytes = 0;                       // what the batch holds in memory, roughly
};

struct KindCounts {
  uint32_t accepted = 0;
  uint32_t duplicates = 0;
  uint32_t rejected = 0;
};

// A batch once committed: its ack and what the metrics count.
struct BatchResult {
  v1::PushAck ack;
  KindCounts incidents;
  KindCounts assets;
  // Per prepared incident, in order: the stored id, or 0 (duplicate or rejected).
  std::vector<int64_t> incident_ids;
};

}  // namespace sitrep::ingest
