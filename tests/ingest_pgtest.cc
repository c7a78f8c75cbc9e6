// IngestService.Push through a real channel: durable acks, idempotency, per-record validation
// and permission, limits, and PostgreSQL going away (issue #3).
#include <gtest/gtest.h>

#include <functional>

#include "domain/time_convert.h"
#include "tests/push_client.h"
#include "tests/record_samples.h"
#include "tests/server_fixture.h"
#include "tests/support/test_cluster.h"

namespace sitrep::testing {
namespace {

class IngestTest : public ServerFixture {
 protected:
  void SetUp() override {
    ServerFixture::SetUp();
    guangdong_collector_ = TokenFor(v1::ROLE_COLLECTOR, 440000);
  }

  v1::Incident Incident(const std::string& id, uint32_t province = 440000) {
    return SampleIncident(id, province, clock_.Now());
  }
  v1::Asset Asset(const std::string& key, uint32_t province = 440000) {
    return SampleAsset(key, province, clock_.Now());
  }

  PushResult Push(const std::vector<v1::PushBatch>& batches, const std::string& token = "") {
    return PushAll(*channel_, token.empty() ? guangdong_collector_ : token, batches);
  }

  int64_t Count(const std::string& table) {
    return QueryInt(server_->database_url(), "SELECT count(*) FROM " + table);
  }

