#include "collector/spool.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "collector/small_disk.h"

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

  std::vector<uint64_t> SegmentSizes() const {
    std::vector<uint64_t> sizes;
    for (const std::filesystem::path& segment : Segments()) {
      sizes.push_back(std::filesystem::file_size(segment));
    }
    return sizes;
  }

  // Copies the spool folder's files aside and back, to build the state a crash leaves.
  void SaveFiles(const std::filesystem::path& to) const {
    std::filesystem::create_directories(to);
    for (const auto& entry : std::filesystem::directory_iterator(dir_)) {
      std::filesystem::copy_file(entry.path(), to / entry.path().filename(),
                                 std::filesystem::copy_options::overwrite_existing);
    }
  }
  void RestoreFile(const std::filesystem::path& from, const std::string& name) const {
    std::filesystem::copy_file(from / name, dir_ / name,
                               std::filesystem::copy_options::overwrite_existing);
  }

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
    spool->Commit("taxii:peer", InputProgress{3, 300, false, R"({"next":"p4"})"});
  }
  auto spool = Open();
  EXPECT_EQ(spool->ProgressOf("a.jsonl"), (InputProgress{20, 2, true}));
  EXPECT_EQ(spool->ProgressOf("b.jsonl"), (InputProgress{5, 1, false}));
  EXPECT_EQ(spool->ProgressOf("taxii:peer"), (InputProgress{3, 300, false, R"({"next":"p4"})"}));
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

// Where records land around the segment size, and that every layout reads back in order and
// is deleted segment by segment as it is acknowledged.
TEST_F(SpoolTest, SegmentsRollAtTheirSizeBoundaries) {
  struct Case {
    const char* name;
    std::vector<size_t> payloads;      // record sizes, committed together
    std::vector<uint64_t> file_sizes;  // segment files after the commit (frames are 8 + size)
  };
  const Case cases[] = {
      {"record ending exactly at the segment end stays", {92, 10}, {100, 18}},
      {"record one byte too large for the rest rolls", {50, 35}, {58, 43}},
      {"record filling the rest exactly stays", {50, 34}, {100}},
      {"records filling the segment exactly together stay", {42, 42, 10}, {100, 18}},
      {"record larger than a segment gets one of its own", {10, 200, 10}, {18, 208, 18}},
      {"oversized first record stays in the empty segment", {200}, {208}},
  };
  const std::filesystem::path base = dir_;
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    dir_ = base / std::to_string(&c - cases);
    std::vector<std::string> records;
    for (size_t i = 0; i < c.payloads.size(); ++i) {
      records.push_back(std::string(c.payloads[i], static_cast<char>('a' + i)));
    }
    {
      auto spool = Open(/*segment_bytes=*/100);
      for (const std::string& record : records) spool->Append(record);
      spool->Commit();
      EXPECT_EQ(SegmentSizes(), c.file_sizes);
    }
    auto spool = Open(100);
    EXPECT_EQ(ReadAll(*spool), records);
    spool.reset();
    spool = Open(100);
    for (size_t i = 0; i < records.size(); ++i) {
      SpoolBatch batch = spool->Read(1, 1 << 20, milliseconds(0));
      ASSERT_EQ(batch.records, std::vector<std::string>{records[i]});
      spool->Ack(batch.end, 1);
    }
    EXPECT_EQ(Segments().size(), 1u) << "every fully acknowledged segment is deleted";
    EXPECT_EQ(spool->pending_records(), 0u);
  }
}

