#include "bench/ingest_load.h"

#include "bench/binary_copy.h"
#include "bench/incident_copy_row.h"
#include "collector/demo_generator.h"
#include "sitrep/v1/ingest.pb.h"

namespace sitrep::bench {

StreamLoad GenerateStreamLoad(const LoadSpec& spec) {
  collector::DemoOptions options;
  options.seed = spec.seed;
  options.count = spec.records;
  options.asset_share = 0;
  options.duplicate_share = spec.duplicate_share;
  options.invalid_share = spec.invalid_share;
  options.now = spec.now;
  options.occur_within = collector::kLiveFeedOccurWithin;
  collector::DemoGenerator generator(std::move(options));
  StreamLoad load;
  BinaryCopyEncoder copy;
  v1::PushBatch batch;
  const auto close_batch = [&] {
    batch.set_sequence(load.batches.size() + 1);
    load.batches.push_back(
        EncodedBatch{batch.SerializeAsString(), static_cast<uint32_t>(batch.incidents_size())});
    batch.Clear();
  };
  for (uint64_t i = 0; i < spec.records; ++i) {
    const collector::DemoGenerator::Counts before = generator.counts();
    v1::Record record = generator.Next();
    const collector::DemoGenerator::Counts& after = generator.counts();
    // The counts tell what this record is: a repeat, or a new one with or without a mistake.
    const bool storable = after.duplicates == before.duplicates && after.invalid == before.invalid;
    if (storable) {
      ++load.storable;
      if (spec.copy_reporter_id) {
        AppendIncidentRow(copy, record.incident(), *spec.copy_reporter_id, kCopyExternalIdSuffix,
                          spec.now);
      }
    }
    *batch.add_incidents() = std::move(*record.mutable_incident());
    if (static_cast<uint32_t>(batch.incidents_size()) == spec.batch_size) close_batch();
  }
  if (batch.incidents_size() > 0) close_batch();
  load.incidents = generator.counts().incidents;
  load.duplicates = generator.counts().duplicates;
  load.invalid = generator.counts().invalid;
  load.copy_rows = copy.Take();
  return load;
}

}  // namespace sitrep::bench
