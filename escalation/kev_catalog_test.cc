#include "escalation/kev_catalog.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "tests/support/test_data.h"

namespace sitrep::escalation {
namespace {

TEST(KevCatalogTest, ParsesTheCisaFeedFormat) {
  std::string error;
  const auto catalog = KevCatalog::Parse(R"({
    "title": "CISA Catalog of Known Exploited Vulnerabilities",
    "catalogVersion": "2025.08.25", "count": 2,
    "vulnerabilities": [
      {"cveID": "CVE-2025-48384", "vendorProject": "Git", "product": "Git",
       "vulnerabilityName": "Git Link Following Vulnerability", "dateAdded": "2025-08-25",
       "requiredAction": "Apply mitigations.", "dueDate": "2025-09-15", "cwes": ["CWE-59"]},
      {"cveID": "CVE-2021-22681"}
    ]})",
                                         error);
  ASSERT_TRUE(catalog) << error;
  EXPECT_EQ(catalog->version(), "2025.08.25");
  EXPECT_EQ(catalog->size(), 2u);
  const KevEntry* git = catalog->Find("CVE-2025-48384");
  ASSERT_NE(git, nullptr);
  EXPECT_EQ(git->vendor_project, "Git");
  EXPECT_EQ(git->vulnerability_name, "Git Link Following Vulnerability");
  EXPECT_EQ(git->required_action, "Apply mitigations.");
  EXPECT_EQ(git->due_date, "2025-09-15");
  ASSERT_NE(catalog->Find("CVE-2021-22681"), nullptr);
  EXPECT_EQ(catalog->Find("CVE-2021-22681")->product, "");
  EXPECT_EQ(catalog->Find("CVE-2020-0001"), nullptr);
  EXPECT_EQ(catalog->CveIds(), (std::vector<std::string>{"CVE-2021-22681", "CVE-2025-48384"}));
}

struct BadFeed {
  const char* name;
  const char* json;
  const char* error;
};

class KevCatalogBadFeedTest : public ::testing::TestWithParam<BadFeed> {};

TEST_P(KevCatalogBadFeedTest, IsRefusedWithAReason) {
  std::string error;
  EXPECT_FALSE(KevCatalog::Parse(GetParam().json, error));
  EXPECT_EQ(error, GetParam().error);
}

INSTANTIATE_TEST_SUITE_P(
    Cases, KevCatalogBadFeedTest,
    ::testing::Values(BadFeed{"NotJson", "{\"vulnerabilities\": [", "is not a JSON object"},
                      BadFeed{"AnArray", "[]", "is not a JSON object"},
                      BadFeed{"NoList", "{\"catalogVersion\": \"1\"}",
                              "has no \"vulnerabilities\" array (not a CISA KEV catalog)"},
                      BadFeed{"ListNotArray", "{\"vulnerabilities\": {}}",
                              "has no \"vulnerabilities\" array (not a CISA KEV catalog)"},
                      BadFeed{"MissingId", "{\"vulnerabilities\": [{\"product\": \"x\"}]}",
                              "entry 0 has no valid cveID"},
                      BadFeed{"BadId",
                              "{\"vulnerabilities\": [{\"cveID\": \"CVE-2021-22681\"}, "
                              "{\"cveID\": \"CVE-21-1; DROP\"}]}",
                              "entry 1 has no valid cveID"},
                      BadFeed{"EntryNotObject", "{\"vulnerabilities\": [\"CVE-2021-22681\"]}",
                              "entry 0 has no valid cveID"}),
    [](const ::testing::TestParamInfo<BadFeed>& info) { return info.param.name; });

TEST(KevCatalogTest, AMissingFileCannotBeRead) {
  std::string error;
  EXPECT_FALSE(KevCatalog::Load("/nonexistent/kev.json", error));
  EXPECT_EQ(error, "cannot be read");
}

// A cut of CISA's file (tests/data/kev): its header and six of its entries, byte for byte.
TEST(KevCatalogTest, LoadsTheCisaFileFormat) {
  std::string error;
  const auto catalog =
      KevCatalog::Load(test::TestDataDir() / "kev/known_exploited_vulnerabilities.json", error);
  ASSERT_TRUE(catalog) << error;
  EXPECT_EQ(catalog->version(), "2025.08.25");
  EXPECT_EQ(catalog->size(), 6u);
  const KevEntry* unitronics = catalog->Find("CVE-2023-6448");
  ASSERT_NE(unitronics, nullptr);
  EXPECT_EQ(unitronics->vendor_project, "Unitronics");
  EXPECT_EQ(unitronics->product, "Vision PLC and HMI");
  EXPECT_NE(catalog->Find("CVE-2025-48384"), nullptr);
  EXPECT_EQ(catalog->Find("CVE-2022-45788"), nullptr);
}

// The whole catalog in ../shared/datasets.
TEST(KevCatalogFullDataTest, LoadsTheSharedDataset) {
  const std::filesystem::path path =
      test::SharedDir() / "datasets/kev/known_exploited_vulnerabilities.json";
  ASSERT_TRUE(test::SharedDataPresent(path));
  std::string error;
  const auto catalog = KevCatalog::Load(path, error);
  ASSERT_TRUE(catalog) << error;
  EXPECT_EQ(catalog->version(), "2025.08.25");
  EXPECT_EQ(catalog->size(), 1404u);
  EXPECT_NE(catalog->Find("CVE-2025-48384"), nullptr);
}

}  // namespace
}  // namespace sitrep::escalation
