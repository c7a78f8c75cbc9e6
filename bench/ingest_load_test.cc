#include "bench/ingest_load.h"

#include <google/protobuf/util/message_differencer.h>
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "sitrep/v1/ingest.pb.h"

namespace sitrep::bench {
namespace {

LoadSpec Spec(uint64_t seed, uint64_t records, uint32_t batch_size) {
  LoadSpec spec;
  spec.seed = seed;
  spec.records = records;
  spec.batch_size = batch_size;
  return spec;
}

TEST(GenerateStreamLoadTest, SplitsTheRecordsIntoNumberedBatches) {
  const StreamLoad load = GenerateStreamLoad(Spec(3, 1200, 500));
  ASSERT_EQ(load.batches.size(), 3u);
  std::set<std::string> external_ids;
  for (size_t i = 0; i < load.batches.size(); ++i) {
    v1::PushBatch batch;
    ASSERT_TRUE(batch.ParseFromString(load.batches[i].bytes));
    EXPECT_EQ(batch.sequence(), i + 1);
    EXPECT_EQ(static_cast<uint32_t>(batch.incidents_size()), load.batches[i].records);
    EXPECT_EQ(batch.assets_size(), 0);
    for (const v1::Incident& incident : batch.incidents())
      external_ids.insert(incident.external_id());
  }
  EXPECT_EQ(load.batches[0].records, 500u);
  EXPECT_EQ(load.batches[2].records, 200u);
  EXPECT_EQ(external_ids.size(), 1200u);
  EXPECT_EQ(load.storable, 1200u);
  EXPECT_TRUE(load.copy_rows.empty());  // no reporter given: no baseline rows
}

TEST(GenerateStreamLoadTest, CopiesOnlyTheNewValidIncidents) {
  LoadSpec spec = Spec(4, 2000, 1000);
  spec.duplicate_share = 0.1;
  spec.invalid_share = 0.1;
  spec.copy_reporter_id = 9;
  const StreamLoad load = GenerateStreamLoad(spec);
  EXPECT_GT(load.duplicates, 0u);
  EXPECT_GT(load.invalid, 0u);
  EXPECT_EQ(load.incidents + load.duplicates, 2000u);
  EXPECT_EQ(load.storable, load.incidents - load.invalid);
  // Every row starts with its column count, 23 (0x0017), and a 4-byte province.
  EXPECT_EQ(load.copy_rows.substr(0, 6), std::string("\0\x17\0\0\0\x04", 6));
}

TEST(GenerateStreamLoadTest, IsTheSameForTheSameSeed) {
  LoadSpec spec = Spec(5, 10, 10);
  spec.copy_reporter_id = 1;
  const StreamLoad first = GenerateStreamLoad(spec);
  const StreamLoad second = GenerateStreamLoad(spec);
  // Serialized maps (attributes) have no fixed order, so the batches are compared parsed.
  v1::PushBatch first_batch, second_batch;
  ASSERT_TRUE(first_batch.ParseFromString(first.batches[0].bytes));
  ASSERT_TRUE(second_batch.ParseFromString(second.batches[0].bytes));
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(first_batch, second_batch));
  EXPECT_EQ(first.copy_rows, second.copy_rows);
}

}  // namespace
}  // namespace sitrep::bench
