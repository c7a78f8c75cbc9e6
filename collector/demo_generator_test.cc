#include "collector/demo_generator.h"

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>
#include <google/protobuf/util/message_differencer.h>
#include <gtest/gtest.h>

#include <set>

#include "collector/demo_vocabulary.h"
#include "collector/record_preflight.h"
#include "collector/reference_fixture.h"
#include "vulns/match.h"

namespace sitrep::collector {
namespace {

using google::protobuf::util::MessageDifferencer;

// One fixed instant for every generator, so that runs are comparable; in the past, so that
// generated times pass the checks.
DemoOptions Options(uint64_t seed) {
  static const auto kNow = std::chrono::system_clock::now() - std::chrono::hours(1);
  DemoOptions options;
  options.seed = seed;
  options.now = kNow;
  return options;
}

// Map entries serialize in hash order unless asked otherwise.
std::string DeterministicBytes(const v1::Record& record) {
  std::string bytes;
  google::protobuf::io::StringOutputStream stream(&bytes);
  google::protobuf::io::CodedOutputStream output(&stream);
  output.SetSerializationDeterministic(true);
  record.SerializeToCodedStream(&output);
  output.Trim();
  return bytes;
}

TEST(DemoGeneratorTest, TheSameSeedGivesTheSameRecords) {
  DemoGenerator first(Options(7));
  DemoGenerator second(Options(7));
  DemoGenerator other(Options(8));
  size_t differences = 0;
  for (int i = 0; i < 500; ++i) {
    const v1::Record a = first.Next();
    const v1::Record b = second.Next();
    EXPECT_TRUE(MessageDifferencer::Equals(a, b)) << i;
    differences += !MessageDifferencer::Equals(a, other.Next());
  }
  EXPECT_GT(differences, 490u);
}

TEST(DemoGeneratorTest, RecordsAreValidWithUniqueKeysInEveryProvince) {
  const ReferenceCodes codes = ReferenceCodesFromCsv();
  DemoGenerator generator(Options(1));
  std::set<std::string> keys;
  std::set<uint32_t> provinces;
  std::set<std::string> sectors;
  for (int i = 0; i < 5000; ++i) {
    const v1::Record record = generator.Next();
    EXPECT_EQ(ViolationsOf(record, codes), std::vector<std::string>());
    EXPECT_EQ(PreflightCheck(record), std::nullopt);
    const std::string key =
        record.has_incident() ? record.incident().external_id() : record.asset().asset_key();
    EXPECT_TRUE(keys.insert(key).second) << key;
    provinces.insert(record.has_incident() ? record.incident().province()
                                           : record.asset().province());
    sectors.insert(record.has_incident() ? record.incident().sector() : record.asset().sector());
  }
  EXPECT_EQ(provinces.size(), 32u);
  EXPECT_EQ(sectors.size(), 22u);  // every seeded sector but "other"
  EXPECT_NEAR(static_cast<double>(generator.counts().assets) / 5000, 0.3, 0.03);
}

TEST(DemoGeneratorTest, SeveritiesLeanTowardIvAndIii) {
  DemoOptions options = Options(3);
  options.asset_share = 0;
  DemoGenerator generator(options);
  std::map<v1::Severity, int> severities;
  for (int i = 0; i < 10000; ++i) ++severities[generator.Next().incident().severity()];
  EXPECT_NEAR(severities[v1::SEVERITY_IV], 5500, 300);
  EXPECT_NEAR(severities[v1::SEVERITY_III], 3000, 300);
  EXPECT_NEAR(severities[v1::SEVERITY_II], 1200, 200);
  EXPECT_NEAR(severities[v1::SEVERITY_I], 300, 100);
}

TEST(DemoGeneratorTest, IncidentsAverageAboutSevenHundredBytes) {
  DemoOptions options = Options(5);
  options.asset_share = 0;
  DemoGenerator generator(options);
  size_t bytes = 0;
  for (int i = 0; i < 10000; ++i) bytes += generator.Next().incident().ByteSizeLong();
  EXPECT_NEAR(static_cast<double>(bytes) / 10000, 700, 50);
}

TEST(DemoGeneratorTest, ProducesTheConfiguredShareOfDuplicates) {
  DemoOptions options = Options(11);
  options.duplicate_share = 0.2;
  DemoGenerator generator(options);
  std::set<std::string> seen;
  int repeats = 0;
  for (int i = 0; i < 5000; ++i) {
    const v1::Record record = generator.Next();
    repeats += !seen.insert(DeterministicBytes(record)).second;
  }
  EXPECT_EQ(static_cast<uint64_t>(repeats), generator.counts().duplicates);
  EXPECT_NEAR(repeats / 5000.0, 0.2, 0.02);
}

TEST(DemoGeneratorTest, InvalidRecordsFailTheChecksAndValidOnesPass) {
  const ReferenceCodes codes = ReferenceCodesFromCsv();
  DemoOptions options = Options(13);
  options.invalid_share = 0.1;
  DemoGenerator generator(options);
  int invalid = 0;
  for (int i = 0; i < 5000; ++i) {
    invalid += !ViolationsOf(generator.Next(), codes).empty();
  }
  EXPECT_EQ(static_cast<uint64_t>(invalid), generator.counts().invalid);
  EXPECT_NEAR(invalid / 5000.0, 0.1, 0.015);
}

TEST(DemoGeneratorTest, BadUtf8IsOptInAndCaughtBeforeSpooling) {
  DemoOptions options = Options(17);
  options.invalid_share = 1;
  options.mistakes = {DemoMistake::kBadUtf8};
  DemoGenerator generator(options);
  for (int i = 0; i < 50; ++i) {
    const std::optional<LocalRejection> rejection = PreflightCheck(generator.Next());
    ASSERT_TRUE(rejection.has_value());
    EXPECT_EQ(rejection->reason, "INVALID_UTF8");
  }
}

TEST(DemoGeneratorTest, ARestrictedRunStaysInItsProvince) {
  DemoOptions options = Options(19);
  options.province = 440000;
  DemoGenerator generator(options);
  for (int i = 0; i < 500; ++i) {
    const v1::Record record = generator.Next();
    EXPECT_EQ(record.has_incident() ? record.incident().province() : record.asset().province(),
              440000u);
  }
}

// Each real product tree leaf the demo draws from: its inside version matches the advisory's
// branch and its outside version does not (vulns::Match, as the server matches).
TEST(DemoGeneratorTest, AdvisoryProductVersionsFallInsideAndJustOutside) {
  using demo::AdvisoryProduct;
  using demo::kAdvisoryProducts;
  ASSERT_GE(kAdvisoryProducts.size(), 50U);
  std::set<std::string> known_exploited;
  for (const AdvisoryProduct& product : kAdvisoryProducts) {
    const vulns::ProductBranch branch{"", std::string(product.vendor), std::string(product.product),
                                      product.is_range, std::string(product.expression)};
    const std::string name = std::string(product.advisory) + " " + std::string(product.product);
    const vulns::Asset inside{std::string(product.vendor), std::string(product.product),
                              std::string(product.inside)};
    EXPECT_EQ(vulns::Match(inside, branch).verdict, vulns::Verdict::kMatch)
        << name << " " << product.inside << ": " << vulns::Match(inside, branch).reason;
    if (!product.outside.empty()) {
      const vulns::Asset outside{std::string(product.vendor), std::string(product.product),
                                 std::string(product.outside)};
      EXPECT_EQ(vulns::Match(outside, branch).verdict, vulns::Verdict::kNoMatch)
          << name << " " << product.outside << ": " << vulns::Match(outside, branch).reason;
    }
    if (product.known_exploited) known_exploited.insert(std::string(product.advisory));
  }
  // The nine shipped advisories with a KEV-listed CVE (seven of them third-party components).
  EXPECT_EQ(known_exploited.size(), 9U);
}

// A first run has exposed assets inside the range of advisories with KEV-listed CVEs.
TEST(DemoGeneratorTest, SomeExposedAssetsRunKnownExploitedAdvisoryProducts) {
  using demo::AdvisoryProduct;
  using demo::kAdvisoryProducts;
  DemoOptions options;
  options.asset_share = 1;
  DemoGenerator generator(options);
  std::set<std::string> exposed_kev;
  size_t drawn = 0;
  for (int i = 0; i < 2000; ++i) {
    const v1::Record record = generator.Next();
    for (const AdvisoryProduct& product : kAdvisoryProducts) {
      if (record.asset().product() != product.product) continue;
      ++drawn;
      if (product.known_exploited && record.asset().internet_exposed() &&
          record.asset().version() == product.inside) {
        exposed_kev.insert(std::string(product.advisory));
      }
      break;
    }
  }
  EXPECT_NEAR(static_cast<double>(drawn) / 2000, options.advisory_product_share, 0.05);
  EXPECT_EQ(exposed_kev.size(), 9U);
}

}  // namespace
}  // namespace sitrep::collector
