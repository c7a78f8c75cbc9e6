#include "collector/provinces.h"

#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <set>
#include <string>

#include "collector/reference_fixture.h"

namespace sitrep::collector {
namespace {

TEST(ProvincesTest, BuiltInListMatchesTheReferenceTable) {
  const ReferenceCodes codes = ReferenceCodesFromCsv();
  ASSERT_EQ(codes.provinces.size(), kProvinceCodes.size());
  size_t i = 0;
  for (const auto& [code, province] : codes.provinces) {
    EXPECT_EQ(kProvinceCodes[i], code);
    EXPECT_EQ(kProvinceNames[i].code, code);
    EXPECT_EQ(kProvinceNames[i].zh, province.name_zh());
    EXPECT_EQ(kProvinceNames[i].en, province.name_en());
    ++i;
  }
}

TEST(ProvincesTest, HashSpreadReachesEveryProvince) {
  std::set<uint32_t> seen;
  for (uint64_t hash = 0; hash < 1000; ++hash) {
    const uint32_t code = ProvinceForHash(hash * 0x9e3779b97f4a7c15ull);
    EXPECT_TRUE(IsProvinceCode(code));
    seen.insert(code);
  }
  EXPECT_EQ(seen.size(), kProvinceCodes.size());
  EXPECT_FALSE(IsProvinceCode(710000));  // Taiwan: no provincial administration under MIIT
  EXPECT_EQ(ProvinceNameOf(440000).en, "Guangdong");
}

// tests/data/reference holds copies of the reference tables; they must not drift from the
// originals in ../shared/reference.
TEST(ReferenceFullDataTest, TheFixturesAreCopiesOfTheSharedReferenceTables) {
  for (const char* name : {"provinces.csv", "sectors.csv"}) {
    const std::filesystem::path original = test::SharedDir() / "reference" / name;
    ASSERT_TRUE(test::SharedDataPresent(original));
    const auto read = [](const std::filesystem::path& path) {
      std::ifstream file(path, std::ios::binary);
      return std::string(std::istreambuf_iterator<char>(file), {});
    };
    EXPECT_EQ(read(test::TestDataDir() / "reference" / name), read(original)) << name;
  }
}

}  // namespace
}  // namespace sitrep::collector
