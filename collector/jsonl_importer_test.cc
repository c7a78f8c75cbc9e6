#include "collector/jsonl_importer.h"

#include <gtest/gtest.h>

#include <fstream>
#include <string>
#include <vector>

namespace sitrep::collector {
namespace {

TEST(ReadJsonRecordTest, AcceptsBothKindsInTheProtoJsonMapping) {
  v1::Record record;
  EXPECT_EQ(ReadJsonRecord(R"({"incident": {"externalId": "x-1", "province": 440000,
      "severity": "SEVERITY_III", "occurTime": "2026-01-02T03:04:05Z"}})",
                           record),
            "");
  ASSERT_TRUE(record.has_incident());
  EXPECT_EQ(record.incident().external_id(), "x-1");
  EXPECT_EQ(record.incident().severity(), v1::SEVERITY_III);
  EXPECT_EQ(ReadJsonRecord(R"({"asset": {"asset_key": "a-1", "port": 502}})", record), "");
  ASSERT_TRUE(record.has_asset());
  EXPECT_EQ(record.asset().port(), 502u);
}

TEST(ReadJsonRecordTest, SaysWhatIsWrongWithEachMalformedLine) {
  struct Row {
    std::string line;
    std::string error;  // a part of the expected message
  };
  const Row rows[] = {
      {"not json", "not a sitrep.v1.Record"},
      {"{\"incident\": {\"title\": \"unterminated}", "not a sitrep.v1.Record"},
      {"[1, 2]", "not a sitrep.v1.Record"},
      {"{}", R"(expected {"incident": {...}} or {"asset": {...}})"},
      {"{\"incident\": {\"province\": \"Guangdong\"}}", "province"},
      {"{\"incident\": {\"severity\": \"SEVERITY_XL\"}}", "severity"},
      {"{\"incident\": {\"titel\": \"typo\"}}", "titel"},
      {"{\"asset\": {\"port\": -1}}", "port"},
      {"{\"asset\": {\"port\": 1e40}}", "port"},
      {"{\"incident\": {}, \"asset\": {}}", "not a sitrep.v1.Record"},
      {"{\"incident\": {\"title\": \"bad \xFF byte\"}}", "invalid UTF-8 at byte 29"},
      {"{\"incident\": {\"occurTime\": \"yesterday\"}}", "occurTime"},
      {std::string(200, '[') + std::string(200, ']'), "not a sitrep.v1.Record"},
  };
  for (const Row& row : rows) {
    v1::Record record;
    const std::string error = ReadJsonRecord(row.line, record);
    EXPECT_NE(error.find(row.error), std::string::npos) << row.line << " → " << error;
  }
}

class JsonlFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = std::filesystem::temp_directory_path() /
            ("jsonl-test-" + std::to_string(::getpid()) + ".jsonl");
  }
  void TearDown() override { std::filesystem::remove(path_); }

  void Write(const std::string& content, std::ios::openmode mode = std::ios::trunc) {
    std::ofstream(path_, std::ios::binary | std::ios::out | mode) << content;
  }

  std::filesystem::path path_;
};

std::string IncidentLine(int i) {
  return R"({"incident": {"externalId": "e-)" + std::to_string(i) + R"(", "title": "t"}})";
}

TEST_F(JsonlFileTest, SkipsBadLinesWithFileAndLineAndKeepsTheRest) {
  Write(IncidentLine(1) + "\n\n" + "oops\n" + IncidentLine(2) + "\r\n" +
        std::string(kMaxJsonLineBytes + 10, ' ') + "x\n" + IncidentLine(3));
  std::vector<std::string> errors;
  auto source = OpenJsonlFile(path_, InputProgress{}, nullptr);
  const std::vector<v1::Record> records = ReadAllRecords(*source, errors);
  ASSERT_EQ(records.size(), 3u);
  EXPECT_EQ(records[2].incident().external_id(), "e-3");
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_EQ(errors[0].rfind(path_.string() + ":3: not a sitrep.v1.Record", 0), 0u) << errors[0];
  EXPECT_EQ(errors[1], path_.string() + ":5: line longer than 8 MiB; skipped");
}

TEST_F(JsonlFileTest, ResumesAfterTheCheckpointWithCorrectLineNumbers) {
  Write(IncidentLine(1) + "\n" + IncidentLine(2) + "\n");
  std::vector<std::string> errors;
  InputProgress progress;
  {
    auto source = OpenJsonlFile(path_, InputProgress{}, nullptr);
    ImportChunk chunk;
    ASSERT_TRUE(source->Next(chunk));
    EXPECT_EQ(chunk.records.size(), 2u);
    EXPECT_TRUE(chunk.progress.complete);
    progress = chunk.progress;
    EXPECT_FALSE(source->Next(chunk));
  }
  EXPECT_EQ(progress.line, 2u);
  // The file grows, as a log does; the rerun reads only what is new.
  Write("broken\n" + IncidentLine(3) + "\n", std::ios::app);
  progress.complete = false;
  auto source = OpenJsonlFile(path_, progress, nullptr);
  const std::vector<v1::Record> records = ReadAllRecords(*source, errors);
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].incident().external_id(), "e-3");
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].rfind(path_.string() + ":3: ", 0), 0u) << errors[0];
}

TEST_F(JsonlFileTest, ChunksHoldAtMostAThousandRecords) {
  std::string content;
  for (int i = 0; i < 2500; ++i) content += IncidentLine(i) + "\n";
  Write(content);
  auto source = OpenJsonlFile(path_, InputProgress{}, nullptr);
  ImportChunk chunk;
  std::vector<size_t> sizes;
  while (source->Next(chunk)) sizes.push_back(chunk.records.size());
  EXPECT_EQ(sizes, (std::vector<size_t>{1000, 1000, 500}));
}

TEST_F(JsonlFileTest, StopEndsTheInputAtALineBoundaryIncomplete) {
  Write(IncidentLine(1) + "\n");
  std::atomic<bool> stop{true};
  auto source = OpenJsonlFile(path_, InputProgress{}, &stop);
  ImportChunk chunk;
  ASSERT_TRUE(source->Next(chunk));
  EXPECT_TRUE(chunk.records.empty());
  EXPECT_FALSE(chunk.progress.complete);
  EXPECT_EQ(chunk.progress.offset, 0u);
  EXPECT_FALSE(source->Next(chunk));
}

}  // namespace
}  // namespace sitrep::collector
