#include "cli/feed_filters.h"

#include <gtest/gtest.h>

#include <CLI/CLI.hpp>

#include "cli/usage_error.h"

namespace sitrep::cli {
namespace {

namespace v1 = ::sitrep::v1;

// 2026-11-25 08:00:00 UTC.
constexpr std::int64_t kNowSeconds = 1795593600;
const std::chrono::system_clock::time_point kNow{std::chrono::seconds(kNowSeconds)};

ReferenceWords SomeWords() {
  v1::ListReferenceCodesResponse codes;
  v1::Province* guangdong = codes.add_provinces();
  guangdong->set_code(440000);
  guangdong->set_name_zh("广东省");
  guangdong->set_name_en("Guangdong");
  v1::Province* guangxi = codes.add_provinces();
  guangxi->set_code(450000);
  guangxi->set_name_zh("广西壮族自治区");
  guangxi->set_name_en("Guangxi");
  for (const auto& [code, zh] : {std::pair{"energy", "能源"}, std::pair{"water", "水务"}}) {
    v1::Sector* sector = codes.add_sectors();
    sector->set_code(code);
    sector->set_name_zh(zh);
  }
  return ReferenceWords(codes);
}

// Parses `args` as the flags of `incidents list` and builds the filter they ask for.
v1::IncidentFilter IncidentFilterFrom(const std::string& args) {
  CLI::App app;
  IncidentFilterFlags flags;
  AddIncidentFilterFlags(app, flags);
  app.parse(args, false);
  return BuildIncidentFilter(flags, SomeWords(), kNow);
}

v1::AssetFilter AssetFilterFrom(const std::string& args) {
  CLI::App app;
  AssetFilterFlags flags;
  AddAssetFilterFlags(app, flags);
  app.parse(args, false);
  return BuildAssetFilter(flags, SomeWords(), kNow);
}

// The one line a UsageError says when the flags are built into a filter.
std::string UsageErrorOf(const std::string& args) {
  try {
    static_cast<void>(IncidentFilterFrom(args));
  } catch (const UsageError& e) {
    return e.what();
  }
  return "(no usage error)";
}

TEST(IncidentFilterTest, NoFlagsFilterNothing) {
  EXPECT_EQ(IncidentFilterFrom("").ByteSizeLong(), 0u);
  EXPECT_EQ(AssetFilterFrom("").ByteSizeLong(), 0u);
}

TEST(IncidentFilterTest, ProvincesByCodeEnglishOrChineseNameRepeatedOrCommaSeparated) {
  const v1::IncidentFilter filter =
      IncidentFilterFrom("--province Guangdong --province 广西 --province 440000,广东省");
  EXPECT_EQ(std::vector<std::uint32_t>(filter.provinces().begin(), filter.provinces().end()),
            (std::vector<std::uint32_t>{440000, 450000, 440000, 440000}));
}

TEST(IncidentFilterTest, SectorsByCodeOrChineseName) {
  const v1::IncidentFilter filter = IncidentFilterFrom("--sector energy --sector 水务");
  EXPECT_EQ(std::vector<std::string>(filter.sectors().begin(), filter.sectors().end()),
            (std::vector<std::string>{"energy", "water"}));
}

TEST(IncidentFilterTest, SeverityWordsAreRomanNumeralsInAnyCase) {
  EXPECT_EQ(IncidentFilterFrom("--min-severity I").min_severity(), v1::SEVERITY_I);
  EXPECT_EQ(IncidentFilterFrom("--min-severity II").min_severity(), v1::SEVERITY_II);
  EXPECT_EQ(IncidentFilterFrom("--min-severity iii").min_severity(), v1::SEVERITY_III);
  EXPECT_EQ(IncidentFilterFrom("--min-severity SEVERITY_IV").min_severity(), v1::SEVERITY_IV);
}

TEST(IncidentFilterTest, BadEnumWordsFailWhileParsingAndListTheValidWords) {
  for (const std::string& args :
       {std::string("--min-severity V"), std::string("--category malware,worms"),
        std::string("--status open")}) {
    try {
      static_cast<void>(IncidentFilterFrom(args));
      ADD_FAILURE() << "no error for " << args;
    } catch (const CLI::ValidationError& e) {
      EXPECT_NE(std::string(e.what()).find("valid words:"), std::string::npos) << e.what();
    }
  }
}

TEST(IncidentFilterTest, CategoriesAndStatusesByWord) {
  const v1::IncidentFilter filter = IncidentFilterFrom(
      "--category malware,network-attack --category disaster --status reported --status "
      "false_positive");
  ASSERT_EQ(filter.categories_size(), 3);
  EXPECT_EQ(filter.categories(0), v1::CATEGORY_MALWARE);
  EXPECT_EQ(filter.categories(1), v1::CATEGORY_NETWORK_ATTACK);
  EXPECT_EQ(filter.categories(2), v1::CATEGORY_DISASTER);
  ASSERT_EQ(filter.statuses_size(), 2);
  EXPECT_EQ(filter.statuses(0), v1::INCIDENT_STATUS_REPORTED);
  EXPECT_EQ(filter.statuses(1), v1::INCIDENT_STATUS_FALSE_POSITIVE);
}

TEST(IncidentFilterTest, SinceAndUntilBoundTheReceiveTime) {
  const v1::IncidentFilter filter = IncidentFilterFrom("--since 24h --until 2026-11-25T07:00:00Z");
  EXPECT_EQ(filter.receive_time().start_time().seconds(), kNowSeconds - 24 * 3600);
  EXPECT_EQ(filter.receive_time().end_time().seconds(), kNowSeconds - 3600);
  EXPECT_FALSE(filter.has_occur_time());

  const v1::IncidentFilter open_ended = IncidentFilterFrom("--since 90m");
  EXPECT_EQ(open_ended.receive_time().start_time().seconds(), kNowSeconds - 5400);
  EXPECT_FALSE(open_ended.receive_time().has_end_time());
}

TEST(IncidentFilterTest, OccurredSinceBoundsTheOccurTime) {
  const v1::IncidentFilter filter =
      IncidentFilterFrom("--occurred-since 2026-11-01 --occurred-until 7d");
  EXPECT_EQ(filter.occur_time().start_time().seconds(), 1793491200);  // 2026-11-01 00:00Z
  EXPECT_EQ(filter.occur_time().end_time().seconds(), kNowSeconds - 7 * 24 * 3600);
  EXPECT_FALSE(filter.has_receive_time());
}

TEST(IncidentFilterTest, BadDurationFailsWhileParsing) {
  EXPECT_THROW(static_cast<void>(IncidentFilterFrom("--since 24hours")), CLI::ValidationError);
}

TEST(IncidentFilterTest, TheRestIsPassedAsGiven) {
  const v1::IncidentFilter filter = IncidentFilterFrom(
      "--enterprise 42 --cve CVE-2023-3595 --indicator 203.0.113.7 --title 勒索软件");
  EXPECT_EQ(filter.enterprise_id(), 42);
  EXPECT_EQ(filter.cve_id(), "CVE-2023-3595");
  EXPECT_EQ(filter.indicator_value(), "203.0.113.7");
  EXPECT_EQ(filter.title_contains(), "勒索软件");
}

TEST(IncidentFilterTest, UnknownNamesAndBackwardRangesAreUsageErrors) {
  EXPECT_EQ(UsageErrorOf("--province Atlantis"),
            "--province: unknown province 'Atlantis'; give its code or name, e.g. 440000, "
            "Guangdong or 广东");
  EXPECT_EQ(UsageErrorOf("--province 999999").rfind("--province: unknown province '999999'", 0),
            0u);
  EXPECT_EQ(UsageErrorOf("--sector mining"),
            "--sector: unknown sector 'mining'; valid codes: energy, water");
  EXPECT_EQ(UsageErrorOf("--since 1h --until 2h"), "--until 2h is not later than --since 1h");
}

TEST(IncidentFilterTest, OnlyPlaceNamesNeedTheServersWords) {
  IncidentFilterFlags flags;
  EXPECT_FALSE(NeedsReferenceWords(flags));
  flags.since = "24h";
  EXPECT_FALSE(NeedsReferenceWords(flags));
  flags.provinces = {"440000"};
  EXPECT_TRUE(NeedsReferenceWords(flags));
  AssetFilterFlags asset_flags;
  asset_flags.sectors = {"energy"};
  EXPECT_TRUE(NeedsReferenceWords(asset_flags));
}

TEST(AssetFilterTest, EveryFlagSetsItsField) {
  const v1::AssetFilter filter = AssetFilterFrom(
      "--province 广东 --sector water --protocol modbus,s7comm --protocol dnp3 --vendor "
      "Siemens --exposed --cve CVE-2022-45788 --seen-since 7d --enterprise 9");
  ASSERT_EQ(filter.provinces_size(), 1);
  EXPECT_EQ(filter.provinces(0), 440000u);
  ASSERT_EQ(filter.sectors_size(), 1);
  EXPECT_EQ(filter.sectors(0), "water");
  EXPECT_EQ(std::vector<std::string>(filter.protocols().begin(), filter.protocols().end()),
            (std::vector<std::string>{"modbus", "s7comm", "dnp3"}));
  EXPECT_EQ(filter.vendor(), "Siemens");
  EXPECT_TRUE(filter.internet_exposed_only());
  EXPECT_EQ(filter.cve_id(), "CVE-2022-45788");
  EXPECT_EQ(filter.last_seen_time().start_time().seconds(), kNowSeconds - 7 * 24 * 3600);
  EXPECT_EQ(filter.enterprise_id(), 9);
}

}  // namespace
}  // namespace sitrep::cli
