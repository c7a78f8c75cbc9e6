// IngestService.Push through a real channel: durable acks, idempotency, per-record validation
// and permission, limits, and PostgreSQL going away (issue #3).
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <functional>
#include <future>
#include <thread>

#include "domain/time_convert.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "ingest/group_commit_writer.h"
#include "server/status_mapping.h"
#include "sitrep/v1/feed.grpc.pb.h"
#include "storage/pool.h"
#include "tests/push_client.h"
#include "tests/record_samples.h"
#include "tests/server_fixture.h"
#include "tests/support/database_owner.h"
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

  // What is stored, as the admin reads it through the feed API.
  std::vector<v1::Incident> StoredIncidents() {
    std::vector<v1::Incident> all;
    ListAll<v1::ListIncidentsRequest, v1::ListIncidentsResponse>(
        [&](auto& context, auto& request, auto& response) {
          return feeds_->ListIncidents(&context, request, &response);
        },
        [&](const v1::ListIncidentsResponse& page) {
          all.insert(all.end(), page.incidents().begin(), page.incidents().end());
          return !page.incidents().empty();
        });
    return all;
  }
  std::vector<v1::Asset> StoredAssets() {
    std::vector<v1::Asset> all;
    ListAll<v1::ListAssetsRequest, v1::ListAssetsResponse>(
        [&](auto& context, auto& request, auto& response) {
          return feeds_->ListAssets(&context, request, &response);
        },
        [&](const v1::ListAssetsResponse& page) {
          all.insert(all.end(), page.assets().begin(), page.assets().end());
          return !page.assets().empty();
        });
    return all;
  }
  int64_t Count(const std::string& kind) {
    return static_cast<int64_t>(kind == "incidents" ? StoredIncidents().size()
                                                    : StoredAssets().size());
  }

  // Calls `list` as the admin page after page, handing each page to `take`, until `take`
  // says the page was the last.
  template <typename Request, typename Response, typename List, typename Take>
  void ListAll(List list, Take take) {
    if (feeds_ == nullptr) feeds_ = v1::FeedService::NewStub(channel_);
    Request request;
    request.set_page_size(1000);
    do {
      Response response;
      const grpc::Status status = list(*As(admin_token_), request, response);
      EXPECT_TRUE(status.ok()) << status.error_message();
      if (!status.ok()) return;
      // A feed's token is never empty; an empty page means the end.
      if (!take(response)) return;
      request.set_page_token(response.next_page_token());
    } while (true);
  }

  // The principal TokenFor made last.
  int64_t NewestPrincipalId() {
    v1::ListPrincipalsRequest request;
    request.set_page_size(1000);
    v1::ListPrincipalsResponse response;
    const grpc::Status status =
        registry_->ListPrincipals(As(admin_token_).get(), request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    int64_t newest = 0;
    for (const v1::Principal& principal : response.principals()) {
      newest = std::max(newest, principal.id());
    }
    return newest;
  }

  std::string guangdong_collector_;
  std::unique_ptr<v1::FeedService::Stub> feeds_;
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
  for (const v1::Incident& stored : StoredIncidents()) {
    EXPECT_EQ(stored.attributes().at("plant"), "2号机组 \"unit 2\"\t{a,b}");
    EXPECT_EQ(std::vector<std::string>(stored.cve_ids().begin(), stored.cve_ids().end()),
              std::vector<std::string>{"CVE-2023-3595"});
    ASSERT_GE(stored.indicators_size(), 1);
    EXPECT_EQ(stored.indicators(0).value(), "203.0.113.7");
    EXPECT_EQ(stored.severity(), v1::SEVERITY_III);
  }
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
  const std::vector<v1::Asset> assets = StoredAssets();
  ASSERT_EQ(assets.size(), 1u);
  EXPECT_EQ(assets[0].times_seen(), 1);
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
  const std::vector<v1::Asset> assets = StoredAssets();
  ASSERT_EQ(assets.size(), 1u);
  EXPECT_EQ(assets[0].version(), "3.51");
  EXPECT_EQ(assets[0].times_seen(), 2);
  EXPECT_LT(FromTimestamp(assets[0].first_seen_time()), FromTimestamp(assets[0].last_seen_time()));
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

// Issue 14: a byte COPY or PostgreSQL cannot take (NUL) or that has no business in a record
// (control characters) is refused in the one record that holds it, naming the field, whatever
// string field of whichever record kind it hides in; the neighbours are stored. (Bytes that are
// not UTF-8 never get this far: protobuf refuses the whole batch, see below; the checks that
// would catch them are tested in domain/record_checks_test.cc.)
struct HostileText {
  const char* name;
  std::string bytes;
  bool allowed_in_multiline;  // tab, newline, carriage return in free text
};

const std::vector<HostileText> kHostileTexts = {
    {"NUL", std::string("\0", 1), false},
    {"SOH", "\x01", false},
    {"ESC", "\x1b[31m", false},
    {"DEL", "\x7f", false},
    {"C1 NEL", "\xc2\x85", false},
    {"newline", "\n", true},
    {"tab", "\t", true},
    {"NUL in the middle", std::string("a\0b", 3), false},
};

template <class Record>
struct StringField {
  const char* path;  // the field the rejection must name
  std::function<void(Record&, const std::string& hostile)> spoils;
  bool multiline;
};

// Pushes, per hostile text, a batch of 20 good records, the spoilt one, 20 good records; each
// batch must be acked with 40 accepted and the spoilt record rejected naming its field. Returns
// the number of batches.
template <class Record>
int64_t ExpectEachSpoiltFieldRejectedAlone(
    const std::vector<StringField<Record>>& fields,
    const std::function<Record(const std::string& key)>& make,
    const std::function<v1::PushBatch(std::vector<Record>)>& batch_of,
    const std::function<PushResult(const std::vector<v1::PushBatch>&)>& push) {
  int serial = 0;
  int64_t pushed = 0;
  for (const StringField<Record>& field : fields) {
    std::vector<v1::PushBatch> batches;
    std::vector<std::string> names;
    for (const HostileText& hostile : kHostileTexts) {
      if (field.multiline && hostile.allowed_in_multiline) continue;
      std::vector<Record> records;
      for (int i = 0; i < 41; ++i) records.push_back(make("k" + std::to_string(serial++)));
      field.spoils(records[20], hostile.bytes);
      v1::PushBatch batch = batch_of(std::move(records));
      batch.set_sequence(batches.size() + 1);
      batches.push_back(std::move(batch));
      names.push_back(std::string(field.path) + " with " + hostile.name);
    }
    pushed += static_cast<int64_t>(batches.size());
    const PushResult result = push(batches);
    EXPECT_TRUE(result.status.ok()) << field.path << ": " << result.status.error_message();
    if (result.acks.size() != batches.size()) {
      ADD_FAILURE() << field.path << ": " << result.acks.size() << " acks";
      continue;
    }
    for (size_t b = 0; b < batches.size(); ++b) {
      const v1::PushAck& ack = result.acks[b];
      EXPECT_EQ(ack.accepted(), 40u) << names[b];
      if (ack.rejections_size() != 1) {
        ADD_FAILURE() << names[b] << ": " << ack.ShortDebugString();
        continue;
      }
      EXPECT_EQ(ack.rejections(0).index(), 20u) << names[b];
      EXPECT_EQ(ack.rejections(0).field(), field.path) << names[b];
      EXPECT_EQ(ack.rejections(0).reason(), "CONTROL_CHARACTER") << names[b];
      EXPECT_FALSE(ack.rejections(0).message().empty()) << names[b];
    }
  }
  return pushed;
}

TEST_F(IngestTest, AControlCharacterInAnyIncidentStringIsRejectedInThatRecordAlone) {
  using I = v1::Incident;
  const std::vector<StringField<I>> fields = {
      {"external_id", [](I& i, const std::string& h) { i.set_external_id("x" + h); }, false},
      {"sector", [](I& i, const std::string& h) { i.set_sector("energy" + h); }, false},
      {"subcategory", [](I& i, const std::string& h) { i.set_subcategory("ransomware" + h); },
       false},
      {"title", [](I& i, const std::string& h) { i.set_title("title" + h); }, false},
      {"description", [](I& i, const std::string& h) { i.set_description("text" + h); }, true},
      {"indicators[0].value",
       [](I& i, const std::string& h) { i.mutable_indicators(0)->set_value("203.0.113.7" + h); },
       false},
      {"indicators[1].value",
       [](I& i, const std::string& h) {
         i.mutable_indicators(1)->set_value(h + std::string(64, 'a'));
       },
       false},
      {"cve_ids[0]", [](I& i, const std::string& h) { i.set_cve_ids(0, "CVE-2023-3595" + h); },
       false},
      {"attack_technique_ids[0]",
       [](I& i, const std::string& h) { i.set_attack_technique_ids(0, "T0866" + h); }, false},
      {"affected_asset_keys[0]",
       [](I& i, const std::string& h) { i.set_affected_asset_keys(0, "plc-7" + h); }, false},
      // A spoilt key is not repeated in the path; the map names the entry.
      {"attributes", [](I& i, const std::string& h) { (*i.mutable_attributes())["k" + h] = "v"; },
       false},
      {"attributes[\"plant\"]",
       [](I& i, const std::string& h) { (*i.mutable_attributes())["plant"] = "unit 2" + h; }, true},
  };
  const int64_t batches = ExpectEachSpoiltFieldRejectedAlone<I>(
      fields, [&](const std::string& key) { return Incident(key); },
      [](std::vector<I> incidents) { return Batch(0, std::move(incidents)); },
      [&](const std::vector<v1::PushBatch>& sent) { return Push(sent); });
  EXPECT_EQ(Count("incidents"), 40 * batches);
  for (const v1::Incident& stored : StoredIncidents()) {
    EXPECT_EQ((stored.title() + stored.description() + stored.external_id()).find('\x01'),
              std::string::npos);
    EXPECT_EQ(stored.title().find('\x7f'), std::string::npos) << stored.external_id();
  }
}

TEST_F(IngestTest, AControlCharacterInAnyAssetStringIsRejectedInThatRecordAlone) {
  using A = v1::Asset;
  const std::vector<StringField<A>> fields = {
      {"asset_key", [](A& a, const std::string& h) { a.set_asset_key("plc" + h); }, false},
      {"sector", [](A& a, const std::string& h) { a.set_sector("water" + h); }, false},
      {"ip", [](A& a, const std::string& h) { a.set_ip("198.51.100.23" + h); }, false},
      {"protocol", [](A& a, const std::string& h) { a.set_protocol("modbus" + h); }, false},
      {"vendor", [](A& a, const std::string& h) { a.set_vendor("Schneider" + h); }, false},
      {"product", [](A& a, const std::string& h) { a.set_product("M340" + h); }, false},
      {"version", [](A& a, const std::string& h) { a.set_version("3.40" + h); }, false},
      {"cve_ids[0]", [](A& a, const std::string& h) { a.set_cve_ids(0, "CVE-2022-45788" + h); },
       false},
      {"attributes", [](A& a, const std::string& h) { (*a.mutable_attributes())["k" + h] = "v"; },
       false},
      {"attributes[\"site\"]",
       [](A& a, const std::string& h) { (*a.mutable_attributes())["site"] = "pump" + h; }, true},
  };
  const int64_t batches = ExpectEachSpoiltFieldRejectedAlone<A>(
      fields, [&](const std::string& key) { return Asset(key); },
      [](std::vector<A> assets) { return Batch(0, {}, std::move(assets)); },
      [&](const std::vector<v1::PushBatch>& sent) { return Push(sent); });
  EXPECT_EQ(Count("assets"), 40 * batches);
  for (const v1::Asset& stored : StoredAssets()) EXPECT_EQ(stored.ip(), "198.51.100.23");
}

// A batch as PrepareBatch would make it, but without its checks: what a gap in them would let
// through to the writer.
ingest::PreparedBatch Unchecked(const Principal& caller, uint64_t sequence,
                                const std::vector<v1::Incident>& incidents,
                                const std::vector<v1::Asset>& assets) {
  ingest::ArenaBatch parsed;
  for (const v1::Incident& incident : incidents) *parsed.batch->add_incidents() = incident;
  for (const v1::Asset& asset : assets) *parsed.batch->add_assets() = asset;
  ingest::PreparedBatch prepared;
  prepared.caller = caller;
  prepared.sequence = sequence;
  for (int i = 0; i < parsed.batch->incidents_size(); ++i) {
    prepared.incidents.push_back(parsed.batch->mutable_incidents(i));
    prepared.incident_indices.push_back(static_cast<uint32_t>(i));
  }
  for (int i = 0; i < parsed.batch->assets_size(); ++i) {
    prepared.assets.push_back(parsed.batch->mutable_assets(i));
    prepared.asset_indices.push_back(static_cast<uint32_t>(i));
  }
  prepared.arena = std::move(parsed.arena);
  return prepared;
}

// Issue 14, defence in depth: should a record the checks missed still be refused by
// PostgreSQL, the writer splits its group until that record stands alone, rejects it (naming
// the field when PostgreSQL does) and stores every other record of the group.
TEST_F(IngestTest, ARecordPostgreSQLRefusesIsRejectedAloneAndTheRestOfItsGroupIsStored) {
  struct Refused {
    const char* name;
    bool incident;
    std::function<void(v1::Incident&)> spoil_incident;
    std::function<void(v1::Asset&)> spoil_asset;
    const char* field;
  };
  const std::vector<Refused> rows = {
      {"NUL in an incident's title", true,
       [](v1::Incident& i) { i.set_title(std::string("a\0b", 3)); }, nullptr, "title"},
      {"NUL in an asset's ip", false, nullptr,
       [](v1::Asset& a) { a.set_ip(std::string("198.51.100.23\0x", 15)); }, "ip"},
      {"an asset's ip that is no address", false, nullptr,
       [](v1::Asset& a) { a.set_ip("not an address"); }, "ip"},
      {"invalid UTF-8 in an asset key", false, nullptr,
       [](v1::Asset& a) { a.set_asset_key("plc-\xc0\xaf"); }, "asset_key"},
      {"NUL in an incident's second indicator", true,
       [](v1::Incident& i) { i.mutable_indicators(1)->set_value(std::string("a\0", 2)); }, nullptr,
       "indicators[1].value"},
      {"NUL in an asset's attribute", false, nullptr,
       [](v1::Asset& a) { (*a.mutable_attributes())["site"] = std::string("\0", 1); },
       "attributes"},
  };
  storage::Pool pool(server_->database_url(), 2);
  ingest::GroupCommitWriter writer(pool, clock_, {.writers = 1});
  Principal collector;
  collector.id = NewestPrincipalId();
  collector.role = v1::ROLE_COLLECTOR;
  collector.province = 440000;
  int serial = 0;
  // Per row, three batches submitted together (one group, or more if the writer is quick):
  // 41 records with the refused one in the middle, and two batches of 40 good ones.
  for (const Refused& row : rows) {
    SCOPED_TRACE(row.name);
    const auto key = [&] { return "r" + std::to_string(serial++); };
    std::vector<std::future<ingest::GroupCommitWriter::Outcome>> outcomes;
    for (int b = 0; b < 3; ++b) {
      std::vector<v1::Incident> incidents;
      std::vector<v1::Asset> assets;
      for (int i = 0; i < (b == 0 ? 41 : 40); ++i) {
        if (row.incident) {
          incidents.push_back(Incident(key()));
          if (b == 0 && i == 20) row.spoil_incident(incidents.back());
        } else {
          assets.push_back(Asset(key()));
          if (b == 0 && i == 20) row.spoil_asset(assets.back());
        }
      }
      auto promise = std::make_shared<std::promise<ingest::GroupCommitWriter::Outcome>>();
      outcomes.push_back(promise->get_future());
      writer.Submit(Unchecked(collector, b + 1, incidents, assets),
                    [promise](ingest::GroupCommitWriter::Outcome outcome) {
                      promise->set_value(std::move(outcome));
                    });
    }
    for (int b = 0; b < 3; ++b) {
      ingest::GroupCommitWriter::Outcome outcome = outcomes[b].get();
      auto* written = std::get_if<ingest::WrittenBatch>(&outcome);
      if (written == nullptr) {
        ASSERT_TRUE(std::holds_alternative<std::exception_ptr>(outcome)) << "the writer stopped";
        try {
          std::rethrow_exception(std::get<std::exception_ptr>(outcome));
        } catch (const std::exception& error) {
          ADD_FAILURE() << "batch " << b << " failed: " << error.what();
        }
        continue;
      }
      const std::vector<ingest::RecordVerdict>& verdicts =
          row.incident ? written->verdicts.incidents : written->verdicts.assets;
      std::vector<size_t> rejected;
      size_t stored = 0;
      for (size_t i = 0; i < verdicts.size(); ++i) {
        if (verdicts[i].kind == ingest::RecordVerdict::kStored) ++stored;
        if (verdicts[i].kind == ingest::RecordVerdict::kRejected) rejected.push_back(i);
      }
      EXPECT_EQ(stored, 40u) << b;
      if (b > 0) {
        EXPECT_TRUE(rejected.empty()) << b;
        continue;
      }
      ASSERT_EQ(rejected.size(), 1u);
      EXPECT_EQ(rejected[0], 20u);
      const FieldViolation& violation = *verdicts[rejected[0]].violation;
      EXPECT_EQ(violation.reason, "REFUSED_BY_DATABASE");
      EXPECT_EQ(violation.field, row.field);
      EXPECT_FALSE(violation.description.empty());
    }
  }
  EXPECT_EQ(Count("incidents") + Count("assets"), 120 * static_cast<int64_t>(rows.size()));
}

// Issue 15, item 4: a batch still queued when the server stops is answered with its own
// error, UNAVAILABLE saying the server is stopping, not as if the database were away; the
// batch being committed still commits.
TEST_F(IngestTest, ABatchQueuedWhenTheServerStopsHearsThatItIsStopping) {
  Principal collector;
  collector.id = NewestPrincipalId();
  collector.role = v1::ROLE_COLLECTOR;
  collector.province = 440000;
  storage::Pool pool(server_->database_url(), 2);
  auto writer = std::make_unique<ingest::GroupCommitWriter>(
      pool, clock_, ingest::GroupCommitWriter::Options{.writers = 1});
  // Holding the incidents table keeps the first batch in its commit while the second queues.
  test::DatabaseOwner locker(server_->database_url());
  locker.LockTable("incidents");
  std::promise<ingest::GroupCommitWriter::Outcome> first;
  std::promise<ingest::GroupCommitWriter::Outcome> second;
  writer->Submit(
      Unchecked(collector, 1, {Incident("stop-1")}, {}),
      [&](ingest::GroupCommitWriter::Outcome outcome) { first.set_value(std::move(outcome)); });
  while (!locker.SomeoneWaitsForALock()) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  writer->Submit(
      Unchecked(collector, 2, {Incident("stop-2")}, {}),
      [&](ingest::GroupCommitWriter::Outcome outcome) { second.set_value(std::move(outcome)); });
  std::thread stopping([&] { writer.reset(); });
  std::this_thread::sleep_for(std::chrono::milliseconds(200));  // the queue is abandoned
  locker.ReleaseLock();
  stopping.join();

  ingest::GroupCommitWriter::Outcome committed = first.get_future().get();
  ASSERT_TRUE(std::holds_alternative<ingest::WrittenBatch>(committed));
  EXPECT_EQ(std::get<ingest::WrittenBatch>(committed).verdicts.incidents.at(0).kind,
            ingest::RecordVerdict::kStored);
  ingest::GroupCommitWriter::Outcome abandoned = second.get_future().get();
  EXPECT_TRUE(std::holds_alternative<ingest::GroupCommitWriter::Stopping>(abandoned));
  const grpc::Status status = ToStatus(ingest::StoppingError());
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_NE(status.error_message().find("the server is stopping"), std::string::npos);
  EXPECT_EQ(status.error_message().find("database"), std::string::npos);
  EXPECT_EQ(Count("incidents"), 1);
}

// Issue 14 / SPEC §4: PostgreSQL dropping the writer's connection in the middle of a group
// commit's COPY ends the stream with UNAVAILABLE and a RetryInfo, never INTERNAL; the acked
// batches are stored and a resend completes the rest.
TEST_F(IngestTest, AConnectionLostDuringCopyEndsTheStreamWithUnavailableAndRetryInfo) {
  std::atomic<bool> stop = false;
  std::atomic<int> terminated = 0;
  std::thread killer([&] {
    test::DatabaseOwner postgres(server_->database_url());
    while (!stop) {
      terminated += postgres.TerminateActiveBackends("COPY %staging%");
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
  });
  int unavailable = 0;
  for (int push = 0; push < 40 && terminated < 5; ++push) {
    std::vector<v1::PushBatch> batches;
    for (int b = 0; b < 4; ++b) {
      std::vector<v1::Incident> incidents;
      for (int i = 0; i < 1000; ++i) {
        v1::Incident incident = Incident("p" + std::to_string(push) + "-" + std::to_string(b) +
                                         "-" + std::to_string(i));
        incident.set_description(std::string(1500, 'd'));
        incidents.push_back(std::move(incident));
      }
      batches.push_back(Batch(b + 1, std::move(incidents)));
    }
    const PushResult result = Push(batches);
    if (result.status.ok()) continue;
    EXPECT_EQ(result.status.error_code(), grpc::StatusCode::UNAVAILABLE)
        << result.status.error_message();
    google::rpc::Status details;
    google::rpc::RetryInfo retry;
    EXPECT_TRUE(details.ParseFromString(result.status.error_details()) &&
                details.details_size() == 1 && details.details(0).UnpackTo(&retry))
        << result.status.error_message();
    ++unavailable;
  }
  stop = true;
  killer.join();
  EXPECT_GT(unavailable, 0) << "no COPY was caught in flight";
  // The server still serves.
  EXPECT_TRUE(Push({Batch(1, {Incident("after")})}).status.ok());
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