// Each row builds the files a crash at one instant of rotation or acknowledgement leaves, then
// reopens: every committed and unacknowledged record comes back once, in order.
TEST_F(SpoolTest, CrashesAroundRotationLoseAndDuplicateNothing) {
  struct Case {
    const char* name;
    // Runs the spool up to the crash and returns the records a reopen must give.
    std::function<std::vector<std::string>(const std::filesystem::path& saved)> run;
  };
  const auto commit = [](Spool& spool, int from, int to) {
    for (int i = from; i < to; ++i) spool.Append(std::string(30, 'a') + Record(i));
    spool.Commit();
  };
  const auto records = [](int from, int to) {
    std::vector<std::string> out;
    for (int i = from; i < to; ++i) out.push_back(std::string(30, 'a') + Record(i));
    return out;
  };
  const Case cases[] = {
      {"after new segments were written, before committed.json moved",
       [&](const std::filesystem::path& saved) {
         auto spool = Open(100);
         commit(*spool, 0, 3);
         SaveFiles(saved);
         commit(*spool, 3, 9);
         spool.reset();
         RestoreFile(saved, "committed.json");
         return records(0, 3);
       }},
      {"after the acknowledgement, before the acknowledged segments were deleted",
       [&](const std::filesystem::path& saved) {
         auto spool = Open(100);
         commit(*spool, 0, 9);
         SpoolBatch batch = spool->Read(5, 1 << 20, milliseconds(0));
         SaveFiles(saved);
         spool->Ack(batch.end, 5);
         spool.reset();
         for (const auto& entry : std::filesystem::directory_iterator(saved)) {
           if (entry.path().filename().string().starts_with("segment-")) {
             RestoreFile(saved, entry.path().filename().string());
           }
         }
         return records(5, 9);
       }},
      {"after a drained segment was sealed, before its acknowledgement moved past it",
       [&](const std::filesystem::path& saved) {
         auto spool = Open(1000);
         commit(*spool, 0, 2);
         SpoolBatch batch = spool->Read(10, 1 << 20, milliseconds(0));
         spool->Ack(batch.end, 2);
         SaveFiles(saved);
         commit(*spool, 2, 3);  // starts a new segment: the drained one is deleted
         EXPECT_EQ(Segments().size(), 1u);
         spool.reset();
         RestoreFile(saved, "acked.ckpt");
         RestoreFile(saved, "segment-00000000000000000001.log");
         return records(2, 3);
       }},
      {"torn write of the newer acknowledgement slot",
       [&](const std::filesystem::path& saved) {
         auto spool = Open(100);
         commit(*spool, 0, 6);
         SpoolBatch first = spool->Read(2, 1 << 20, milliseconds(0));
         spool->Ack(first.end, 2);
         SpoolBatch second = spool->Read(2, 1 << 20, milliseconds(0));
         SaveFiles(saved);
         spool->Ack(second.end, 2);
         spool.reset();
         // The crash hit the second Ack's slot write, so its segment was not deleted yet.
         RestoreFile(saved, "segment-00000000000000000002.log");
         std::fstream file(dir_ / "acked.ckpt", std::ios::in | std::ios::out | std::ios::binary);
         file.seekp(4096 + 20);  // slot of an odd sequence: the first Ack was sequence 2
         file.put('X');
         return records(2, 6);  // the first Ack's position rules: resent, never lost
       }},
      {"spool from before acked.ckpt, with acked.json",
       [&](const std::filesystem::path&) {
         auto spool = Open(100);
         commit(*spool, 0, 6);
         SpoolBatch batch = spool->Read(4, 1 << 20, milliseconds(0));
         spool.reset();
         std::filesystem::remove(dir_ / "acked.ckpt");
         std::ofstream(dir_ / "acked.json")
             << nlohmann::json{{"segment", batch.end.segment}, {"offset", batch.end.offset}}.dump();
         return records(4, 6);
       }},
  };
  const std::filesystem::path base = dir_;
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    dir_ = base / std::to_string(&c - cases);
    const std::vector<std::string> expected = c.run(base / "saved" / std::to_string(&c - cases));
    for (int reopen = 0; reopen < 2; ++reopen) {  // the second open sees what the first repaired
      auto spool = Open(100);
      EXPECT_EQ(spool->pending_records(), expected.size());
      EXPECT_EQ(ReadAll(*spool), expected);
    }
    EXPECT_FALSE(std::filesystem::exists(dir_ / "acked.json"));
    auto spool = Open(100);
    SpoolPosition end;
    ReadAll(*spool, &end);
    spool->Ack(end, expected.size());
    spool->Append(Record(99));
    spool->Commit();
    EXPECT_EQ(ReadAll(*spool), std::vector<std::string>{Record(99)});
    EXPECT_EQ(Segments().size(), 1u);
  }
}

TEST_F(SpoolTest, ADrainedSpoolKeepsNoAcknowledgedBytes) {
  auto spool = Open(/*segment_bytes=*/1 << 20);
  for (int round = 0; round < 3; ++round) {
    for (int i = 0; i < 100; ++i) spool->Append(std::string(1000, 'x') + Record(i));
    spool->Commit();
    SpoolPosition end;
    ASSERT_EQ(ReadAll(*spool, &end).size(), 100u);
    spool->Ack(end, 100);
  }
  // The last segment is fully acknowledged, so the next record starts a new one and the old
  // one goes: what stays on disk is that record alone.
  spool->Append(Record(1));
  spool->Commit();
  EXPECT_EQ(SegmentSizes(), std::vector<uint64_t>{8 + Record(1).size()});
}

