#include "vulns/version.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "tests/support/test_data.h"

// Every range form found in CISA's ICS advisories 2023/2024 (../shared/datasets/csaf-ics-*):
// of 2,189 product_version_range values, 1,100 "vers:all/…" (990 "vers:all/*", 110 with
// constraints), 1,033 operator strings (555 distinct) and 56 others (bare versions, '|' lists
// of versions, prose). Each row: expression, asset version, expected answer.
namespace sitrep::vulns {
namespace {

struct RangeCase {
  const char* expression;
  const char* version;
  InRange expected;
};

constexpr InRange kYes = InRange::kYes;
constexpr InRange kNo = InRange::kNo;
constexpr InRange kUnknown = InRange::kUnknown;

const std::vector<RangeCase>& RangeCases() {
  static const std::vector<RangeCase> cases = {
      // vers:all/*: every version, even none reported.
      {"vers:all/*", "1.0", kYes},
      {"vers:all/*", "", kYes},
      // vers:all with constraints, back to back without '|'.
      {"vers:all/<V5.2.6", "V5.2.5", kYes},
      {"vers:all/<V5.2.6", "5.2.6", kNo},
      {"vers:all/>=V7.80<V9.40", "V9.30", kYes},
      {"vers:all/>=V7.80<V9.40", "V7.79", kNo},
      {"vers:all/>=V7.80<V9.40", "V9.40", kNo},
      {"vers:all/>=V7.80", "V10.0", kYes},
      {"vers:all/<V17 Update 6", "V17 Update 5", kYes},
      {"vers:all/<V17 Update 6", "V17", kYes},
      {"vers:all/<V17 Update 6", "V17 Update 6", kNo},
      {"vers:all/<V18.0 UPD 1 SR 1", "V18.0 Update 1", kYes},
      {"vers:all/<V22R2", "V22R1", kYes},
      {"vers:all/<CPCI85 V05", "V04", kUnknown},  // prose: a product name inside
      // Plain operator strings.
      {"<=12.1.3", "12.1.3", kYes},
      {"<=12.1.3", "12.1.4", kNo},
      {"< V7.2", "7.1.9", kYes},
      {"< V7.2", "V7.2", kNo},
      {"<= 01.49.000", "1.49", kYes},
      {"<= 1.295H", "1.295G", kYes},
      {"<= 1.295H", "1.296", kNo},
      {"<=A8", "A12", kNo},
      {"<=A8", "A7", kYes},
      {"<= 2020", "2019", kYes},
      {"<=2020_R2_SP1", "2020_R2", kYes},
      {"<=2020_R2_SP1", "2020_R2_SP2", kNo},
      {"<=2020_R2_Update_1_Patch_2", "2020_R2_Update_1_Patch_1", kYes},
      {"< 6.9.2 CU01", "6.9.2", kYes},
      {"<= 21.09-SP13", "21.09-SP12", kYes},
      {"< V222.0MP12", "V222.0MP11", kYes},
      {"<R520.2_TCU4_HF2", "R520.2_TCU4_HF1", kYes},
      {"< SV3.51", "SV3.50", kYes},
      {"<= R7x", "R7.5", kYes},
      {"<= R7x", "R8", kNo},
      {"<=1.4.0_build221212", "1.4.0_build221211", kYes},
      {"<April/17/2023", "2023.04.16", kYes},
      {"<April/17/2023", "2023-04-17", kNo},
      {"<May_1_2024", "2024.4.30", kYes},
      {"<20230518.", "20230517", kYes},
      {"<2024-1", "2023-9", kYes},
      {"<4.x", "3.9", kYes},
      {"<4.x", "4.1", kNo},
      {"< 3.3 SP1 3.x", "3.3", kYes},
      {"=<8.5", "8.5", kYes},
      {"<Hotfix-145271", "Hotfix-145270", kYes},
      {"< IR302 3.5.56", "IR302 3.5.55", kYes},
      {"<=Update_19", "Update_18", kYes},
      {"<= SP1", "SP1", kYes},
      {"<=\"05\"", "04", kYes},
      // Two bounds: '|' between, or a space.
      {">=5.0|<7.17.0.0", "7.16.9", kYes},
      {">=5.0|<7.17.0.0", "7.17", kNo},
      {">=5.0|<7.17.0.0", "4.9", kNo},
      {">= 12.0.1 | <= 12.0.14", "12.0.9", kYes},
      {">= 12.0.1 | <= 12.0.14", "12.0.15", kNo},
      {">= 12.0.1 | <= 12.0.14", "12.0.0", kNo},
      {">= 2.2.0 < 2.2.3", "2.2.2", kYes},
      {">= 2.2.0 < 2.2.3", "2.2.3", kNo},
      {"> 6.8.6 | < 6.9.2 CU01", "6.8.6", kNo},
      {"> 6.8.6 | < 6.9.2 CU01", "6.9.1", kYes},
      {">=R1.01.00|<=R1.03.00", "R1.02.00", kYes},
      {">=R1.01.00|<=R1.03.00", "R1.04.00", kNo},
      {">=R100-V0|<R301-V6", "R301-V5", kYes},
      {">=R16x|<=R162.10", "R161", kYes},
      {">= V01L001 | < V01L004", "V01L003", kYes},
      {">= V01L001 | < V01L004", "V01L004", kNo},
      {">=1.00A|<1.05F", "1.05E", kYes},
      {">=1.275M|<1.290C", "1.290C", kNo},
      {">=V13.1.0|<13.1.2", "13.1.1", kYes},
      {">=v5.0.x|<=5.16.x", "5.16.3", kYes},
      {">= 6.x | <= 10.x", "10.9", kYes},
      {">= 6.x | <= 10.x", "11.0", kNo},
      {">=\"05\"|<=\"07\"", "06", kYes},
      {">=2020|<2020_R2_SP1_P01", "2020_R2_SP1", kYes},
      {">=4.6|<4.38", "4.10", kYes},  // segment-wise: 4.6 < 4.10 < 4.38
      {">=v6.6.9|<v6.06.10", "6.6.9", kYes},
      {">=13.0.0 | <= 13.0.2 | 13.1.0", "13.1.0", kYes},
      {">=13.0.0 | <= 13.0.2 | 13.1.0", "13.0.3", kNo},
      {">= 1.3.3", "1.3.3", kYes},
      {">=1.04E", "1.04D", kNo},
      // Bare versions and lists of them: exactly those.
      {"10.1.1", "10.1.1", kYes},
      {"10.1.1", "10.1.2", kNo},
      {"5.0|5.1", "5.1", kYes},
      {"5.0|5.1", "5.2", kNo},
      {"8.0 | 9.0", "9", kYes},
      {"13.0  | < 13.0.1", "13.0.0", kYes},
      {"4K | 4.5.181  | 4.5.196", "4K", kYes},
      {"V1.10.1", "1.10.1", kYes},
      {"1.3.T", "1.3.T", kYes},
      // Versions without an order against the bound: never a guess.
      {">=R1.01.00|<=R1.03.00", "1.02", kUnknown},
      {"< 2.1 SP2", "2.1.1", kUnknown},
      {"<=12.1.3", "", kUnknown},
      {"<=12.1.3", "--", kUnknown},
      // Free text (a product name or prose around the version, a serial number, a hash): needs
      // review whatever the version.
      {"<=", "1.0", kUnknown},
      {"<= 3.3-006 (with <= bacnetstac 4.2.1)", "3.0", kUnknown},
      {"<=The_first_5_digits_of_serial_No._\"26061\"", "26060", kUnknown},
      {"<=TitanNit_2.01", "2.00", kUnknown},
      // One fixed version per release line.
      {"<V33.017_V34.014_V35.013_V36.011", "V33.016", kYes},
      {"<V33.017_V34.014_V35.013_V36.011", "V34.014", kNo},
      {"<V33.017_V34.014_V35.013_V36.011", "V32.100", kYes},
      {"<V33.017_V34.014_V35.013_V36.011", "V37.000", kNo},
      {"<v36.011_v35.013_v34.014", "35.012", kYes},
      {"<v36.011_v35.013_v34.014", "36.011", kNo},
      // A bound with a condition: outside is no, inside needs review.
      {"<=A12__without_Special_Modification_Patch_BRD-C62W003-A0_installed", "A13", kNo},
      {"<=Ver.2.41_affected_only_by", "2.41", kUnknown},
      {"<=Ver.2.41_affected_only_by", "2.42", kNo},
      {">= 6.1.0.0 | <= 6.4.0.0 (CVE-2022-37434 only)", "6.2", kUnknown},
      {">= 6.1.0.0 | <= 6.4.0.0 (CVE-2022-37434 only)", "6.5", kNo},
      {"<= 3.3-006 (with <= bacnetstac 4.2.1)", "3.4", kNo},
      {">FW16_up_to_and_including_FW26", "FW15", kNo},
      {">= 9.3.0 -  but not including 9.3.8", "9.2", kNo},
      {"1.01.14 (build 172)", "1.01.14", kUnknown},
      {"1.01.14 (build 172)", "1.01.15", kNo},
      {">=3.05F_Packaged_with_MC_Works64_4.03D", "3.04A", kNo},
      {"<=2.0.0.5_with_DOPSoft_v5.0.0.93", "2.0.0.4", kUnknown},
      {">FW16_up_to_and_including_FW26", "FW20", kUnknown},
      {">= 9.3.0 -  but not including 9.3.8", "9.3.1", kUnknown},
      {"<=d78dda6", "d78dda5", kUnknown},
      {"<= Serial Numbers 2310****", "2310", kUnknown},
      {"<=A12__without_Special_Modification_Patch_BRD-C62W003-A0_installed", "A11", kUnknown},
      {"<V4.00_Utilizes_Wibu-Systems_CodeMeter_7.60c", "V3.00", kUnknown},
      {"< 1.2 FP3 HF4 (Build Nr  . 1.2.23000.291)", "1.1", kUnknown},
      {"All versions < V15.1 Update 8", "V15.1", kYes},
      {"All versions < V15.1 Update 8", "V15.1 Update 8", kNo},
      {"All Versions >= 1.16.4 < 1.17.2", "1.17.0", kYes},
      {"All versions with maxView Storage Manager < 4.09.00.25611 on Windows", "4.0", kUnknown},
      {"NE843_S comcode 150042936", "NE843_S", kUnknown},
      {"<=QRTB_2.12.7", "2.12.6", kUnknown},
      {"(unbalanced", "1", kUnknown},
      {"9.4 | FP2  Hotfix 5", "9.4", kYes},  // a list: 9.4, or "FP2 Hotfix 5"
      {"16XXXXXXXXX.", "16", kUnknown},
      {"H5692448 | G104 | G842 | G451C(2)", "G104", kUnknown},
      {">= 2.0.0 | 2.6.2", "2.6.2", kYes},  // "2.0.0 up to and including 2.6.2"
      {">= 2.0.0 | 2.6.2", "2.6.3", kNo},
      {">=8.0|>=9.0", "8.5", kUnknown},
      {">=4.0|<3.0", "3.5", kUnknown},  // encloses nothing
      {"vers:all", "1.0", kUnknown},
  };
  return cases;
}

class RangeFormTest : public ::testing::TestWithParam<RangeCase> {};

TEST_P(RangeFormTest, AnswersAsExpected) {
  const RangeCase& c = GetParam();
  RangeAnswer answer = Contains(ParseRange(c.expression), c.version);
  EXPECT_EQ(static_cast<int>(answer.in), static_cast<int>(c.expected))
      << "range \"" << c.expression << "\", version \"" << c.version << "\": " << answer.reason;
  EXPECT_FALSE(answer.reason.empty());
}

INSTANTIATE_TEST_SUITE_P(EveryFormInTheData, RangeFormTest, ::testing::ValuesIn(RangeCases()));

struct OrderCase {
  const char* a;
  const char* b;
  std::optional<int> expected;
};

TEST(VersionOrderTest, ComparesAsVendorsNumber) {
  const std::vector<OrderCase> cases = {
      {"V2.3.1", "2.3.1", 0},
      {"Ver.2.40", "2.40", 0},
      {"1.0", "1.0.0", 0},
      {"01.49.000", "1.49", 0},
      {"9.40", "9.6", 1},
      {"12.0.14", "12.0.9", 1},
      {"4.0", "4.0 SP2", -1},
      {"4.0 SP2", "4.0 SP10", -1},
      {"R2022a", "R2022b", -1},
      {"R9C", "R10C", -1},
      {"V17 Upd 6", "V17 Update 6", 0},
      {"1.01", "1.01B", -1},
      {"R1.02", "1.02", std::nullopt},
      {"4.0.1", "4.0 SP2", std::nullopt},
      {"99999999999999999999.1", "99999999999999999998.9", 1},
  };
  for (const OrderCase& c : cases) {
    EXPECT_EQ(CompareVersions(ParseVersion(c.a), ParseVersion(c.b)), c.expected)
        << c.a << " vs " << c.b;
  }
}

TEST(VersionOrderTest, HostileInputsAnswerWithoutCrashing) {
  const std::vector<std::string> inputs = {"",
                                           " ",
                                           "|",
                                           "||",
                                           "<",
                                           ">=|<=",
                                           "vers:",
                                           "vers:/",
                                           std::string(10000, '9'),
                                           std::string("1\0.2", 4),
                                           "\xff\xfe",
                                           "<<<<1",
                                           "=",
                                           "  |  | "};
  for (const std::string& input : inputs) {
    RangeAnswer answer = Contains(ParseRange(input), input);
    EXPECT_FALSE(answer.reason.empty()) << input;
  }
}

}  // namespace
}  // namespace sitrep::vulns

