// Advisories on the Push stream (issue 18, SPEC §10) through the real gRPC API: CSAF documents
// and stubs, their versions, the per-document verdicts, the matching of stored assets to them
// on either side's arrival, and the exposure notices the matches raise. What is stored is
// counted in the database as its owner (QueryInt); the read API is VulnerabilityService's.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "domain/time_convert.h"
#include "sitrep/v1/ingest.grpc.pb.h"
#include "tests/advisory_fixture.h"
#include "tests/push_client.h"
#include "tests/record_samples.h"
#include "tests/server_fixture.h"
#include "tests/support/test_data.h"

namespace sitrep::testing {
namespace {

using Json = nlohmann::ordered_json;

constexpr uint32_t kGuangdong = 440000;
constexpr uint32_t kBeijing = 110000;

// ICSA-24-130-03: Delta Electronics InfraSuite Device Master <=1.0.10, whose one
// vulnerability is CVE-2023-46604, Apache ActiveMQ's: a third-party component, listed in KEV
// under the vendor "Apache", not Delta.
constexpr const char* kDelta = "icsa-24-130-03.json";
constexpr const char* kDeltaId = "ICSA-24-130-03";
// ICSA-23-012-04 (Panasonic cameras, CVSS 7.5) and ICSA-24-004-01 (Rockwell FactoryTalk
// Activation Manager).
constexpr const char* kPanasonic = "icsa-23-012-04.json";
constexpr const char* kRockwell = "icsa-24-004-01.json";

v1::Advisory Stub(const std::string& tracking_id) {
  v1::Advisory advisory;
  advisory.set_tracking_id(tracking_id);
  advisory.set_title("Delta Electronics InfraSuite Device Master");
  advisory.add_vendors("Delta Electronics");
  advisory.add_products("InfraSuite Device Master");
  advisory.set_url("https://www.cisa.gov/news-events/ics-advisories/icsa-24-130-03");
  return advisory;
}

class AdvisoryTest : public AdvisoryFixture {
 protected:
  void SetUp() override {
    AdvisoryFixture::SetUp();
    StartServer();
    advisory_collector_ = TokenFor(v1::ROLE_COLLECTOR);
    asset_collector_ = TokenFor(v1::ROLE_COLLECTOR, kGuangdong);
  }

  // Pushes `advisories` as one batch as `token`; returns its ack.
  v1::PushAck PushAdvisories(const std::vector<v1::Advisory>& advisories,
                             const std::string& token = "") {
    return PushRecords(token.empty() ? advisory_collector_ : token, advisories);
  }

  void PushAssets(const std::vector<v1::Asset>& assets) {
    EXPECT_EQ(PushRecords(asset_collector_, {}, assets).rejected(), 0u);
  }

  // A Delta InfraSuite Device Master in Guangdong, seen an hour ago.
  v1::Asset DeltaAsset(const std::string& key, const std::string& version, bool exposed,
                       const std::string& vendor = "Delta Electronics") {
    v1::Asset asset = SampleAsset(key, kGuangdong, clock_.Now());
    asset.set_vendor(vendor);
    asset.set_product("InfraSuite Device Master");
    asset.set_version(version);
    asset.set_internet_exposed(exposed);
    asset.clear_cve_ids();
    return asset;
  }

  int64_t Sql(const std::string& sql) { return QueryInt(server_->database_url(), sql); }

  int64_t AssetId(const std::string& key) {
    return Sql("SELECT coalesce(max(id), 0) FROM assets WHERE asset_key = '" + key + "'");
  }

