#include "collector/stix_source.h"

#include <gtest/gtest.h>

#include <fstream>

#include "collector/reference_fixture.h"

namespace sitrep::collector {
namespace {

struct Read {
  std::vector<v1::Record> records;
  std::vector<InputRejection> rejections;
  std::vector<std::string> notes;
  std::vector<std::string> errors;
};

Read ReadBundle(const std::filesystem::path& path, std::optional<uint32_t> province) {
  StixBundleSource source(path, province);
  Read read;
  ImportChunk chunk;
  while (source.Next(chunk)) {
    read.records.insert(read.records.end(), chunk.records.begin(), chunk.records.end());
    read.rejections.insert(read.rejections.end(), chunk.rejections.begin(), chunk.rejections.end());
    read.notes.insert(read.notes.end(), chunk.notes.begin(), chunk.notes.end());
    read.errors.insert(read.errors.end(), chunk.errors.begin(), chunk.errors.end());
    EXPECT_TRUE(chunk.progress.complete);
  }
  return read;
}

TEST(StixSourceTest, GoodObjectsArePushedAndABadOneGoesToTheRejectLog) {
  const std::filesystem::path path =
      std::filesystem::path(::testing::TempDir()) / "stix_source_bundle.json";
  std::ofstream(path) << R"({"type": "bundle", "id": "bundle--6b2c8a3e-1d4f-4e5a-9b6c-7d8e9f0a1b2c",
    "objects": [
      {"type": "incident", "spec_version": "2.1",
       "id": "incident--0b3a6a1e-7c11-4d5c-9f1a-5f2b1d9e8c41",
       "created": "2026-03-01T08:00:00Z", "modified": "2026-03-01T08:00:00Z",
       "name": "HMI defaced"},
      {"type": "incident", "spec_version": "2.1",
       "id": "incident--1b3a6a1e-7c11-4d5c-9f1a-5f2b1d9e8c41",
       "created": "2026-03-01T08:00:00Z", "modified": "2026-02-01T08:00:00Z",
       "name": "Out of order"},
      {"type": "identity", "spec_version": "2.1",
       "id": "identity--2b3a6a1e-7c11-4d5c-9f1a-5f2b1d9e8c41",
       "created": "2026-03-01T08:00:00Z", "modified": "2026-03-01T08:00:00Z", "name": "CERT"}
    ]})";
  const Read read = ReadBundle(path, 440000);
  EXPECT_TRUE(read.errors.empty());
  ASSERT_EQ(read.records.size(), 1u);
  EXPECT_EQ(read.records[0].incident().province(), 440000u);
  ASSERT_EQ(read.rejections.size(), 1u);
  EXPECT_EQ(read.rejections[0].key, "incident--1b3a6a1e-7c11-4d5c-9f1a-5f2b1d9e8c41");
  EXPECT_EQ(read.rejections[0].field, "objects[1].modified");
  EXPECT_EQ(read.rejections[0].reason, "INVALID_STIX");
  EXPECT_EQ(read.rejections[0].message,
            path.string() + ": objects[1].modified: earlier than created");
  ASSERT_EQ(read.notes.size(), 1u);
  EXPECT_EQ(read.notes[0], path.string() +
                               ": 3 objects: 1 records, 0 folded into incidents, 1 rejected, 1 "
                               "ignored (identity 1)");
}

TEST(StixSourceTest, AFileThatIsNotStixIsOneError) {
  const std::filesystem::path path =
      std::filesystem::path(::testing::TempDir()) / "stix_source_not.json";
  std::ofstream(path) << "{\"objects\": [";
  const Read read = ReadBundle(path, std::nullopt);
  ASSERT_EQ(read.errors.size(), 1u);
  EXPECT_NE(read.errors[0].find("invalid JSON"), std::string::npos) << read.errors[0];
  EXPECT_TRUE(read.records.empty());
}

// The ATT&CK for ICS bundle is reference data: every object is valid STIX 2.1 and none is an
// incident, indicator or vulnerability (its campaigns are --format attack's).
TEST(StixSourceFullDataTest, TheAttackForIcsBundleIsValidAndHoldsNoRecords) {
  const std::filesystem::path bundle =
      test::SharedDir() / "datasets/attack-ics/ics-attack-18.1.json";
  ASSERT_TRUE(test::SharedDataPresent(bundle));
  const Read read = ReadBundle(bundle, std::nullopt);
  EXPECT_TRUE(read.errors.empty());
  EXPECT_TRUE(read.rejections.empty()) << read.rejections.front().message;
  EXPECT_TRUE(read.records.empty());
  ASSERT_EQ(read.notes.size(), 1u);
  EXPECT_NE(read.notes[0].find(": 1826 objects: 0 records, 0 folded into incidents, 0 rejected, "
                               "1826 ignored (relationship 1373, attack-pattern 95,"),
            std::string::npos)
      << read.notes[0];
}

}  // namespace
}  // namespace sitrep::collector