// A real full disk: a 1 MiB tmpfs. The disk refuses a commit, nothing committed is harmed,
// acknowledging frees the segments, and the held records then go through with everything after.
TEST_F(SpoolTest, FullDiskFailsCleanlyAndRecoversOnceAcknowledgedSegmentsAreDeleted) {
  if (::geteuid() != 0) GTEST_SKIP() << "mounting a small tmpfs needs root";
  SmallDisk disk(uint64_t{1} << 20);
  ASSERT_TRUE(disk.mounted()) << disk.why_not();
  dir_ = disk.path() / "spool";
  const auto record = [](int i) { return Record(i) + std::string(1000, 'x'); };
  auto spool = Open(/*segment_bytes=*/64 << 10);
  int appended = 0;
  int committed = 0;
  std::string full_message;
  while (full_message.empty()) {
    ASSERT_LT(appended, 5000) << "the disk never filled";
    for (int k = 0; k < 10; ++k) spool->Append(record(appended++));
    try {
      spool->Commit();
      committed = appended;
    } catch (const SpoolFullError& full) {
      full_message = full.what();
    }
  }
  EXPECT_NE(full_message.find("no room for the spool in " + dir_.string()), std::string::npos)
      << full_message;
  EXPECT_NE(full_message.find("10 records wait"), std::string::npos) << full_message;
  EXPECT_GT(committed, 500);
  EXPECT_THROW(spool->Commit(), SpoolFullError) << "still full: the retry fails the same way";

  SpoolPosition end;
  const std::vector<std::string> first = ReadAll(*spool, &end);
  ASSERT_EQ(first.size(), static_cast<size_t>(committed));
  for (int i = 0; i < committed; ++i) ASSERT_EQ(first[i], record(i));
  const uint64_t used_when_full = disk.used_bytes();
  const size_t segments_when_full = Segments().size();
  spool->Ack(end, first.size());
  EXPECT_LT(disk.used_bytes(), used_when_full / 4);
  EXPECT_LT(Segments().size(), segments_when_full);

  spool->Commit();  // room again: the held records go in
  for (int batch = 0; batch < 20; ++batch) {
    for (int k = 0; k < 10; ++k) spool->Append(record(appended++));
    spool->Commit();
  }
  std::vector<std::string> rest = ReadAll(*spool, &end);
  ASSERT_EQ(rest.size(), static_cast<size_t>(appended - committed));
  for (size_t i = 0; i < rest.size(); ++i) ASSERT_EQ(rest[i], record(committed + i));
  spool->Ack(end, rest.size());

  spool.reset();  // as a crash: nothing pending, nothing comes twice
  spool = Open(64 << 10);
  EXPECT_EQ(spool->pending_records(), 0u);
  EXPECT_TRUE(ReadAll(*spool).empty());
}

// A file size limit (ulimit -f) fails writes with EFBIG, which the spool treats as no room:
// the commit can be retried once the limit allows it, and nothing committed is harmed. Needs no
// privileges, unlike the tmpfs test above.
TEST_F(SpoolTest, FileSizeLimitIsNoRoomAndTheCommitCanBeRetried) {
  rlimit saved{};
  ASSERT_EQ(::getrlimit(RLIMIT_FSIZE, &saved), 0);
  if (saved.rlim_max != RLIM_INFINITY && saved.rlim_max < (uint64_t{1} << 20)) {
    GTEST_SKIP() << "the hard file size limit is already below 1 MiB";
  }
  // Without this the kernel kills the process (SIGXFSZ) instead of failing the write.
  const sighandler_t previous = ::signal(SIGXFSZ, SIG_IGN);
  auto spool = Open(/*segment_bytes=*/1 << 20);
  for (int i = 0; i < 10; ++i) spool->Append(Record(i));
  spool->Commit();
  rlimit limited = saved;
  limited.rlim_cur = 16 << 10;
  ASSERT_EQ(::setrlimit(RLIMIT_FSIZE, &limited), 0);
  for (int i = 10; i < 2000; ++i) spool->Append(Record(i));  // about 30 KiB
  EXPECT_THROW(spool->Commit(), SpoolFullError);
  EXPECT_THROW(spool->Commit(), SpoolFullError);
  ASSERT_EQ(::setrlimit(RLIMIT_FSIZE, &saved), 0);
  ::signal(SIGXFSZ, previous);
  EXPECT_EQ(ReadAll(*spool).size(), 10u);
  spool->Commit();
  std::vector<std::string> expected;
  for (int i = 10; i < 2000; ++i) expected.push_back(Record(i));
  EXPECT_EQ(ReadAll(*spool), expected);
  spool.reset();
  spool = Open(1 << 20);
  EXPECT_EQ(spool->pending_records(), 2000u);
}

}  // namespace
}  // namespace sitrep::collector
