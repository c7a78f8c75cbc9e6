#include "cli/reference_words.h"

#include <gtest/gtest.h>

namespace sitrep::cli {
namespace {

namespace v1 = ::sitrep::v1;

// A part of the seeded reference tables (storage/migrations/0001_reference.sql).
v1::ListReferenceCodesResponse SomeCodes() {
  v1::ListReferenceCodesResponse codes;
  const auto province = [&](std::uint32_t code, const char* zh, const char* en) {
    v1::Province* p = codes.add_provinces();
    p->set_code(code);
    p->set_name_zh(zh);
    p->set_name_en(en);
  };
  province(140000, "山西省", "Shanxi");
  province(150000, "内蒙古自治区", "Inner Mongolia");
  province(310000, "上海市", "Shanghai");
  province(440000, "广东省", "Guangdong");
  province(450000, "广西壮族自治区", "Guangxi");
  province(540000, "西藏自治区", "Xizang (Tibet)");
  province(610000, "陕西省", "Shaanxi");
  province(650000, "新疆维吾尔自治区", "Xinjiang");
  province(660000, "新疆生产建设兵团", "Xinjiang Production and Construction Corps");
  const auto sector = [&](const char* code, const char* zh) {
    v1::Sector* s = codes.add_sectors();
    s->set_code(code);
    s->set_name_zh(zh);
  };
  sector("energy", "能源");
  sector("water", "水务");
  return codes;
}

TEST(ReferenceWordsTest, ProvinceByCodeOrEnglishNameInAnyCase) {
  const ReferenceWords words(SomeCodes());
  EXPECT_EQ(words.ParseProvince("440000"), 440000u);
  EXPECT_EQ(words.ParseProvince("Guangdong"), 440000u);
  EXPECT_EQ(words.ParseProvince("guangdong"), 440000u);
  EXPECT_EQ(words.ParseProvince("GUANGDONG"), 440000u);
  EXPECT_EQ(words.ParseProvince("Inner Mongolia"), 150000u);
  EXPECT_EQ(words.ParseProvince("inner-mongolia"), 150000u);
  EXPECT_EQ(words.ParseProvince("Xizang"), 540000u);
  EXPECT_EQ(words.ParseProvince("Tibet"), 540000u);
  EXPECT_EQ(words.ParseProvince("Xizang (Tibet)"), 540000u);
  EXPECT_EQ(words.ParseProvince("Shanxi"), 140000u);
  EXPECT_EQ(words.ParseProvince("Shaanxi"), 610000u);
}

TEST(ReferenceWordsTest, ProvinceByChineseNameFullOrShort) {
  const ReferenceWords words(SomeCodes());
  EXPECT_EQ(words.ParseProvince("广东省"), 440000u);
  EXPECT_EQ(words.ParseProvince("广东"), 440000u);
  EXPECT_EQ(words.ParseProvince("上海"), 310000u);
  EXPECT_EQ(words.ParseProvince("广西"), 450000u);
  EXPECT_EQ(words.ParseProvince("广西壮族自治区"), 450000u);
  EXPECT_EQ(words.ParseProvince("内蒙古"), 150000u);
  EXPECT_EQ(words.ParseProvince("西藏"), 540000u);
  EXPECT_EQ(words.ParseProvince("新疆"), 650000u);
  EXPECT_EQ(words.ParseProvince("新疆兵团"), 660000u);
}

TEST(ReferenceWordsTest, UnknownProvinceWordsNameNothing) {
  const ReferenceWords words(SomeCodes());
  for (const char* bad : {"Atlantis", "999999", "", "()", "省", "Guang", "4400"}) {
    EXPECT_EQ(words.ParseProvince(bad), std::nullopt) << "'" << bad << "'";
  }
  EXPECT_EQ(ReferenceWords().ParseProvince("440000"), std::nullopt);
}

TEST(ReferenceWordsTest, SectorByCodeOrChineseName) {
  const ReferenceWords words(SomeCodes());
  EXPECT_EQ(words.ParseSector("energy"), "energy");
  EXPECT_EQ(words.ParseSector("Energy"), "energy");
  EXPECT_EQ(words.ParseSector("能源"), "energy");
  EXPECT_EQ(words.ParseSector("power"), std::nullopt);
  EXPECT_EQ(words.SectorCodes(), "energy, water");
}

TEST(ReferenceWordsTest, NamesForTables) {
  const ReferenceWords words(SomeCodes());
  EXPECT_EQ(words.ProvinceShortName(440000), "广东");
  EXPECT_EQ(words.ProvinceShortName(450000), "广西");
  EXPECT_EQ(words.ProvinceShortName(650000), "新疆");
  EXPECT_EQ(words.ProvinceShortName(660000), "新疆兵团");
  EXPECT_EQ(words.ProvinceShortName(0), "-");
  EXPECT_EQ(words.ProvinceShortName(123456), "123456");
  EXPECT_EQ(words.ProvinceFullName(440000), "440000 广东省 Guangdong");
  EXPECT_EQ(words.ProvinceFullName(123456), "123456");
  EXPECT_EQ(words.SectorFullName("energy"), "energy 能源");
  EXPECT_EQ(words.SectorFullName("mining"), "mining");
}

}  // namespace
}  // namespace sitrep::cli
