#include "collector/advisories_importer.h"

#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <sstream>

#include "collector/record_preflight.h"
#include "tests/support/test_data.h"

// --format advisories: the ICS Advisory Project's index as advisory stubs, one per advisory.
namespace sitrep::collector {
namespace {

const char kMasterCsv[] = "datasets/ics-advisories/CISA_ICS_ADV_Master.csv";

// The fixture: the master file's header, its 10 newest rows and 2 older rows
// (tests/data/README.md).
std::filesystem::path FixtureCsv() {
  return test::TestDataDir() / "ics-advisories/CISA_ICS_ADV_Master.csv";
}
std::filesystem::path MasterCsv() { return test::SharedDir() / kMasterCsv; }

std::vector<v1::Record> ReadStubs(const std::filesystem::path& file, size_t stubs) {
  AdvisoriesSource source(file);
  std::vector<std::string> errors;
  const std::vector<v1::Record> records = ReadAllRecords(source, errors);
  EXPECT_EQ(errors, std::vector<std::string>());
  EXPECT_EQ(records.size(), stubs);
  std::set<std::string> ids;
  for (const v1::Record& record : records) {
    EXPECT_TRUE(record.has_advisory());
    EXPECT_TRUE(record.advisory().csaf_document().empty());
    EXPECT_TRUE(ids.insert(record.advisory().tracking_id()).second);
    EXPECT_EQ(PreflightCheck(record), std::nullopt);
  }
  return records;
}

// The newest advisory, the first row of the file, mapped field by field.
void ExpectNewestStub(const std::vector<v1::Record>& records) {
  ASSERT_FALSE(records.empty());
  const v1::Advisory& newest = records.front().advisory();
  EXPECT_EQ(newest.tracking_id(), "ICSA-26-232-01");
  EXPECT_EQ(newest.title(), "Johnson Controls Simplex Incident Manager");
  EXPECT_EQ(std::vector<std::string>(newest.vendors().begin(), newest.vendors().end()),
            std::vector<std::string>{"Johnson Controls Inc."});
  EXPECT_EQ(std::vector<std::string>(newest.products().begin(), newest.products().end()),
            std::vector<std::string>{"Johnson Controls Simplex Incident Manager"});
  EXPECT_EQ(newest.published_time().seconds(), 1787184000);  // 2026-08-20
  EXPECT_EQ(newest.url(), "https://www.cisa.gov/news-events/ics-advisories/icsa-26-232-01");
}

TEST(AdvisoriesImporterTest, EveryAdvisoryOfTheFixtureBecomesOneStub) {
  ExpectNewestStub(ReadStubs(FixtureCsv(), 12));
}

// 3,989 rows name 3,946 advisories: the rows of one advisory (23 of them not adjacent) make
// one stub with each vendor and product once.
TEST(AdvisoriesImporterFullDataTest, EveryAdvisoryOfTheMasterCsvBecomesOneStub) {
  ASSERT_TRUE(test::SharedDataPresent(MasterCsv()));
  const std::vector<v1::Record> stubs = ReadStubs(MasterCsv(), 3946);
  ExpectNewestStub(stubs);
  size_t products = 0;
  for (const v1::Record& record : stubs) products += record.advisory().products_size();
  EXPECT_GT(products, 3946U);
}

TEST(AdvisoriesImporterTest, RowsOfOneAdvisoryMergeAndMalformedRowsAreSkipped) {
  const std::filesystem::path file = std::filesystem::temp_directory_path() / "advisories.csv";
  std::ofstream(file, std::ios::binary)
      << "ICS-CERT_Number,ICS-CERT_Advisory_Title,Vendor,Product,Original_Release_Date\r\n"
         "ICSA-1,Acme PLC,Acme,PLC-5,1/2/2024\r\n"
         "ICSA-2,Short\r\n"
         "ICSA-3,Bad,\"Ac\xFFme\",X,1/2/2024\r\n"
         ",No number,Acme,X,1/2/2024\r\n"
         "ICSA-4,\"Acme, two\",\"Acme, Inc.\",\"Multi\nline\",13/45/2024\r\n"
         "ICSA-1,Acme PLC,Acme,PLC-6,1/2/2024\r\n"
         "ICSA-1,Acme PLC,Acme,PLC-5,1/2/2024\r\n";
  AdvisoriesSource source(file);
  std::vector<std::string> errors;
  const std::vector<v1::Record> records = ReadAllRecords(source, errors);
  std::filesystem::remove(file);
  ASSERT_EQ(records.size(), 2U);
  const v1::Advisory& first = records[0].advisory();
  EXPECT_EQ(first.tracking_id(), "ICSA-1");
  EXPECT_EQ(std::vector<std::string>(first.products().begin(), first.products().end()),
            (std::vector<std::string>{"PLC-5", "PLC-6"}));
  EXPECT_EQ(first.vendors_size(), 1);
  EXPECT_EQ(records[1].advisory().vendors(0), "Acme, Inc.");
  EXPECT_EQ(records[1].advisory().products(0), "Multi line");
  EXPECT_FALSE(records[1].advisory().has_published_time());  // 13/45/2024 is no date
  const std::string name = file.string();
  EXPECT_EQ(errors, (std::vector<std::string>{name + ":3: expected 5 fields, found 2",
                                              name + ":4: invalid UTF-8 in field 3 at byte 3",
                                              name + ":5: ICS-CERT_Number is empty"}));
}

// A year a nanosecond clock cannot hold overflowed the conversion to a Timestamp (found by
// fuzz/advisories_csv); such a date is no date, and the stub is kept without published_time.
TEST(AdvisoriesImporterTest, DatesOutsideTheClockRangeAreNoDates) {
  struct Row {
    std::string date;
    bool kept;
  };
  const Row rows[] = {{"9/2/6018", false}, {"1/1/32767", false}, {"12/31/2201", false},
                      {"1/1/1899", false}, {"1/1/2200", true},   {"1/1/1900", true},
                      {"8/20/2026", true}};
  for (const Row& row : rows) {
    auto in = std::make_unique<std::istringstream>(
        "ICS-CERT_Number,ICS-CERT_Advisory_Title,Vendor,Product,Original_Release_Date\n"
        "ICSA-1,T,Acme,PLC-5," +
        row.date + "\n");
    AdvisoriesSource source("dates.csv", std::move(in));
    std::vector<std::string> errors;
    const std::vector<v1::Record> records = ReadAllRecords(source, errors);
    ASSERT_EQ(records.size(), 1U) << row.date;
    EXPECT_EQ(records[0].advisory().has_published_time(), row.kept) << row.date;
  }
}

TEST(AdvisoriesImporterTest, AFileWithoutTheNeededColumnsIsRefused) {
  EXPECT_THROW(AdvisoriesSource("x.csv", std::make_unique<std::istringstream>("a,b,c\n1,2,3\n")),
               std::runtime_error);
}

}  // namespace
}  // namespace sitrep::collector
