#include "collector/csaf_importer.h"

#include <gtest/gtest.h>

#include <fstream>
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
  struct Row {
    std::string file;
    std::string field;  // empty: accepted
    std::string reason;
  };
  const Row rows[] = {
      {"icsa-23-012-04.json", "", ""},
      {"icsa-24-004-01.json", "", ""},
      {"icsa-24-130-03.json", "", ""},
      {"icsa-23-026-07.json", "csaf_document/product_tree/branches/0/branches/0/branches/0/name",
       "CSAF_TEST_6_1_31"},
  };
  for (const Row& row : rows) {
    CsafSource source(test::TestDataDir() / "csaf-ics" / row.file);
    std::vector<std::string> errors;
    const std::vector<v1::Record> records = ReadAllRecords(source, errors);
    ASSERT_EQ(records.size(), 1U);
    const std::optional<LocalRejection> rejection = PreflightCheck(records[0]);
    if (row.field.empty()) {
      EXPECT_EQ(rejection, std::nullopt) << row.file << ": " << rejection->message;
      continue;
    }
    ASSERT_TRUE(rejection.has_value()) << row.file;
    EXPECT_EQ(rejection->field, row.field);
    EXPECT_EQ(rejection->reason, row.reason);
    EXPECT_NE(rejection->message.find("6.1.31 Version Range in Product Version"),
              std::string::npos);
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

// The 510 shipped advisories: one record each; the preflight refuses exactly the document the
// parser refuses (vulns/csaf_test.cc reconciles the counts by rule).
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
  EXPECT_EQ(refused, 1U);
}

}  // namespace
}  // namespace sitrep::collector
