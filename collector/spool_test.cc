#include "collector/spool.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

namespace sitrep::collector {
namespace {

using std::chrono::milliseconds;

class SpoolTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (std::filesystem::temp_directory_path() / "spool-test-XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::unique_ptr<Spool> Open(uint64_t segment_bytes = uint64_t{64} << 20) {
    return std::make_unique<Spool>(SpoolOptions{dir_, segment_bytes});
  }

  // Everything readable now, in order.
  static std::vector<std::string> ReadAll(Spool& spool, SpoolPosition* end = nullptr) {
    std::vector<std::string> records;
    for (;;) {
      SpoolBatch batch = spool.Read(1000, size_t{1} << 30, milliseconds(0));
      if (batch.records.empty()) break;
      if (end != nullptr) *end = batch.end;
      records.insert(records.end(), batch.records.begin(), batch.records.end());
    }
    return records;
  }

  std::vector<std::filesystem::path> Segments() const {
    std::vector<std::filesystem::path> segments;
    for (const auto& entry : std::filesystem::directory_iterator(dir_)) {
      if (entry.path().filename().string().starts_with("segment-")) {
        segments.push_back(entry.path());
      }
    }
    std::sort(segments.begin(), segments.end());
    return segments;
  }

  static std::string Record(int i) { return "record-" + std::to_string(i); }

