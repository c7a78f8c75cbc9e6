#include "collector/spooler.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/resource.h>

#include <fstream>

#include "collector/jsonl_importer.h"

namespace sitrep::collector {
namespace {

using std::chrono::milliseconds;

class SpoolerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (std::filesystem::temp_directory_path() / "spooler-test-XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
    input_ = dir_ / "input.jsonl";
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  void AppendLines(int from, int to) {
    std::ofstream out(input_, std::ios::app | std::ios::binary);
    for (int i = from; i < to; ++i) {
      out << R"({"incident": {"externalId": "e-)" << i << R"(", "title": "t"}})"
          << "\n";
    }
  }

  InputPlan Plan() {
    return {"jsonl:" + input_.string(), input_.string(), input_,
            [this](InputProgress start) { return OpenJsonlFile(input_, start, nullptr); }};
  }

  // Runs one collector pass over the input with a fresh Spool, as a new process would. With
  // `stop_at_first_line`, the first error or note stops it, as SIGINT would.
  Spooler::Totals Pass(std::vector<std::string>* lines = nullptr, bool stop_at_first_line = false) {
    Spool spool(SpoolOptions{dir_ / "spool"});
    RejectLog rejects(dir_ / "rejected.jsonl");
    std::atomic<bool> stop{false};
    Spooler spooler(
        spool, rejects,
        [&](const std::string& line) {
          if (lines != nullptr) lines->push_back(line);
          if (stop_at_first_line) stop = true;
        },
        stop, /*reread=*/false);
    EXPECT_EQ(spooler.Run({Plan()}), "");
    return spooler.totals();
  }

  std::vector<std::string> SpooledIds() {
    Spool spool(SpoolOptions{dir_ / "spool"});
    std::vector<std::string> ids;
    for (;;) {
      SpoolBatch batch = spool.Read(1000, size_t{1} << 30, milliseconds(0));
      if (batch.records.empty()) break;
      for (const std::string& bytes : batch.records) {
        v1::Record record;
        EXPECT_TRUE(record.ParseFromString(bytes));
        ids.push_back(record.incident().external_id());
      }
    }
    return ids;
  }

  std::filesystem::path dir_;
  std::filesystem::path input_;
};

TEST_F(SpoolerTest, ARerunContinuesWhereAStoppedRunEndedWithoutDuplicates) {
  AppendLines(0, 500);
  std::ofstream(input_, std::ios::app) << "broken line\n";
  AppendLines(500, 2500);
  // The broken line is reported with the first chunk (1,000 records); the stop takes effect
  // once that chunk is committed.
  EXPECT_EQ(Pass(nullptr, /*stop_at_first_line=*/true).spooled, 1000u);
  std::vector<std::string> lines;
  EXPECT_EQ(Pass(&lines).spooled, 1500u);
  ASSERT_FALSE(lines.empty());
  EXPECT_NE(lines[0].find("continues at line 1002"), std::string::npos) << lines[0];

  const std::vector<std::string> ids = SpooledIds();
  ASSERT_EQ(ids.size(), 2500u);
  for (int i = 0; i < 2500; ++i) ASSERT_EQ(ids[i], "e-" + std::to_string(i));

  lines.clear();
  EXPECT_EQ(Pass(&lines).spooled, 0u);
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_NE(lines[0].find("spooled completely by an earlier run"), std::string::npos);
}

TEST_F(SpoolerTest, RecordsThatCannotCrossTheWireAreRejectedLocally) {
  std::ofstream(input_, std::ios::binary)
      << R"({"incident": {"externalId": "good", "title": "t"}})"
      << "\n"
      << R"({"asset": {"assetKey": "a", "vendor": "bad \udc00 surrogate"}})"
      << "\n"
      << "garbage\n";
  std::vector<std::string> lines;
  const Spooler::Totals totals = Pass(&lines);
  EXPECT_EQ(totals.spooled, 1u);
  EXPECT_EQ(totals.input_errors + totals.rejected, 2u);
  EXPECT_EQ(SpooledIds(), std::vector<std::string>{"good"});
}

TEST_F(SpoolerTest, AFileThatShrankIsReadFromTheStart) {
  AppendLines(0, 10);
  {
    // A run stopped half way: its checkpoint is not complete.
    Spool spool(SpoolOptions{dir_ / "spool"});
    spool.Commit(Plan().key, InputProgress{100'000, 500, false});
  }
  std::vector<std::string> lines;
  EXPECT_EQ(Pass(&lines).spooled, 10u);
  ASSERT_FALSE(lines.empty());
  EXPECT_NE(lines[0].find("shorter than when it was last read"), std::string::npos);
}

// A spool that has no room waits (the file size limit stands in for a full disk here; the real
// full disk is in pusher_test and collector_crash_pgtest). Stopped while waiting, nothing of the
// waiting chunk is committed, so a rerun spools every record once.
TEST_F(SpoolerTest, StoppedWhileTheSpoolHasNoRoomCommitsNothingAndARerunLosesNothing) {
  AppendLines(0, 2000);
  rlimit saved{};
  ASSERT_EQ(::getrlimit(RLIMIT_FSIZE, &saved), 0);
  if (saved.rlim_max != RLIM_INFINITY && saved.rlim_max < (uint64_t{1} << 20)) {
    GTEST_SKIP() << "the hard file size limit is already below 1 MiB";
  }
  const sighandler_t previous = ::signal(SIGXFSZ, SIG_IGN);  // EFBIG instead of death
  rlimit limited = saved;
  limited.rlim_cur = 16 << 10;  // below the first chunk: 1,000 records of about 20 bytes
  ASSERT_EQ(::setrlimit(RLIMIT_FSIZE, &limited), 0);
  std::vector<std::string> lines;
  const Spooler::Totals stopped = Pass(&lines, /*stop_at_first_line=*/true);
  ASSERT_EQ(::setrlimit(RLIMIT_FSIZE, &saved), 0);
  ::signal(SIGXFSZ, previous);
  ASSERT_FALSE(lines.empty());
  EXPECT_TRUE(lines[0].starts_with("no room for the spool in ")) << lines[0];
  EXPECT_NE(lines[0].find("waiting for room, pushing goes on"), std::string::npos) << lines[0];
  EXPECT_GE(stopped.full_waits, 1u);
  EXPECT_TRUE(SpooledIds().empty());

  Pass();
  const std::vector<std::string> ids = SpooledIds();
  ASSERT_EQ(ids.size(), 2000u);
  for (int i = 0; i < 2000; ++i) ASSERT_EQ(ids[i], "e-" + std::to_string(i));
}

}  // namespace
}  // namespace sitrep::collector