  std::string guangdong_collector_;
};

v1::PushBatch Batch(uint64_t sequence, std::vector<v1::Incident> incidents,
                    std::vector<v1::Asset> assets = {}) {
  v1::PushBatch batch;
  batch.set_sequence(sequence);
  for (auto& incident : incidents) *batch.add_incidents() = std::move(incident);
  for (auto& asset : assets) *batch.add_assets() = std::move(asset);
  return batch;
}

TEST_F(IngestTest, StoresABatchAndAcksItAfterCommit) {
  const PushResult result = Push(
      {Batch(7, {Incident("a"), Incident("b"), Incident("c")}, {Asset("plc-1"), Asset("plc-2")})});
  ASSERT_TRUE(result.status.ok()) << result.status.error_message();
  ASSERT_EQ(result.acks.size(), 1u);
  EXPECT_EQ(result.acks[0].sequence(), 7u);
  EXPECT_EQ(result.acks[0].accepted(), 5u);
  EXPECT_EQ(result.acks[0].duplicates(), 0u);
  EXPECT_EQ(result.acks[0].rejected(), 0u);
  EXPECT_EQ(Count("incidents"), 3);
  EXPECT_EQ(Count("assets"), 2);
  // What went in comes out: escaping of tabs, quotes, braces and UTF-8 survived COPY.
  EXPECT_EQ(QueryInt(server_->database_url(),
                     "SELECT count(*) FROM incidents WHERE attributes->>'plant' = "
                     "E'2号机组 \"unit 2\"\\t{a,b}' AND cve_ids = '{CVE-2023-3595}' "
                     "AND indicators->0->>'value' = '203.0.113.7' AND severity = 3"),
            3);
}

TEST_F(IngestTest, AcksManyPipelinedBatchesInOrder) {
  std::vector<v1::PushBatch> batches;
  for (int b = 0; b < 20; ++b) {
    std::vector<v1::Incident> incidents;
    for (int i = 0; i < 100; ++i) incidents.push_back(Incident(std::to_string(b * 100 + i)));
    batches.push_back(Batch(b + 1, std::move(incidents)));
  }
  const PushResult result = Push(batches);
  ASSERT_TRUE(result.status.ok()) << result.status.error_message();
  ASSERT_EQ(result.acks.size(), 20u);
  for (int b = 0; b < 20; ++b) {
    EXPECT_EQ(result.acks[b].sequence(), static_cast<uint64_t>(b + 1));
    EXPECT_EQ(result.acks[b].accepted(), 100u);
  }
  EXPECT_EQ(Count("incidents"), 2000);
}

TEST_F(IngestTest, ResendingAWholeBatchAddsNothing) {
  const v1::PushBatch batch = Batch(1, {Incident("a"), Incident("b")}, {Asset("plc-1")});
  ASSERT_TRUE(Push({batch}).status.ok());
  const PushResult again = Push({batch, batch});
  ASSERT_TRUE(again.status.ok());
  ASSERT_EQ(again.acks.size(), 2u);
  for (const v1::PushAck& ack : again.acks) {
    EXPECT_EQ(ack.accepted(), 0u);
    EXPECT_EQ(ack.duplicates(), 3u);
  }
  EXPECT_EQ(Count("incidents"), 2);
  EXPECT_EQ(Count("assets"), 1);
  EXPECT_EQ(QueryInt(server_->database_url(), "SELECT times_seen FROM assets"), 1);
}

TEST_F(IngestTest, TheSameKeyTwiceInOneBatchIsStoredOnce) {
  const PushResult result =
      Push({Batch(1, {Incident("a"), Incident("a")}, {Asset("k"), Asset("k")})});
  ASSERT_TRUE(result.status.ok());
  EXPECT_EQ(Count("incidents"), 1);
  EXPECT_EQ(Count("assets"), 1);
  EXPECT_EQ(result.acks.at(0).duplicates(), 1u);  // the second incident
}

TEST_F(IngestTest, ANewObservationUpdatesTheAssetAndCountsIt) {
  ASSERT_TRUE(Push({Batch(1, {}, {Asset("plc-1")})}).status.ok());
  v1::Asset later = Asset("plc-1");
  *later.mutable_last_seen_time() = ToTimestamp(clock_.Now());
  later.set_version("3.51");
  const PushResult result = Push({Batch(2, {}, {later})});
  ASSERT_TRUE(result.status.ok());
  EXPECT_EQ(result.acks.at(0).accepted(), 1u);
  EXPECT_EQ(QueryInt(server_->database_url(),
                     "SELECT times_seen FROM assets WHERE version = '3.51' "
                     "AND first_seen < last_seen"),
            2);
  EXPECT_EQ(Count("assets"), 1);
}

struct BadIncident {
  const char* name;
  std::function<void(v1::Incident&)> breaks;
  const char* field;
  const char* reason;
};

TEST_F(IngestTest, EachBadIncidentFieldIsRejectedAndTheRestOfTheBatchIsStored) {
  const std::vector<BadIncident> rows = {
      {"no external id", [](auto& i) { i.set_external_id(""); }, "external_id", "REQUIRED"},
      {"unknown province", [](auto& i) { i.set_province(999999); }, "province", "UNKNOWN_PROVINCE"},
      {"unknown sector", [](auto& i) { i.set_sector("x'; DROP TABLE incidents; --"); }, "sector",
       "UNKNOWN_SECTOR"},
      {"no category", [](auto& i) { i.set_category(v1::CATEGORY_UNSPECIFIED); }, "category",
       "INVALID_ENUM"},
      {"unknown severity", [](auto& i) { i.set_severity(static_cast<v1::Severity>(9)); },
       "severity", "INVALID_ENUM"},
      {"no tlp", [](auto& i) { i.set_tlp(v1::TLP_UNSPECIFIED); }, "tlp", "INVALID_ENUM"},
      {"empty title", [](auto& i) { i.set_title(""); }, "title", "REQUIRED"},
      {"huge description", [](auto& i) { i.set_description(std::string(20'001, 'x')); },
       "description", "TOO_LONG"},
      {"bad ipv4", [](auto& i) { i.mutable_indicators(0)->set_value("300.1.1.1"); },
       "indicators[0].value", "INVALID_INDICATOR"},
      {"bad sha256", [](auto& i) { i.mutable_indicators(1)->set_value("abc"); },
       "indicators[1].value", "INVALID_INDICATOR"},
      {"bad cve", [](auto& i) { i.set_cve_ids(0, "CVE-23-1"); }, "cve_ids[0]", "INVALID_CVE_ID"},
      {"bad technique", [](auto& i) { i.set_attack_technique_ids(0, "T1059"); },
       "attack_technique_ids[0]", "INVALID_TECHNIQUE_ID"},
      {"occurred after detected",
       [&](auto& i) { *i.mutable_occur_time() = ToTimestamp(clock_.Now()); }, "detect_time",
       "BEFORE_OCCUR_TIME"},
      {"detected in the future",
       [&](auto& i) {
         *i.mutable_detect_time() = ToTimestamp(clock_.Now() + std::chrono::hours(1));
       },
       "detect_time", "IN_FUTURE"},
      {"occurred in 1989",
       [](auto& i) {
         i.mutable_occur_time()->set_seconds(599'529'600); /* 1988-12-31 */
       },
       "occur_time", "TOO_EARLY"},
      {"unknown enterprise", [](auto& i) { i.set_enterprise_id(987654); }, "enterprise_id",
       "ENTERPRISE_NOT_FOUND"},
  };
  std::vector<v1::Incident> incidents = {Incident("good-first")};
  for (size_t r = 0; r < rows.size(); ++r) {
    v1::Incident incident = Incident("bad-" + std::to_string(r));
    rows[r].breaks(incident);
    incidents.push_back(incident);
  }
  incidents.push_back(Incident("good-last"));
  const PushResult result = Push({Batch(1, incidents)});
  ASSERT_TRUE(result.status.ok()) << result.status.error_message();
  const v1::PushAck& ack = result.acks.at(0);
  EXPECT_EQ(ack.accepted(), 2u);
  EXPECT_EQ(ack.rejected(), rows.size());
  for (size_t r = 0; r < rows.size(); ++r) {
    bool found = false;
    for (const v1::Rejection& rejection : ack.rejections()) {
      if (rejection.index() != r + 1) continue;
      found = true;
      EXPECT_EQ(rejection.kind(), v1::RECORD_KIND_INCIDENT) << rows[r].name;
      EXPECT_EQ(rejection.field(), rows[r].field) << rows[r].name;
      EXPECT_EQ(rejection.reason(), rows[r].reason) << rows[r].name;
      EXPECT_FALSE(rejection.message().empty()) << rows[r].name;
    }
    EXPECT_TRUE(found) << rows[r].name;
  }
  EXPECT_EQ(Count("incidents"), 2);
}

struct BadAsset {
  const char* name;
  std::function<void(v1::Asset&)> breaks;
  const char* field;
  const char* reason;
};

TEST_F(IngestTest, EachBadAssetFieldIsRejectedAndTheRestOfTheBatchIsStored) {
  const std::vector<BadAsset> rows = {
      {"no key", [](auto& a) { a.set_asset_key(""); }, "asset_key", "REQUIRED"},
      {"unknown province", [](auto& a) { a.set_province(100); }, "province", "UNKNOWN_PROVINCE"},
      {"bad ip", [](auto& a) { a.set_ip("10.0.0.1:502"); }, "ip", "INVALID_IP"},
      {"bad port", [](auto& a) { a.set_port(70000); }, "port", "OUT_OF_RANGE"},
      {"bad protocol", [](auto& a) { a.set_protocol("Modbus TCP'--"); }, "protocol",
       "INVALID_PROTOCOL"},
      {"long vendor", [](auto& a) { a.set_vendor(std::string(201, 'v')); }, "vendor", "TOO_LONG"},
      {"bad cve", [](auto& a) { a.set_cve_ids(0, "CVE-2022-1"); }, "cve_ids[0]", "INVALID_CVE_ID"},
      {"seen in the future",
       [&](auto& a) {
         *a.mutable_last_seen_time() = ToTimestamp(clock_.Now() + std::chrono::hours(2));
       },
       "last_seen_time", "IN_FUTURE"},
      {"unknown sector", [](auto& a) { a.set_sector("mining"); }, "sector", "UNKNOWN_SECTOR"},
  };
  std::vector<v1::Asset> assets = {Asset("good-1")};
  for (size_t r = 0; r < rows.size(); ++r) {
    v1::Asset asset = Asset("bad-" + std::to_string(r));
    rows[r].breaks(asset);
    assets.push_back(asset);
  }
  const PushResult result = Push({Batch(1, {}, assets)});
  ASSERT_TRUE(result.status.ok()) << result.status.error_message();
  const v1::PushAck& ack = result.acks.at(0);
  EXPECT_EQ(ack.accepted(), 1u);
  EXPECT_EQ(ack.rejected(), rows.size());
  for (size_t r = 0; r < rows.size(); ++r) {
    bool found = false;
    for (const v1::Rejection& rejection : ack.rejections()) {
      if (rejection.index() != r + 1) continue;
      found = true;
      EXPECT_EQ(rejection.kind(), v1::RECORD_KIND_ASSET) << rows[r].name;
      EXPECT_EQ(rejection.key(), assets[r + 1].asset_key()) << rows[r].name;
      EXPECT_EQ(rejection.field(), rows[r].field) << rows[r].name;
      EXPECT_EQ(rejection.reason(), rows[r].reason) << rows[r].name;
    }
    EXPECT_TRUE(found) << rows[r].name;
  }
  EXPECT_EQ(Count("assets"), 1);
}

TEST_F(IngestTest, AGuangdongCollectorPushingABeijingRecordIsDeniedThatRecordOnly) {
  const PushResult result =
      Push({Batch(1, {Incident("gd"), Incident("bj", 110000)}, {Asset("bj-plc", 110000)})});
  ASSERT_TRUE(result.status.ok());
  const v1::PushAck& ack = result.acks.at(0);
  EXPECT_EQ(ack.accepted(), 1u);
  ASSERT_EQ(ack.rejected(), 2u);
  for (const v1::Rejection& rejection : ack.rejections()) {
    EXPECT_EQ(rejection.field(), "province");
    EXPECT_EQ(rejection.reason(), "PERMISSION_DENIED");
  }
  EXPECT_EQ(Count("incidents"), 1);
}

TEST_F(IngestTest, ANationalCollectorPushesEveryProvince) {
  const std::string national = TokenFor(v1::ROLE_COLLECTOR, 0);
  const PushResult result =
      Push({Batch(1, {Incident("gd"), Incident("bj", 110000), Incident("xj", 660000)})}, national);
  ASSERT_TRUE(result.status.ok());
  EXPECT_EQ(result.acks.at(0).accepted(), 3u);
}

TEST_F(IngestTest, AnEnterpriseMustLieInTheRecordsProvince) {
  const v1::Enterprise beijing = RegisterEnterprise(110000);
  const v1::Enterprise guangdong = RegisterEnterprise(440000);
  v1::Incident wrong = Incident("wrong");
  wrong.set_enterprise_id(beijing.id());
  v1::Incident right = Incident("right");
  right.set_enterprise_id(guangdong.id());
  const PushResult result = Push({Batch(1, {wrong, right})});
  ASSERT_TRUE(result.status.ok());
  ASSERT_EQ(result.acks.at(0).rejections_size(), 1);
  EXPECT_EQ(result.acks[0].rejections(0).reason(), "ENTERPRISE_NOT_IN_PROVINCE");
  EXPECT_EQ(result.acks[0].accepted(), 1u);
}

TEST_F(IngestTest, ABatchOfTooManyRecordsEndsTheStreamWithInvalidArgument) {
  std::vector<v1::Incident> incidents;
  for (int i = 0; i < 1001; ++i) incidents.push_back(Incident(std::to_string(i)));
  const PushResult result = Push({Batch(1, incidents)});
  EXPECT_EQ(result.status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(ViolatedFields(result.status), std::vector<std::string>{"incidents"});
  EXPECT_EQ(Count("incidents"), 0);
}

TEST_F(IngestTest, AMessageOverTheSizeLimitIsRefusedWithoutHarm) {
  v1::Incident huge = Incident("huge");
  (*huge.mutable_attributes())["blob"] = std::string(9 << 20, 'x');
  const PushResult result = Push({Batch(1, {huge})});
  EXPECT_EQ(result.status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  // The server still serves.
  EXPECT_TRUE(Push({Batch(2, {Incident("after")})}).status.ok());
}

// Protobuf refuses a string that is not UTF-8 while parsing, before any sitrep code sees the
// batch; the stream must end with an error rather than look like a clean half-close.
TEST_F(IngestTest, ABatchWithInvalidUtf8EndsTheStreamWithAnError) {
  v1::Incident bad = Incident("bad");
  bad.set_title("bad \xC3\x28 bytes");
  const PushResult result = Push({Batch(1, {Incident("good")}), Batch(2, {bad})});
  EXPECT_FALSE(result.status.ok());
  EXPECT_EQ(result.status.error_code(), grpc::StatusCode::INVALID_ARGUMENT)
      << result.status.error_message();
  EXPECT_TRUE(Push({Batch(3, {Incident("after")})}).status.ok());
}

TEST_F(IngestTest, RegulatorsMayNotPush) {
  const PushResult result =
      Push({Batch(1, {Incident("x")})}, TokenFor(v1::ROLE_PROVINCIAL, 440000));
  EXPECT_EQ(result.status.error_code(), grpc::StatusCode::PERMISSION_DENIED);
}

TEST_F(IngestTest, PostgreSQLAwayEndsTheStreamWithUnavailableAndAResendIsSafe) {
  const v1::PushBatch batch = Batch(1, {Incident("a"), Incident("b")});
  ASSERT_TRUE(Push({batch}).status.ok());
  test::TestCluster::Cluster().Stop();
  const PushResult down = Push({Batch(2, {Incident("c")})});
  EXPECT_EQ(down.status.error_code(), grpc::StatusCode::UNAVAILABLE);
  test::TestCluster::Cluster().Restart();
  const PushResult resent = Push({batch, Batch(2, {Incident("c")})});
  ASSERT_TRUE(resent.status.ok()) << resent.status.error_message();
  EXPECT_EQ(resent.acks.at(0).duplicates(), 2u);
  EXPECT_EQ(resent.acks.at(1).accepted(), 1u);
  EXPECT_EQ(Count("incidents"), 3);
}

}  // namespace
}  // namespace sitrep::testing
