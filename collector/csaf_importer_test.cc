#include "collector/csaf_importer.h"

#include <google/protobuf/util/message_differencer.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <set>

#include "collector/protocol_table.h"
#include "collector/reference_fixture.h"

namespace sitrep::collector {
namespace {

struct Imported {
  std::vector<v1::Record> records;
  std::vector<std::string> errors;
  std::vector<std::string> warnings;
  size_t files = 0;
};

Imported ImportFolder(const std::filesystem::path& folder, const ExposureRules& rules) {
  Imported imported;
  for (const std::filesystem::path& file : CsafFiles(folder)) {
    CsafSource source(file, rules);
    std::vector<v1::Record> records = ReadAllRecords(source, imported.errors, &imported.warnings);
    imported.records.insert(imported.records.end(), records.begin(), records.end());
    ++imported.files;
  }
  return imported;
}

// The protocol table of `data_dir` (tests/data or ../shared/datasets).
ExposureRules DatasetRules(const std::filesystem::path& data_dir) {
  ExposureRules rules;
  std::vector<std::string> errors;
  rules.protocols = LoadProtocolTable(data_dir / "ics-protocols/protocols.json", errors);
  EXPECT_EQ(errors, std::vector<std::string>());
  return rules;
}

// Every advisory in `folder` gives one valid asset per affected product, unique keys, in the
// benchmark address ranges; returns the share of them exposed to the Internet.
double ExpectValidAssets(const std::filesystem::path& folder, const ExposureRules& rules,
                         size_t assets, size_t warnings) {
  const ReferenceCodes codes = ReferenceCodesFromCsv();
  const Imported imported = ImportFolder(folder, rules);
  EXPECT_EQ(imported.errors, std::vector<std::string>());
  EXPECT_EQ(imported.warnings.size(), warnings);
  EXPECT_EQ(imported.records.size(), assets);

  std::set<std::string> keys;
  size_t exposed = 0;
  for (const v1::Record& record : imported.records) {
    EXPECT_TRUE(record.has_asset());
    const v1::Asset& asset = record.asset();
    EXPECT_TRUE(keys.insert(asset.asset_key()).second) << asset.asset_key();
    EXPECT_EQ(ViolationsOf(record, codes), std::vector<std::string>());
    EXPECT_FALSE(asset.cve_ids().empty()) << asset.asset_key();
    EXPECT_TRUE(asset.ip().starts_with("198.18.") || asset.ip().starts_with("198.19."));
    EXPECT_TRUE(asset.has_last_seen_time());
    exposed += asset.internet_exposed();
  }
  return imported.records.empty()
             ? 0
             : static_cast<double>(exposed) / static_cast<double>(imported.records.size());
}

// Three advisories (tests/data/csaf-ics): 1 + 6 + 1 affected products.
TEST(CsafImporterTest, EveryAffectedProductOfTheFixturesBecomesOneValidAsset) {
  static_cast<void>(
      ExpectValidAssets(test::TestDataDir() / "csaf-ics", DatasetRules(test::TestDataDir()), 8, 0));
}

struct Dataset {
  const char* folder;
  size_t assets;    // affected (vendor, product, version) leaves, counted by an independent script
  size_t warnings;  // products listing more than 100 CVE ids
};

class CsafFullDataTest : public ::testing::TestWithParam<Dataset> {};

// 2023: 302 advisories; 2024: 208 advisories, of which ICSA-24-074-07 lists 157 CVE ids for
// one product (a record holds at most 100; the rest are dropped with a warning).
TEST_P(CsafFullDataTest, EveryAffectedProductBecomesOneValidAsset) {
  const std::filesystem::path datasets = test::SharedDir() / "datasets";
  ASSERT_TRUE(test::SharedDataPresent(datasets / GetParam().folder));
  const double exposed = ExpectValidAssets(datasets / GetParam().folder, DatasetRules(datasets),
                                           GetParam().assets, GetParam().warnings);
  EXPECT_NEAR(exposed, 0.30, 0.05);
}

INSTANTIATE_TEST_SUITE_P(CisaAdvisories, CsafFullDataTest,
                         ::testing::Values(Dataset{"csaf-ics-2023", 1919, 0},
                                           Dataset{"csaf-ics-2024", 667, 1}),
                         [](const ::testing::TestParamInfo<Dataset>& info) {
                           std::string name = info.param.folder;
                           std::replace(name.begin(), name.end(), '-', '_');
                           return name;
                         });

TEST(CsafImporterTest, MapsOneAdvisoryFieldByField) {
  const std::filesystem::path file = test::TestDataDir() / "csaf-ics/icsa-24-004-01.json";
  ExposureRules rules;
  rules.province = 440000;
  CsafSource source(file, rules);
  std::vector<std::string> errors;
  const std::vector<v1::Record> records = ReadAllRecords(source, errors);
  ASSERT_EQ(records.size(), 1u);
  const v1::Asset& asset = records[0].asset();
  EXPECT_EQ(asset.asset_key(), "csaf:ICSA-24-004-01:CSAFPID-0001");
  EXPECT_EQ(asset.province(), 440000u);
  EXPECT_EQ(asset.vendor(), "Rockwell Automation");
  EXPECT_EQ(asset.product(), "Factory Talk Activation Manager");
  EXPECT_EQ(asset.version(), "<V4.00_Utilizes_Wibu-Systems_CodeMeter_7.60c");
  EXPECT_EQ(asset.type(), v1::ASSET_TYPE_INDUSTRIAL_APP);
  EXPECT_EQ(asset.sector(), "general_equipment");  // "Critical Manufacturing"
  EXPECT_EQ(std::vector<std::string>(asset.cve_ids().begin(), asset.cve_ids().end()),
            (std::vector<std::string>{"CVE-2023-38545", "CVE-2023-3935"}));
  EXPECT_EQ(asset.last_seen_time().seconds(), 1704351600);  // 2024-01-04T07:00:00Z
  EXPECT_EQ(asset.attributes().at("advisory"), "ICSA-24-004-01");
  EXPECT_EQ(asset.attributes().at("cvss"), "9.8");
  EXPECT_EQ(asset.attributes().at("cvss_severity"), "CRITICAL");
  EXPECT_FALSE(asset.protocol().empty());
  EXPECT_NE(asset.port(), 0u);

  // The same file gives the same record: a rerun updates assets instead of adding new ones.
  CsafSource again(file, rules);
  const std::vector<v1::Record> second = ReadAllRecords(again, errors);
  ASSERT_EQ(second.size(), 1u);
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(second[0], records[0]));
}

TEST(CsafImporterTest, MalformedDocumentsGiveOneErrorAndNoRecords) {
  struct Row {
    std::string content;
    std::string error;  // expected after "<file>"
  };
  const Row rows[] = {
      {"{\n  \"document\": [1,\n  oops\n}", ":3: invalid JSON: "},
      {"[]", ": not a CSAF document: no document.tracking.id"},
      {R"({"document": {"tracking": {"id": 42}}})",
       ": not a CSAF document: no document.tracking.id"},
      {R"({"document": {"tracking": {"id": "X-1"}}, "product_tree": 5})",
       ": X-1 has no product_tree"},
      {std::string(100000, '[') + std::string(100000, ']'),
       ": invalid JSON: nested deeper than 256"},
      {"", ":1: invalid JSON: "},
      // Numbers beyond a double's range: nlohmann throws out_of_range, not parse_error.
      {R"({"document": 1e400})", ": invalid JSON: number overflow parsing '1e400'"},
      {"[-498e97234]", ": invalid JSON: number overflow parsing '-498e97234'"},
  };
  const std::filesystem::path file = std::filesystem::temp_directory_path() / "csaf-test.json";
  for (const Row& row : rows) {
    std::ofstream(file, std::ios::binary) << row.content;
    CsafSource source(file, ExposureRules{});
    std::vector<std::string> errors;
    EXPECT_TRUE(ReadAllRecords(source, errors).empty());
    ASSERT_EQ(errors.size(), 1u) << row.error;
    EXPECT_EQ(errors[0].rfind(file.string() + row.error, 0), 0u) << errors[0];
  }
  std::filesystem::remove(file);
}

TEST(CsafImporterTest, WrongTypesInsideTheTreeAreIgnoredNotFatal) {
  const nlohmann::json document = nlohmann::json::parse(R"({
    "document": {"tracking": {"id": "T-1", "current_release_date": 7}, "notes": "x"},
    "product_tree": {"branches": [
      {"category": "vendor", "name": "V", "branches": [
        {"category": "product_name", "name": "PLC 1", "product": {"product_id": "P1"}},
        {"category": "product_name", "name": 5, "product": {"product_id": "P2"}},
        {"category": "product_name", "name": "NotAffected", "product": {"product_id": "P3"}},
        "junk", 17]}]},
    "vulnerabilities": [
      {"cve": "CVE-2024-1111", "product_status": {"known_affected": ["P1", "P2", 9]}},
      {"cve": "not-a-cve", "product_status": {"known_affected": ["P1"]}},
      {"product_status": {"fixed": ["P3"]}}, 12]})");
  ImportChunk chunk;
  CsafToAssets(document, "t.json", ExposureRules{}, chunk);
  ASSERT_EQ(chunk.records.size(), 2u);
  EXPECT_EQ(chunk.records[0].asset().product(), "PLC 1");
  EXPECT_EQ(chunk.records[0].asset().type(), v1::ASSET_TYPE_PLC);
  EXPECT_EQ(chunk.records[0].asset().cve_ids_size(), 1);
  EXPECT_FALSE(chunk.records[0].asset().has_last_seen_time());
  EXPECT_EQ(chunk.records[1].asset().product(), "");  // vendor alone still names it
  EXPECT_EQ(chunk.warnings.size(), 1u);               // "not-a-cve" dropped from P1
}

}  // namespace
}  // namespace sitrep::collector