namespace sitrep::vulns {
namespace {

void CollectRanges(const nlohmann::json& branch, std::vector<std::string>& out) {
  if (!branch.contains("branches")) return;
  for (const nlohmann::json& child : branch["branches"]) {
    if (child.value("category", "") == "product_version_range") {
      out.push_back(child.value("name", ""));
    }
    CollectRanges(child, out);
  }
}

// Every product_version_range of the shipped advisories: at most the 56 free-text ones the
// issue counted may land in "needs review".
TEST(RangeFormFullDataTest, AtMostTheFreeTextRangesNeedReview) {
  std::vector<std::string> ranges;
  for (const char* year : {"csaf-ics-2023", "csaf-ics-2024"}) {
    const std::filesystem::path dir = test::SharedDir() / "datasets" / year;
    ASSERT_TRUE(test::SharedDataPresent(dir));
    for (const auto& entry : std::filesystem::directory_iterator(dir)) {
      if (entry.path().extension() != ".json") continue;
      std::ifstream in(entry.path());
      nlohmann::json doc = nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
      ASSERT_FALSE(doc.is_discarded()) << entry.path();
      if (doc.contains("product_tree")) CollectRanges(doc["product_tree"], ranges);
    }
  }
  int free_text = 0;
  for (const std::string& expression : ranges) {
    Range range = ParseRange(expression);
    if (range.free_text) {
      ++free_text;
      std::cout << "needs review: \"" << expression << "\" (" << range.free_text_reason << ")\n";
    }
  }
  std::cout << ranges.size() << " ranges, " << free_text << " free text\n";
  EXPECT_EQ(ranges.size(), 2189u);
  EXPECT_LE(free_text, 56);
}

}  // namespace
}  // namespace sitrep::vulns
