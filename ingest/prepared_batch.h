#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "domain/principal.h"
#include "google/protobuf/arena.h"
#include "sitrep/v1/ingest.pb.h"
#include "sitrep/v1/records.pb.h"

namespace sitrep::ingest {

// A pushed batch parsed into an arena of its own: its thousands of strings are carved out of a
// few blocks and freed at once, which on the ingest path saves more time than any other
// allocation change.
// Blocks of 16 KiB growing to 256 KiB: a batch of a thousand 700-byte records fills a few.
inline std::unique_ptr<google::protobuf::Arena> MakeBatchArena() {
  google::protobuf::ArenaOptions options;
  options.start_block_size = 16 << 10;
  options.max_block_size = 256 << 10;
  return std::make_unique<google::protobuf::Arena>(options);
}

struct ArenaBatch {
  std::unique_ptr<google::protobuf::Arena> arena = MakeBatchArena();
  v1::PushBatch* batch = google::protobuf::Arena::CreateMessage<v1::PushBatch>(arena.get());
};

// A batch whose records passed every check that needs no database, ready for the writer. The
// records live in `arena`, which the batch owns.
struct PreparedBatch {
  Principal caller;
  uint64_t sequence = 0;
  std::unique_ptr<google::protobuf::Arena> arena;
  std::vector<v1::Incident*> incidents;
  std::vector<uint32_t> incident_indices;  // each incident's index in the pushed batch
  std::vector<v1::Asset*> assets;
  std::vector<uint32_t> asset_indices;
  std::vector<v1::Rejection> rejections;  // records refused before the database
  size_t bytes = 0;                       // what the batch holds in memory
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