  // The verdicts of `tracking_id`'s matches, as "<asset key>:<verdict>" joined by ','.
  std::string Matches(const std::string& tracking_id) {
    const int64_t n = Sql(
        "SELECT count(*) FROM asset_advisory_matches m JOIN advisories v ON v.id = m.advisory_id "
        "WHERE v.tracking_id = '" +
        tracking_id + "'");
    std::string keys;
    for (const char* key : {"exposed-in", "exposed-out", "internal-in", "spelled-in"}) {
      const int64_t match =
          Sql("SELECT count(*) FROM asset_advisory_matches m JOIN advisories v ON v.id = "
              "m.advisory_id JOIN assets a ON a.id = m.asset_id WHERE m.verdict = 'MATCH' AND "
              "v.tracking_id = '" +
              tracking_id + "' AND a.asset_key = '" + key + "'");
      if (match > 0) keys += std::string(keys.empty() ? "" : ",") + key;
    }
    return std::to_string(n) + ":" + keys;
  }

  int64_t AdvisoryNotices() {
    return Sql("SELECT count(*) FROM notifications WHERE origin = 'ADVISORY_RULE'");
  }

  std::vector<v1::Asset> FourAssets() {
    return {DeltaAsset("exposed-in", "1.0.5", true), DeltaAsset("exposed-out", "1.0.11", true),
            DeltaAsset("internal-in", "1.0.10", false),
            DeltaAsset("spelled-in", "V1.0.2", true, " Delta Electronics, Inc.")};
  }

