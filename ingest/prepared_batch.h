#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "domain/field_violation.h"
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
  // Advisories whose document parsed and passed the CSAF checks (their output fields filled
  // from it), and stubs.
  std::vector<v1::Advisory*> advisories;
  std::vector<uint32_t> advisory_indices;
  std::vector<v1::Rejection> rejections;  // records refused before the database
  size_t bytes = 0;                       // what the batch holds in memory
  bool return_rows = false;               // ReportIncident: its verdict carries the stored row
};

// What became of one record that reached the writer, decided in the writing transaction.
struct RecordVerdict {
  enum Kind { kStored, kDuplicate, kRejected };
  Kind kind = kDuplicate;
  int64_t id = 0;                           // kStored: the stored row's id
  std::optional<FieldViolation> violation;  // kRejected: why, the field relative to the record
  std::optional<v1::Incident> row;          // kStored incident of a batch with return_rows
};

// The verdicts of one batch's records, in the order of its incidents, assets and advisories.
struct BatchVerdicts {
  std::vector<RecordVerdict> incidents;
  std::vector<RecordVerdict> assets;
  std::vector<RecordVerdict> advisories;
};

// A batch back from the writer: the records as written (defaults filled in) and their verdicts.
struct WrittenBatch {
  PreparedBatch batch;
  BatchVerdicts verdicts;
};

}  // namespace sitrep::ingest
