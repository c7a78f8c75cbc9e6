#include "collector/advisory_fields.h"

#include <gtest/gtest.h>

namespace sitrep::collector {
namespace {

TEST(AssetTypeFromProductTest, RecognisesProductFamiliesAndKeywords) {
  struct Row {
    const char* product;
    v1::AssetType type;
  };
  const Row rows[] = {
      {"ControlLogix 5580 Controllers", v1::ASSET_TYPE_PLC},
      {"Modicon M340", v1::ASSET_TYPE_PLC},
      {"SIMATIC S7-1500 CPU", v1::ASSET_TYPE_PLC},
      {"MELSEC iQ-R Series", v1::ASSET_TYPE_PLC},
      {"PanelView Plus 7", v1::ASSET_TYPE_HMI},
      {"GOT2000 Series", v1::ASSET_TYPE_HMI},
      {"SIMATIC WinCC", v1::ASSET_TYPE_SCADA},
      {"WinCC Runtime Controller", v1::ASSET_TYPE_SCADA},
      {"VTScada", v1::ASSET_TYPE_SCADA},
      {"Ovation", v1::ASSET_TYPE_DCS},
      {"DeltaV Distributed Control System", v1::ASSET_TYPE_DCS},
      {"RTU500 series", v1::ASSET_TYPE_RTU},  // digits may follow a keyword: model numbers
      {"ABB RTU", v1::ASSET_TYPE_RTU},
      {"MGate 5105", v1::ASSET_TYPE_GATEWAY},
      {"Industrial Cellular Gateway", v1::ASSET_TYPE_GATEWAY},
      {"Historian Server", v1::ASSET_TYPE_INDUSTRIAL_PLATFORM},
      {"Factory Talk Activation Manager", v1::ASSET_TYPE_INDUSTRIAL_APP},
      {"Infusion Pump", v1::ASSET_TYPE_OTHER},
      {"Virtual appliance", v1::ASSET_TYPE_OTHER},  // "rtu" inside a word does not count
  };
  for (const Row& row : rows) {
    EXPECT_EQ(AssetTypeFromProduct(row.product), row.type) << row.product;
  }
}

TEST(SectorFromCisaSectorsTest, TakesTheFirstSectorThatMaps) {
  EXPECT_EQ(SectorFromCisaSectors("Energy"), "energy");
  EXPECT_EQ(SectorFromCisaSectors(" Critical Manufacturing"), "general_equipment");
  EXPECT_EQ(SectorFromCisaSectors("Commercial Facilities; Water and Wastewater Systems"), "water");
  EXPECT_EQ(SectorFromCisaSectors("Government Facilities, Chemical, Energy"), "petrochemical");
  EXPECT_EQ(SectorFromCisaSectors("Healthcare and Public Health"), "pharmaceutical");
  EXPECT_EQ(SectorFromCisaSectors("Multiple Sectors"), "other");
  EXPECT_EQ(SectorFromCisaSectors(""), "other");
}

TEST(ParseCveListTest, KeepsValidDistinctIdsAndCountsTheRest) {
  const CveList list =
      ParseCveList("CVE-2024-1234, CVE-2016-1839. CVE-2024-1234;CVE-NA CVE-2024 21916 SeeSSB-4");
  EXPECT_EQ(list.ids, (std::vector<std::string>{"CVE-2024-1234", "CVE-2016-1839"}));
  EXPECT_EQ(list.dropped, 3u);
  EXPECT_EQ(list.truncated, 0u);
}

TEST(ParseCveListTest, StopsAtTheRecordLimit) {
  std::string text;
  for (int i = 0; i < 120; ++i) text += "CVE-2024-" + std::to_string(10000 + i) + ",";
  const CveList list = ParseCveList(text);
  EXPECT_EQ(list.ids.size(), 100u);
  EXPECT_EQ(list.truncated, 20u);
}

}  // namespace
}  // namespace sitrep::collector
