#include "collector/advisories_importer.h"

#include <gtest/gtest.h>

#include <fstream>
#include <set>

#include "collector/reference_fixture.h"

namespace sitrep::collector {
namespace {

const char kMasterCsv[] = "datasets/ics-advisories/CISA_ICS_ADV_Master.csv";

// The fixture: the master file's header, its 10 newest rows and 2 rows with tokens that are no
// CVE id (tests/data/README.md).
std::filesystem::path FixtureCsv() {
  return test::TestDataDir() / "ics-advisories/CISA_ICS_ADV_Master.csv";
}
std::filesystem::path MasterCsv() { return test::SharedDir() / kMasterCsv; }

// Every row read from `file` is one valid asset with a unique key; returns them.
std::vector<v1::Record> ReadValidAssets(const std::filesystem::path& file, size_t rows,
                                        size_t warned) {
  const ReferenceCodes codes = ReferenceCodesFromCsv();
  AdvisoriesSource source(file, InputProgress{}, ExposureRules{});
  std::vector<std::string> errors;
  std::vector<std::string> warnings;
  const std::vector<v1::Record> records = ReadAllRecords(source, errors, &warnings);
  EXPECT_EQ(errors, std::vector<std::string>());
  EXPECT_EQ(records.size(), rows);
  EXPECT_EQ(warnings.size(), warned);
  std::set<std::string> keys;
  for (const v1::Record& record : records) {
    EXPECT_TRUE(keys.insert(record.asset().asset_key()).second);
    EXPECT_EQ(ViolationsOf(record, codes), std::vector<std::string>());
  }
  return records;
}

// The newest row, the first of the file, mapped field by field.
void ExpectNewestRow(const std::vector<v1::Record>& records) {
  ASSERT_FALSE(records.empty());
  const v1::Asset& newest = records.front().asset();
  EXPECT_EQ(newest.asset_key(), "icsadv:ICSA-26-232-01:3989");
  EXPECT_EQ(newest.vendor(), "Johnson Controls Inc.");
  EXPECT_EQ(newest.product(), "Johnson Controls Simplex Incident Manager");
  EXPECT_EQ(newest.cve_ids(0), "CVE-2026-27875");
  EXPECT_EQ(newest.sector(), "general_equipment");  // "Critical Manufacturing; ..."
  EXPECT_EQ(newest.attributes().at("cvss_severity"), "Medium");
  EXPECT_EQ(newest.last_seen_time().seconds(), 1787184000);  // 2026-08-20
}

TEST(AdvisoriesImporterTest, EveryRowOfTheFixtureBecomesOneValidAsset) {
  // "CVE-2024 21916" (ICSA-24-030-05) and "CVE-2013-521" (ICSA-14-051-04) are no CVE ids.
  const std::vector<v1::Record> records = ReadValidAssets(FixtureCsv(), 12, 2);
  ExpectNewestRow(records);
  EXPECT_EQ(records.back().asset().asset_key(), "icsadv:ICSA-14-051-04:258");
}

TEST(AdvisoriesImporterFullDataTest, EveryRowOfTheMasterCsvBecomesOneValidAsset) {
  ASSERT_TRUE(test::SharedDataPresent(MasterCsv()));
  // 3 rows carry 4 tokens that are no CVE id ("CVE-2024 21916", "SeeSSB-439005",
  // "CVE-2013-521"); 11 rows list more than the 100 CVE ids a record may hold.
  ExpectNewestRow(ReadValidAssets(MasterCsv(), 3989, 14));
}

// A chunk holds 1000 records, so only the whole file has a checkpoint inside it.
TEST(AdvisoriesImporterFullDataTest, ResumingAtACheckpointReadsOnlyTheRest) {
  ASSERT_TRUE(test::SharedDataPresent(MasterCsv()));
  AdvisoriesSource first(MasterCsv(), InputProgress{}, ExposureRules{});
  ImportChunk chunk;
  ASSERT_TRUE(first.Next(chunk));
  ASSERT_EQ(chunk.records.size(), 1000u);
  const InputProgress checkpoint = chunk.progress;
  const std::string next_key_expected = [&] {
    ImportChunk following;
    EXPECT_TRUE(first.Next(following));
    return following.records.front().asset().asset_key();
  }();

  AdvisoriesSource resumed(MasterCsv(), checkpoint, ExposureRules{});
  std::vector<std::string> errors;
  const std::vector<v1::Record> rest = ReadAllRecords(resumed, errors);
  EXPECT_EQ(rest.size(), 2989u);
  EXPECT_EQ(rest.front().asset().asset_key(), next_key_expected);
}

TEST(AdvisoriesImporterTest, MalformedRowsAreSkippedWithTheirLine) {
  const std::filesystem::path file = std::filesystem::temp_directory_path() / "advisories.csv";
  std::ofstream(file, std::ios::binary)
      << "icsad_ID,ICS-CERT_Number,Vendor,Product,CVE_Number,Last_Updated\r\n"
         "1,ICSA-1,Acme,PLC-5,CVE-2024-1234,1/2/2024\r\n"
         "2,ICSA-2,Acme\r\n"
         "3,ICSA-3,\"Ac\xFFme\",X,,1/2/2024\r\n"
         "4,ICSA-4,,,CVE-2024-1,\r\n"
         "5,ICSA-5,\"Acme, Inc.\",\"Multi\nline\",\"CVE-2024-5555, bogus\",13/45/2024\r\n";
  AdvisoriesSource source(file, InputProgress{}, ExposureRules{});
  std::vector<std::string> errors;
  std::vector<std::string> warnings;
  const std::vector<v1::Record> records = ReadAllRecords(source, errors, &warnings);
  std::filesystem::remove(file);
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[1].asset().vendor(), "Acme, Inc.");
  EXPECT_EQ(records[1].asset().product(), "Multi line");
  EXPECT_FALSE(records[1].asset().has_last_seen_time());  // 13/45/2024 is no date
  const std::string name = file.string();
  EXPECT_EQ(errors, (std::vector<std::string>{name + ":3: expected 6 fields, found 3",
                                              name + ":4: invalid UTF-8 in field 3 at byte 3",
                                              name + ":5: neither Vendor nor Product"}));
  EXPECT_EQ(warnings,
            (std::vector<std::string>{
                name + ":6: 1 invalid CVE token(s) dropped from \"CVE-2024-5555, bogus\""}));
}

// A year a nanosecond clock cannot hold overflowed the conversion to a Timestamp (found by
// fuzz/advisories_csv); such a date is no date, and the row is kept without last_seen_time.
TEST(AdvisoriesImporterTest, DatesOutsideTheClockRangeAreNoDates) {
  struct Row {
    std::string date;
    bool kept;
  };
  const Row rows[] = {{"9/2/6018", false}, {"1/1/32767", false}, {"12/31/2201", false},
                      {"1/1/1899", false}, {"1/1/2200", true},   {"1/1/1900", true},
                      {"8/20/2026", true}};
  const std::filesystem::path file = std::filesystem::temp_directory_path() / "advisory-dates.csv";
  for (const Row& row : rows) {
    std::ofstream(file, std::ios::binary)
        << "icsad_ID,ICS-CERT_Number,Vendor,Product,CVE_Number,Last_Updated\r\n"
        << "1,ICSA-1,Acme,PLC-5,CVE-2024-1234," << row.date << "\r\n";
    AdvisoriesSource source(file, InputProgress{}, ExposureRules{});
    std::vector<std::string> errors;
    const std::vector<v1::Record> records = ReadAllRecords(source, errors);
    ASSERT_EQ(records.size(), 1u) << row.date;
    EXPECT_EQ(records[0].asset().has_last_seen_time(), row.kept) << row.date;
  }
  std::filesystem::remove(file);
}

TEST(AdvisoriesImporterTest, AFileWithoutTheNeededColumnsIsRefused) {
  const std::filesystem::path file = std::filesystem::temp_directory_path() / "not-advisories.csv";
  std::ofstream(file) << "a,b,c\n1,2,3\n";
  EXPECT_THROW(AdvisoriesSource(file, InputProgress{}, ExposureRules{}), std::runtime_error);
  std::filesystem::remove(file);
}

}  // namespace
}  // namespace sitrep::collector
