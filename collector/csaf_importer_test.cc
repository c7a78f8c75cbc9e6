#include "collector/csaf_importer.h"

#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "collector/record_preflight.h"
#include "tests/support/test_data.h"
#include "vulns/csaf.h"

// --format csaf: each file one advisory record carrying the document unchanged, checked
// locally as the server checks it.
namespace sitrep::collector {
namespace {

std::string FileBytes(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

struct Read {
  std::vector<v1::Record> records;
  std::vector<std::string> errors;
  std::vector<std::filesystem::path> files;
};

Read ReadFolder(const std::filesystem::path& folder) {
  Read read;
  read.files = CsafFiles(folder);
  for (const std::filesystem::path& file : read.files) {
    CsafSource source(file);
    std::vector<v1::Record> records = ReadAllRecords(source, read.errors);
    EXPECT_EQ(records.size(), 1U) << file;
    read.records.insert(read.records.end(), records.begin(), records.end());
  }
  return read;
}

TEST(CsafImporterTest, EachFileIsOneAdvisoryCarryingItsBytes) {
  const Read read = ReadFolder(test::TestDataDir() / "csaf-ics");
  EXPECT_EQ(read.errors, std::vector<std::string>());
  ASSERT_EQ(read.records.size(), 4U);
  for (size_t i = 0; i < read.records.size(); ++i) {
    const v1::Record& record = read.records[i];
    ASSERT_TRUE(record.has_advisory());
    EXPECT_EQ(record.advisory().csaf_document(), FileBytes(read.files[i]));
    EXPECT_FALSE(record.has_asset());  // no synthetic assets any more
  }
}

// The local verdict is the server's: field "csaf_document<pointer>", its reason code and
// sentence (ingest/advisory_checks.cc maps vulns::ParseCsaf's problems the same way).
TEST(CsafImporterTest, PreflightGivesEachDocumentTheServersVerdict) {
  const std::filesystem::path fixtures = test::TestDataDir() / "csaf-ics";
  nlohmann::json stale = nlohmann::json::parse(FileBytes(fixtures / "icsa-24-004-01.json"));
  stale["document"]["tracking"]["version"] = "2";
  struct Row {
    std::string name;
    std::string document;
    std::string field;  // empty: accepted
    std::string reason;
  };
  std::vector<Row> rows;
  for (const auto& file : CsafFiles(fixtures)) {
    rows.push_back({file.filename().string(), FileBytes(file), "", ""});
  }
  rows.push_back({"version 2 without its revision", stale.dump(),
                  "csaf_document/document/tracking/version", "CSAF_TEST_6_1_16"});
  for (const Row& row : rows) {
    v1::Record record;
    record.mutable_advisory()->set_csaf_document(row.document);
    const std::optional<LocalRejection> rejection = PreflightCheck(record);
    if (row.field.empty()) {
      EXPECT_EQ(rejection, std::nullopt) << row.name << ": " << rejection->message;
      continue;
    }
    ASSERT_TRUE(rejection.has_value()) << row.name;
    EXPECT_EQ(rejection->field, row.field);
    EXPECT_EQ(rejection->reason, row.reason);
    EXPECT_NE(rejection->message.find("6.1.16 Latest Document Version"), std::string::npos);
  }
}

TEST(CsafImporterTest, UnreadableOrOversizedFilesAreInputErrors) {
  const std::filesystem::path big = std::filesystem::temp_directory_path() / "csaf-big.json";
  std::ofstream(big, std::ios::binary) << std::string(vulns::kMaxCsafBytes + 1, ' ');
  const std::filesystem::path missing = std::filesystem::temp_directory_path() / "csaf-none.json";
  for (const auto& [file, error] :
       {std::pair{big, ": larger than 2097152 bytes"}, std::pair{missing, ": cannot read"}}) {
    CsafSource source(file);
    std::vector<std::string> errors;
    EXPECT_TRUE(ReadAllRecords(source, errors).empty());
    ASSERT_EQ(errors.size(), 1U);
    EXPECT_EQ(errors[0].rfind(file.string() + error, 0), 0U) << errors[0];
  }
  std::filesystem::remove(big);
}

// The 510 shipped advisories: one record each, none refused by the preflight (vulns/csaf_test.cc
// reconciles the counts by rule).
TEST(CsafImporterFullDataTest, EveryShippedAdvisoryIsOneRecordWithItsVerdict) {
  size_t records = 0;
  size_t refused = 0;
  for (const char* year : {"csaf-ics-2023", "csaf-ics-2024"}) {
    const std::filesystem::path folder = test::SharedDir() / "datasets" / year;
    ASSERT_TRUE(test::SharedDataPresent(folder));
    const Read read = ReadFolder(folder);
    EXPECT_EQ(read.errors, std::vector<std::string>());
    records += read.records.size();
    for (const v1::Record& record : read.records) refused += PreflightCheck(record).has_value();
  }
  EXPECT_EQ(records, 510U);
  EXPECT_EQ(refused, 0U);
}

}  // namespace
}  // namespace sitrep::collector