  std::filesystem::path dir_;
};

TEST_F(SpoolTest, AppendedRecordsBecomeReadableAtCommit) {
  auto spool = Open();
  spool->Append(Record(1));
  spool->Append(Record(2));
  EXPECT_TRUE(spool->Read(10, 1 << 20, milliseconds(0)).records.empty());
  spool->Commit();
  EXPECT_EQ(ReadAll(*spool), (std::vector<std::string>{Record(1), Record(2)}));
  EXPECT_EQ(spool->pending_records(), 2u);
}

TEST_F(SpoolTest, ReadHonoursRecordAndByteLimits) {
  auto spool = Open();
  for (int i = 0; i < 10; ++i) spool->Append(std::string(100, 'a' + i));
  spool->Commit();
  EXPECT_EQ(spool->Read(3, 1 << 20, milliseconds(0)).records.size(), 3u);
  EXPECT_EQ(spool->Read(100, 250, milliseconds(0)).records.size(), 2u);
  // A record larger than the byte limit still comes, alone, so nothing can get stuck.
  EXPECT_EQ(spool->Read(100, 10, milliseconds(0)).records.size(), 1u);
  EXPECT_EQ(spool->Read(100, 1 << 20, milliseconds(0)).records.size(), 4u);
}

TEST_F(SpoolTest, RejectsEmptyAndOversizedRecords) {
  auto spool = Open();
  EXPECT_THROW(spool->Append(""), std::invalid_argument);
  EXPECT_THROW(spool->Append(std::string(kMaxSpoolRecordBytes + 1, 'x')), std::invalid_argument);
  spool->Append(std::string(kMaxSpoolRecordBytes, 'x'));
  spool->Commit();
  EXPECT_EQ(ReadAll(*spool).size(), 1u);
}

TEST_F(SpoolTest, ReopenResumesAfterTheAcknowledgedPosition) {
  {
    auto spool = Open();
    for (int i = 0; i < 10; ++i) spool->Append(Record(i));
    spool->Commit();
    SpoolBatch first = spool->Read(4, 1 << 20, milliseconds(0));
    ASSERT_EQ(first.records.size(), 4u);
    spool->Ack(first.end, 4);
    // Read but not acknowledged: must come again after a crash.
    EXPECT_EQ(spool->Read(3, 1 << 20, milliseconds(0)).records.size(), 3u);
  }  // dropped without any closing step, as a crash would
  auto spool = Open();
  EXPECT_EQ(spool->pending_records(), 6u);
  std::vector<std::string> expected;
  for (int i = 4; i < 10; ++i) expected.push_back(Record(i));
  EXPECT_EQ(ReadAll(*spool), expected);
}

TEST_F(SpoolTest, RecordsAppendedAfterTheLastCommitAreDiscardedAtReopen) {
  {
    auto spool = Open(/*segment_bytes=*/64);  // rolls segments while appending
    spool->Append(Record(1));
    spool->Commit("input.jsonl", InputProgress{100, 1, false});
    for (int i = 2; i < 20; ++i) spool->Append(Record(i));
    // Some of them reach the disk when segments roll; none was committed.
  }
  auto spool = Open(64);
  EXPECT_EQ(ReadAll(*spool), std::vector<std::string>{Record(1)});
  EXPECT_EQ(spool->ProgressOf("input.jsonl"), (InputProgress{100, 1, false}));
  EXPECT_EQ(Segments().size(), 1u);
}

TEST_F(SpoolTest, InputCheckpointIsCommittedWithItsRecords) {
  {
    auto spool = Open();
    EXPECT_FALSE(spool->ProgressOf("a.jsonl").has_value());
    spool->Append(Record(1));
    spool->Commit("a.jsonl", InputProgress{10, 1, false});
    spool->Append(Record(2));
    spool->Commit("a.jsonl", InputProgress{20, 2, true});
    spool->Commit("b.jsonl", InputProgress{5, 1, false});
  }
  auto spool = Open();
  EXPECT_EQ(spool->ProgressOf("a.jsonl"), (InputProgress{20, 2, true}));
  EXPECT_EQ(spool->ProgressOf("b.jsonl"), (InputProgress{5, 1, false}));
  EXPECT_EQ(ReadAll(*spool).size(), 2u);
}

TEST_F(SpoolTest, FullyAcknowledgedSegmentsAreDeleted) {
  auto spool = Open(/*segment_bytes=*/100);  // about 5 records of 16 bytes per segment
  for (int i = 0; i < 30; ++i) spool->Append(Record(i + 10));
  spool->Commit();
  const size_t segments_before = Segments().size();
  ASSERT_GE(segments_before, 5u);
  SpoolBatch batch = spool->Read(12, 1 << 20, milliseconds(0));
  spool->Ack(batch.end, batch.records.size());
  EXPECT_LT(Segments().size(), segments_before);
  SpoolPosition end;
  EXPECT_EQ(ReadAll(*spool, &end).size(), 18u);
  spool->Ack(end, 18);
  EXPECT_EQ(spool->pending_records(), 0u);
  EXPECT_EQ(Segments().size(), 1u);  // the one still being written

  spool.reset();
  spool = Open(100);
  EXPECT_EQ(spool->pending_records(), 0u);
  EXPECT_TRUE(ReadAll(*spool).empty());
  spool->Append(Record(99));
  spool->Commit();
  EXPECT_EQ(ReadAll(*spool), std::vector<std::string>{Record(99)});
}

TEST_F(SpoolTest, ResumesAcrossManySegmentsInOrder) {
  std::vector<std::string> expected;
  {
    auto spool = Open(200);
    for (int i = 0; i < 100; ++i) spool->Append(Record(i));
    spool->Commit();
    SpoolBatch batch = spool->Read(37, 1 << 20, milliseconds(0));
    spool->Ack(batch.end, batch.records.size());
  }
  for (int i = 37; i < 100; ++i) expected.push_back(Record(i));
  auto spool = Open(200);
  EXPECT_EQ(spool->pending_records(), 63u);
  EXPECT_EQ(ReadAll(*spool), expected);
}

TEST_F(SpoolTest, TornTailOfCommittedDataIsCutAtTheLastWholeRecord) {
  {
    auto spool = Open();
    for (int i = 0; i < 5; ++i) spool->Append(Record(i));
    spool->Commit();
  }
  // The disk lost the end of the last record although it was committed.
  const std::filesystem::path segment = Segments().back();
  std::filesystem::resize_file(segment, std::filesystem::file_size(segment) - 3);
  {
    auto spool = Open();
    EXPECT_EQ(ReadAll(*spool).size(), 4u);
    spool->Append(Record(5));
    spool->Commit();
  }
  auto spool = Open();
  EXPECT_EQ(ReadAll(*spool),
            (std::vector<std::string>{Record(0), Record(1), Record(2), Record(3), Record(5)}));
}

TEST_F(SpoolTest, CorruptRecordIsCutWithEverythingAfterIt) {
  {
    auto spool = Open();
    for (int i = 0; i < 5; ++i) spool->Append(Record(i));
    spool->Commit();
  }
  const std::filesystem::path segment = Segments().back();
  {
    std::fstream file(segment, std::ios::in | std::ios::out | std::ios::binary);
    file.seekp(2 * (8 + 8) + 10);  // inside the third record's bytes
    file.put('X');
  }
  auto spool = Open();
  EXPECT_EQ(ReadAll(*spool), (std::vector<std::string>{Record(0), Record(1)}));
}

TEST_F(SpoolTest, GarbageAfterTheCommittedEndIsDropped) {
  {
    auto spool = Open();
    spool->Append(Record(1));
    spool->Commit();
  }
  std::ofstream(Segments().back(), std::ios::app | std::ios::binary) << std::string(40, '\0');
  auto spool = Open();
  EXPECT_EQ(ReadAll(*spool), std::vector<std::string>{Record(1)});
}

TEST_F(SpoolTest, SecondOpenOfTheSameFolderIsRefused) {
  auto spool = Open();
  EXPECT_THROW(Open(), SpoolError);
}

TEST_F(SpoolTest, UnreadableStateFileIsAnErrorNotAGuess) {
  { auto spool = Open(); }
  std::ofstream(dir_ / "committed.json") << "{not json";
  EXPECT_THROW(Open(), SpoolError);
}

TEST_F(SpoolTest, AllReadOnlyAfterFinishAppendingAndEverythingRead) {
  auto spool = Open();
  spool->Append(Record(1));
  spool->Commit();
  EXPECT_FALSE(spool->AllRead());
  spool->FinishAppending();
  EXPECT_FALSE(spool->AllRead());
  EXPECT_EQ(ReadAll(*spool).size(), 1u);
  EXPECT_TRUE(spool->AllRead());
  // Finished: Read returns at once instead of waiting.
  EXPECT_TRUE(spool->Read(10, 1 << 20, milliseconds(60'000)).records.empty());
}

}  // namespace
}  // namespace sitrep::collector
