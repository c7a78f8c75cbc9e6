// The collector's side of issue 18 against a real server: what --format csaf and --format
// advisories make of the fixture files is what the server stores or refuses, with the same
// verdict the collector's preflight gave, and demo assets drawn from real product trees raise
// the advisory notices of a KEV-listed third-party CVE.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "collector/advisories_importer.h"
#include "collector/csaf_importer.h"
#include "collector/demo_generator.h"
#include "collector/demo_vocabulary.h"
#include "collector/record_preflight.h"
#include "tests/advisory_fixture.h"
#include "tests/push_client.h"
#include "tests/server_fixture.h"
#include "tests/support/test_data.h"

namespace sitrep::testing {
namespace {

constexpr uint32_t kGuangdong = 440000;

// CVE-2023-46604 (AdvisoryFixture's KEV file) is Apache ActiveMQ's, inside Delta's InfraSuite
// Device Master (ICSA-24-130-03): KEV lists it under Apache, not Delta.
class AdvisoryImportTest : public AdvisoryFixture {
 protected:
  void SetUp() override {
    AdvisoryFixture::SetUp();
    StartServer();
    national_collector_ = TokenFor(v1::ROLE_COLLECTOR);
    guangdong_collector_ = TokenFor(v1::ROLE_COLLECTOR, kGuangdong);
  }

  v1::PushAck Push(const std::vector<v1::Record>& records, const std::string& token) {
    std::vector<v1::Advisory> advisories;
    std::vector<v1::Asset> assets;
    for (const v1::Record& record : records) {
      if (record.has_advisory()) advisories.push_back(record.advisory());
      if (record.has_asset()) assets.push_back(record.asset());
    }
    return PushRecords(token, advisories, assets);
  }

  int64_t Sql(const std::string& sql) { return QueryInt(server_->database_url(), sql); }

  std::string national_collector_;
  std::string guangdong_collector_;
};

// Every fixture document the preflight accepts is stored; a broken one (a version its revision
// history lacks, 6.1.16) the server refuses with the preflight's field and reason. The index's
// stubs are stored beside them, and a stub for an advisory whose document is stored is a duplicate.
TEST_F(AdvisoryImportTest, TheServerGivesEachDocumentThePreflightsVerdict) {
  std::vector<v1::Record> documents;
  std::vector<std::string> errors;
  for (const auto& file : collector::CsafFiles(test::TestDataDir() / "csaf-ics")) {
    collector::CsafSource source(file);
    for (v1::Record& record : collector::ReadAllRecords(source, errors)) {
      documents.push_back(std::move(record));
    }
  }
  ASSERT_EQ(errors, std::vector<std::string>());
  ASSERT_EQ(documents.size(), 4U);
  nlohmann::json stale = nlohmann::json::parse(documents[0].advisory().csaf_document());
  stale["document"]["tracking"]["version"] = "2";
  documents.emplace_back().mutable_advisory()->set_csaf_document(stale.dump());
  const v1::PushAck ack = Push(documents, national_collector_);
  EXPECT_EQ(ack.accepted(), 4U);
  ASSERT_EQ(ack.rejected(), 1U) << ack.DebugString();
  std::set<uint32_t> refused_locally;
  for (size_t i = 0; i < documents.size(); ++i) {
    if (const auto rejection = collector::PreflightCheck(documents[i])) {
      refused_locally.insert(static_cast<uint32_t>(i));
      bool same = false;
      for (const v1::Rejection& server : ack.rejections()) {
        same |= server.index() == i && server.kind() == v1::RECORD_KIND_ADVISORY &&
                server.field() == rejection->field && server.reason() == rejection->reason;
      }
      EXPECT_TRUE(same) << rejection->field << " " << rejection->reason << "\n"
                        << ack.DebugString();
    }
  }
  EXPECT_EQ(refused_locally.size(), 1U);
  EXPECT_EQ(Sql("SELECT count(*) FROM advisories WHERE NOT stub"), 4);

  collector::AdvisoriesSource index(test::TestDataDir() / "ics-advisories/CISA_ICS_ADV_Master.csv");
  const std::vector<v1::Record> stubs = collector::ReadAllRecords(index, errors);
  ASSERT_EQ(errors, std::vector<std::string>());
  const v1::PushAck stub_ack = Push(stubs, national_collector_);
  EXPECT_EQ(stub_ack.rejected(), 0U) << stub_ack.DebugString();
  EXPECT_EQ(stub_ack.accepted() + stub_ack.duplicates(), stubs.size());
  EXPECT_EQ(Sql("SELECT count(*) FROM advisories WHERE stub"),
            static_cast<int64_t>(stub_ack.accepted()));
}

// Demo assets running Delta's InfraSuite Device Master inside ICSA-24-130-03's range and
// exposed to the Internet raise one advisory notice each; those just outside raise none.
TEST_F(AdvisoryImportTest, DemoAssetsOfAKevAdvisorysProductRaiseNotices) {
  collector::CsafSource delta(test::TestDataDir() / "csaf-ics/icsa-24-130-03.json");
  std::vector<std::string> errors;
  ASSERT_EQ(Push(collector::ReadAllRecords(delta, errors), national_collector_).accepted(), 1U);

  collector::DemoOptions options;
  options.province = kGuangdong;
  options.asset_share = 1;
  collector::DemoGenerator generator(options);
  std::vector<v1::Record> assets;
  size_t exposed_inside = 0;
  size_t delta_assets = 0;
  for (int i = 0; i < 100000 && (exposed_inside < 3 || delta_assets < 6); ++i) {
    v1::Record record = generator.Next();
    if (record.asset().product() != "InfraSuite Device Master") continue;
    ++delta_assets;
    exposed_inside += record.asset().internet_exposed() && record.asset().version() == "1.0.10";
    assets.push_back(std::move(record));
  }
  ASSERT_GE(exposed_inside, 3U);
  const v1::PushAck ack = Push(assets, guangdong_collector_);
  EXPECT_EQ(ack.rejected(), 0U) << ack.DebugString();
  EXPECT_EQ(Sql("SELECT count(*) FROM notifications WHERE origin = 'ADVISORY_RULE'"),
            static_cast<int64_t>(exposed_inside));
}

}  // namespace
}  // namespace sitrep::testing