  std::string advisory_collector_;  // a national collector
  std::string asset_collector_;     // Guangdong's
};

// The KEV∩CSAF case of issue 18: the advisory's CVE is KEV-listed under another vendor
// (Apache), so only the join through the advisory's own CVEs finds it. An advisory arriving
// after the assets matches the ones in range (whatever the vendor's spelling), raises one
// notice per exposed matched asset to its province, and pushing it again changes nothing.
TEST_F(AdvisoryTest, AKevListedThirdPartyCveRaisesOneNoticePerExposedMatchedAssetOnce) {
  PushAssets(FourAssets());
  const v1::PushAck ack = PushAdvisories({CsafAdvisory(ReadCsafDocument(kDelta))});
  EXPECT_EQ(ack.accepted(), 1u) << ack.DebugString();
  EXPECT_EQ(Matches(kDeltaId), "3:exposed-in,internal-in,spelled-in");
  EXPECT_EQ(AdvisoryNotices(), 2);
  for (const char* key : {"exposed-in", "spelled-in"}) {
    EXPECT_EQ(Sql("SELECT count(*) FROM notifications n JOIN notification_targets t ON "
                  "t.notification_id = n.id WHERE t.province = 440000 AND NOT t.national AND "
                  "n.escalation_key = 'asset:" +
                  std::to_string(AssetId(key)) + ":advisory:" + kDeltaId +
                  "' AND n.cve_ids = ARRAY['" + kActiveMqCve + "'] AND n.required_action <> ''"),
              1)
        << key;
  }
  EXPECT_EQ(Sql("SELECT count(*) FROM kev_entries WHERE cve_id = '" + std::string(kActiveMqCve) +
                "' AND known_ransomware_use AND date_added = '2023-11-02'"),
            1);

  const v1::PushAck again = PushAdvisories({CsafAdvisory(ReadCsafDocument(kDelta))});
  EXPECT_EQ(again.duplicates(), 1u) << again.DebugString();
  PushAssets(FourAssets());  // the same observations: nothing changes
  EXPECT_EQ(Matches(kDeltaId), "3:exposed-in,internal-in,spelled-in");
  EXPECT_EQ(AdvisoryNotices(), 2);
}

// Assets stored before migration 0031 have no normalised vendor and, before 0039, no product
// key: matching finds assets by those, so an advisory arriving misses them until sitrepd keys
// them at start, matches them and raises what the matches call for; a second start does
// nothing more.
TEST_F(AdvisoryTest, AssetsStoredBeforeProductKeysAreKeyedAndMatchedAtStart) {
  PushAssets(FourAssets());
  // As such rows were: vendor_norm's default and no key.
  ASSERT_EQ(Sql("WITH old AS (UPDATE assets SET vendor_norm = '', product_key = NULL "
                "RETURNING 1) SELECT count(*) FROM old"),
            4);
  ASSERT_EQ(PushAdvisories({CsafAdvisory(ReadCsafDocument(kDelta))}).accepted(), 1u);
  EXPECT_EQ(Matches(kDeltaId), "0:");

  for (const char* start : {"first start", "second start"}) {
    server_->Shutdown();
    StartServer();
    EXPECT_EQ(Sql("SELECT count(*) FROM assets WHERE product_key IS NULL OR vendor_norm = ''"), 0)
        << start;
    EXPECT_EQ(Sql("SELECT count(*) FROM assets WHERE asset_key = 'spelled-in' AND vendor_norm = "
                  "'delta electronics' AND product_key = 'infrasuite device master'"),
              1)
        << start;
    EXPECT_EQ(Matches(kDeltaId), "3:exposed-in,internal-in,spelled-in") << start;
    EXPECT_EQ(AdvisoryNotices(), 2) << start;
  }
}

// A KEV reload (SIGHUP) that lists an advisory's CVE raises the advisory-rule notices of the
// exposed assets it already matched (ICSA-23-012-04: CVSS 7.5, so only the listing raises
// them); reloading again raises nothing more.
TEST_F(AdvisoryTest, AKevReloadListingAnAdvisorysCveRaisesItsNoticesOnce) {
  constexpr const char* kPanasonicCve = "CVE-2022-4621";
  auto camera = [&](const std::string& key, bool exposed) {
    v1::Asset asset = DeltaAsset(key, "2.03-02", exposed, "Panasonic");
    asset.set_product("CC-HD2100P");
    return asset;
  };
  PushAssets({camera("exposed-in", true), camera("internal-in", false)});
  ASSERT_EQ(PushAdvisories({CsafAdvisory(ReadCsafDocument(kPanasonic))}).accepted(), 1u);
  EXPECT_EQ(Matches("ICSA-23-012-04"), "2:exposed-in,internal-in");
  EXPECT_EQ(AdvisoryNotices(), 0);

  WriteKevFile({kActiveMqCve, kPanasonicCve});
  server_->Reload();
  EXPECT_EQ(AdvisoryNotices(), 1);
  EXPECT_EQ(Sql("SELECT count(*) FROM notifications WHERE escalation_key = 'asset:" +
                std::to_string(AssetId("exposed-in")) +
                ":advisory:ICSA-23-012-04' AND cve_ids = "
                "ARRAY['" +
                kPanasonicCve + "']"),
            1);
  server_->Reload();
  EXPECT_EQ(AdvisoryNotices(), 1);
}

// An asset pushed or changed after the advisory is matched in its own transaction; a change
// out of range removes its match (the notice raised stays: notices are never withdrawn).
TEST_F(AdvisoryTest, AnAssetIsMatchedWhenPushedAndUnmatchedWhenItLeavesTheRange) {
  ASSERT_EQ(PushAdvisories({CsafAdvisory(ReadCsafDocument(kDelta))}).accepted(), 1u);
  PushAssets({DeltaAsset("exposed-in", "1.0.5", true)});
  EXPECT_EQ(Matches(kDeltaId), "1:exposed-in");
  EXPECT_EQ(AdvisoryNotices(), 1);

  clock_.Advance(std::chrono::minutes(5));
  v1::Asset upgraded = DeltaAsset("exposed-in", "1.0.11", true);
  *upgraded.mutable_last_seen_time() = ToTimestamp(clock_.Now());
  PushAssets({upgraded});
  EXPECT_EQ(Matches(kDeltaId), "0:");
  EXPECT_EQ(AdvisoryNotices(), 1);
}

// Versions of one advisory, pushed one batch after another: a stub never replaces anything, a
// document replaces a stub, a newer /document/tracking/version replaces the current one and
// keeps it as a revision, the same version is a duplicate, an older one is STALE_REVISION.
TEST_F(AdvisoryTest, VersionsReplaceKeepAndRefuseAsTheirNumbersSay) {
  const std::string v1 = ReadCsafDocument(kDelta);
  struct Step {
    const char* what;
    v1::Advisory pushed;
    const char* outcome;  // "accepted", "duplicate" or a rejection reason
    bool stub;            // what is stored after it
    int64_t revision;
    int64_t kept_revisions;
  };
  const std::vector<Step> steps = {
      {"a stub first", Stub(kDeltaId), "accepted", true, 1, 0},
      {"the stub again", Stub(kDeltaId), "duplicate", true, 1, 0},
      {"the document replaces the stub", CsafAdvisory(v1), "accepted", false, 1, 0},
      {"the same version again", CsafAdvisory(v1), "duplicate", false, 1, 0},
      {"a stub after the document", Stub(kDeltaId), "duplicate", false, 1, 0},
      {"version 3", CsafAdvisory(AsVersion(v1, 3)), "accepted", false, 2, 1},
      {"version 2, older", CsafAdvisory(AsVersion(v1, 2)), "STALE_REVISION", false, 2, 1},
      {"version 4", CsafAdvisory(AsVersion(v1, 4)), "accepted", false, 3, 2},
  };
  for (const Step& step : steps) {
    const v1::PushAck ack = PushAdvisories({step.pushed});
    const std::string outcome = ack.accepted() == 1          ? "accepted"
                                : ack.duplicates() == 1      ? "duplicate"
                                : ack.rejections_size() == 1 ? ack.rejections(0).reason()
                                                             : "?";
    EXPECT_EQ(outcome, step.outcome) << step.what << ": " << ack.DebugString();
    if (ack.rejections_size() == 1) {
      EXPECT_EQ(ack.rejections(0).kind(), v1::RECORD_KIND_ADVISORY);
      EXPECT_EQ(ack.rejections(0).field(), "csaf_document/document/tracking/version");
      EXPECT_EQ(ack.rejections(0).key(), kDeltaId);
    }
    EXPECT_EQ(Sql("SELECT count(*) FROM advisories WHERE stub"), step.stub ? 1 : 0) << step.what;
    EXPECT_EQ(Sql("SELECT revision FROM advisories"), step.revision) << step.what;
    EXPECT_EQ(Sql("SELECT count(*) FROM advisory_revisions"), step.kept_revisions) << step.what;
  }
  EXPECT_EQ(Sql("SELECT count(*) FROM advisories"), 1);
  EXPECT_EQ(Sql("SELECT count(*) FROM advisories WHERE version = '4' AND document IS NOT NULL "
                "AND published_at IS NOT NULL AND tlp = 'CLEAR' AND cve_ids = ARRAY['" +
                std::string(kActiveMqCve) + "']"),
            1);
  EXPECT_EQ(Sql("SELECT (string_agg(version, ',' ORDER BY revision) = '1,3')::int FROM "
                "advisory_revisions"),
            1);
}

// Every bad document of a batch is refused by itself, naming the JSON path, a stable reason
// and the CSAF rule; the valid ones beside them are stored.
TEST_F(AdvisoryTest, EachBadDocumentIsRefusedWithItsPathAndRuleAndTheRestAreStored) {
  const std::string delta = ReadCsafDocument(kDelta);
  auto edited = [&](auto edit) {
    Json json = Json::parse(delta);
    edit(json);
    return json.dump();
  };
  struct Case {
    const char* what;
    v1::Advisory pushed;
    const char* field_prefix;
    const char* reason_prefix;
  };
  v1::Advisory mismatched = CsafAdvisory(delta);
  mismatched.set_tracking_id("ICSA-99-999-99");
  const std::vector<Case> cases = {
      {"not JSON", CsafAdvisory("{\"document\": "), "csaf_document", "CSAF_NOT_JSON"},
      {"no tracking id",
       CsafAdvisory(edited([](Json& json) { json["document"]["tracking"].erase("id"); })),
       "csaf_document/document/tracking", "CSAF_SCHEMA"},
      {"a version its history lacks",
       CsafAdvisory(edited([](Json& json) { json["document"]["tracking"]["version"] = "2"; })),
       "csaf_document/document/tracking", "CSAF_TEST_6_1_"},
      {"a CVE id that is none",
       CsafAdvisory(edited([](Json& json) { json["vulnerabilities"][0]["cve"] = "CVE-23-1"; })),
       "csaf_document/vulnerabilities/0/cve", "CSAF_SCHEMA"},
      {"a tracking id beside the document that is not its own", mismatched, "tracking_id",
       "TRACKING_ID_MISMATCH"},
      {"a stub without a tracking id", Stub(""), "tracking_id", "REQUIRED"},
  };
  std::vector<v1::Advisory> batch = {CsafAdvisory(ReadCsafDocument(kPanasonic))};
  for (const Case& c : cases) batch.push_back(c.pushed);
  batch.push_back(CsafAdvisory(ReadCsafDocument(kRockwell)));
  const v1::PushAck ack = PushAdvisories(batch);
  EXPECT_EQ(ack.accepted(), 2u) << ack.DebugString();
  ASSERT_EQ(ack.rejections_size(), static_cast<int>(cases.size())) << ack.DebugString();
  for (size_t i = 0; i < cases.size(); ++i) {
    const Case& c = cases[i];
    const v1::Rejection* found = nullptr;
    for (const v1::Rejection& rejection : ack.rejections()) {
      if (rejection.index() == i + 1) found = &rejection;
    }
    ASSERT_NE(found, nullptr) << c.what;
    EXPECT_EQ(found->kind(), v1::RECORD_KIND_ADVISORY) << c.what;
    EXPECT_TRUE(found->field().starts_with(c.field_prefix)) << c.what << ": " << found->field();
    EXPECT_TRUE(found->reason().starts_with(c.reason_prefix)) << c.what << ": " << found->reason();
    EXPECT_FALSE(found->message().empty()) << c.what;
  }
  EXPECT_EQ(Sql("SELECT count(*) FROM advisories"), 2);
  EXPECT_EQ(Sql("SELECT count(*) FROM advisory_products p JOIN advisories a ON a.id = "
                "p.advisory_id WHERE a.tracking_id = 'ICSA-23-012-04' AND p.vendor_norm = "
                "'panasonic'"),
            6);
}

// Who pushes advisories: collectors (of any province) and administrators; an enterprise or a
// regulator is refused per advisory.
TEST_F(AdvisoryTest, OnlyCollectorsAndAdministratorsPushAdvisories) {
  const v1::Enterprise enterprise = RegisterEnterprise(kBeijing);
  struct Case {
    const char* who;
    std::string token;
    bool stored;
  };
  const std::vector<Case> cases = {
      {"a provincial collector", TokenFor(v1::ROLE_COLLECTOR, kBeijing), true},
      {"the administrator", admin_token_, true},
      {"an enterprise", TokenFor(v1::ROLE_ENTERPRISE, 0, enterprise.id()), false},
  };
  int n = 0;
  for (const Case& c : cases) {
    const v1::PushAck ack = PushAdvisories({Stub("ICSA-00-000-0" + std::to_string(++n))}, c.token);
    EXPECT_EQ(ack.accepted(), c.stored ? 1u : 0u) << c.who << ": " << ack.DebugString();
    if (!c.stored) {
      ASSERT_EQ(ack.rejections_size(), 1) << c.who;
      EXPECT_EQ(ack.rejections(0).reason(), "PERMISSION_DENIED") << c.who;
      EXPECT_EQ(ack.rejections(0).field(), "tracking_id") << c.who;
    }
  }
}

}  // namespace
}  // namespace sitrep::testing
