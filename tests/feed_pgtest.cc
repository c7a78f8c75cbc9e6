// FeedService through a real channel: commit order, gap-free cursors under concurrent writers,
// live watch, who sees what (row-level security as the second wall), hostile filters, and the
// audit of every read (issue #4).
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <random>
#include <set>
#include <thread>

#include "domain/page_token.h"
#include "domain/time_convert.h"
#include "sitrep/v1/feed.grpc.pb.h"
#include "sitrep/v1/report.grpc.pb.h"
#include "storage/incident_store.h"
#include "storage/pool.h"
#include "storage/tx.h"
#include "tests/push_client.h"
#include "tests/record_samples.h"
#include "tests/server_fixture.h"
#include "tests/support/database_owner.h"

namespace sitrep::testing {
namespace {

const std::string kFromTheStart = EncodeFeedCursor("incidents", FeedPosition{});

class FeedTest : public ServerFixture {
 protected:
  void SetUp() override {
    ServerFixture::SetUp();
    feeds_ = v1::FeedService::NewStub(channel_);
    national_ = TokenFor(v1::ROLE_NATIONAL);
    collector_ = TokenFor(v1::ROLE_COLLECTOR, 440000);
  }

  void PushIncidents(const std::vector<v1::Incident>& incidents, const std::string& token = "") {
    v1::PushBatch batch;
    for (const v1::Incident& incident : incidents) *batch.add_incidents() = incident;
    const PushResult result = PushAll(*channel_, token.empty() ? collector_ : token, {batch});
    ASSERT_TRUE(result.status.ok()) << result.status.error_message();
    ASSERT_EQ(result.acks.at(0).rejected(), 0u) << result.acks[0].ShortDebugString();
  }

  // Every page of ListIncidents from `token` on, following next_page_token until a page is
  // empty; returns the incidents and leaves `token` at the end.
  std::vector<v1::Incident> ListAll(const std::string& caller, std::string& token,
                                    const v1::IncidentFilter& filter = {}, int page_size = 100) {
    std::vector<v1::Incident> all;
    for (;;) {
      v1::ListIncidentsRequest request;
      *request.mutable_filter() = filter;
      request.set_page_size(page_size);
      request.set_page_token(token);
      v1::ListIncidentsResponse response;
      const grpc::Status status = feeds_->ListIncidents(As(caller).get(), request, &response);
      EXPECT_TRUE(status.ok()) << status.error_message();
      if (!status.ok()) return all;
      EXPECT_FALSE(response.next_page_token().empty());
      token = response.next_page_token();
      if (response.incidents().empty()) return all;
      for (const v1::Incident& incident : response.incidents()) all.push_back(incident);
    }
  }

  std::unique_ptr<v1::FeedService::Stub> feeds_;
  std::string national_;
  std::string collector_;
};

std::vector<std::string> ExternalIds(const std::vector<v1::Incident>& incidents) {
  std::vector<std::string> ids;
  for (const v1::Incident& incident : incidents) ids.push_back(incident.external_id());
  return ids;
}

TEST_F(FeedTest, ListsInCommitOrderAndACursorContinuesWhereItStopped) {
  PushIncidents(
      {SampleIncident("a", 440000, clock_.Now()), SampleIncident("b", 440000, clock_.Now())});
  PushIncidents({SampleIncident("c", 440000, clock_.Now())});
  std::string token;
  EXPECT_EQ(ExternalIds(ListAll(national_, token, {}, 2)),
            (std::vector<std::string>{"a", "b", "c"}));
  // Caught up: an empty page, and the same token again later yields only what came since.
  EXPECT_TRUE(ListAll(national_, token).empty());
  PushIncidents({SampleIncident("d", 440000, clock_.Now())});
  EXPECT_EQ(ExternalIds(ListAll(national_, token)), std::vector<std::string>{"d"});
}

TEST_F(FeedTest, AnAmendedIncidentAppearsAgainAsItsNewRevision) {
  PushIncidents(
      {SampleIncident("a", 440000, clock_.Now()), SampleIncident("b", 440000, clock_.Now())});
  std::string token;
  const std::vector<v1::Incident> first = ListAll(national_, token);
  ASSERT_EQ(first.size(), 2u);
  auto reports = v1::ReportService::NewStub(channel_);
  v1::AmendIncidentRequest amend;
  amend.set_incident_id(first[0].id());
  amend.set_kind(v1::AMENDMENT_KIND_REGRADE);
  amend.mutable_incident()->set_severity(v1::SEVERITY_I);
  amend.mutable_update_mask()->add_paths("severity");
  v1::Incident amended;
  ASSERT_TRUE(reports->AmendIncident(As(national_).get(), amend, &amended).ok());
  const std::vector<v1::Incident> again = ListAll(national_, token);
  ASSERT_EQ(again.size(), 1u);
  EXPECT_EQ(again[0].id(), first[0].id());
  EXPECT_EQ(again[0].revision(), 2);
  EXPECT_EQ(again[0].severity(), v1::SEVERITY_I);
}

TEST_F(FeedTest, FiltersNarrowTheFeed) {
  v1::Incident water = SampleIncident("water", 440000, clock_.Now());
  water.set_sector("water");
  water.set_severity(v1::SEVERITY_I);
  water.set_title("Chlorine dosing PLC manipulated");
  water.clear_cve_ids();
  water.add_cve_ids("CVE-2024-99999");
  PushIncidents({SampleIncident("energy", 440000, clock_.Now()), water});
  const auto ids = [&](v1::IncidentFilter filter) {
    std::string token;
    return ExternalIds(ListAll(national_, token, filter));
  };
  v1::IncidentFilter filter;
  filter.add_sectors("water");
  EXPECT_EQ(ids(filter), std::vector<std::string>{"water"});
  filter.Clear();
  filter.set_min_severity(v1::SEVERITY_II);
  EXPECT_EQ(ids(filter), std::vector<std::string>{"water"});
  filter.Clear();
  filter.set_cve_id("CVE-2024-99999");
  EXPECT_EQ(ids(filter), std::vector<std::string>{"water"});
  filter.Clear();
  filter.set_title_contains("chlorine");
  EXPECT_EQ(ids(filter), std::vector<std::string>{"water"});
  filter.Clear();
  filter.set_indicator_value("203.0.113.7");
  EXPECT_EQ(ids(filter).size(), 2u);
  filter.Clear();
  filter.add_provinces(110000);
  EXPECT_TRUE(ids(filter).empty());
}

// A receive-time filter starts the feed at the first row its minute's marks point to
// (migrations 0010, 0016): exactly there, so that row itself is served, and nothing received
// before the range is.
TEST_F(FeedTest, AReceiveTimeFilterServesEveryRowReceivedInItsRangeAndNoOther) {
  const auto start = clock_.Now();
  PushIncidents({SampleIncident("old-1", 440000, start), SampleIncident("old-2", 440000, start)});
  clock_.Advance(std::chrono::hours(2));
  PushIncidents({SampleIncident("new-1", 440000, start), SampleIncident("new-2", 440000, start)});
  clock_.Advance(std::chrono::minutes(5));
  PushIncidents({SampleIncident("newest", 440000, start)});
  const auto received_since = [&](std::chrono::system_clock::time_point since) {
    v1::IncidentFilter filter;
    *filter.mutable_receive_time()->mutable_start_time() = ToTimestamp(since);
    std::string token;
    return ExternalIds(ListAll(national_, token, filter, 2));
  };
  EXPECT_EQ(received_since(start),
            (std::vector<std::string>{"old-1", "old-2", "new-1", "new-2", "newest"}));
  EXPECT_EQ(received_since(start + std::chrono::hours(1)),
            (std::vector<std::string>{"new-1", "new-2", "newest"}));
  EXPECT_EQ(received_since(start + std::chrono::minutes(123)),
            (std::vector<std::string>{"newest"}));
  EXPECT_TRUE(received_since(start + std::chrono::hours(3)).empty());
}

// The marks' transaction ids are numbers (issue #14): a mark of xid 10012 lies after one of
// 9981, although "10012" sorts before "9981" as text. The first record's transaction has one
// digit fewer than the second's; a receive-time filter from before both serves both.
TEST_F(FeedTest, AReceiveTimeFilterOrdersMarksByTransactionIdNotByItsDigits) {
  test::DatabaseOwner owner(server_->database_url());
  uint64_t power = 10;
  while (power <= owner.NextTransactionId() + 100) power *= 10;
  const auto start = clock_.Now();
  // The mark's transaction id, as the record's cursor carries it.
  const auto newest_mark = [&] {
    std::string token;
    const std::vector<v1::Incident> all = ListAll(national_, token, {});
    return all.empty() ? 0 : DecodeFeedCursor("incidents", all.back().cursor())->xid;
  };
  owner.SpendTransactionIdsUntil(power - 40);
  PushIncidents({SampleIncident("fewer-digits", 440000, start)});
  ASSERT_LT(newest_mark(), power);
  clock_.Advance(std::chrono::minutes(5));
  owner.SpendTransactionIdsUntil(power);
  PushIncidents({SampleIncident("more-digits", 440000, start)});
  ASSERT_GE(newest_mark(), power);
  v1::IncidentFilter filter;
  *filter.mutable_receive_time()->mutable_start_time() = ToTimestamp(start);
  std::string token;
  EXPECT_EQ(ExternalIds(ListAll(national_, token, filter)),
            (std::vector<std::string>{"fewer-digits", "more-digits"}));
}

// SPEC §4: a consumer that follows the cursor (or watches) never misses or repeats a record,
// even while many writers commit out of order. The writers here hold their transactions open
// for random times, so later positions often commit before earlier ones.
TEST_F(FeedTest, EightWritersCommittingOutOfOrderAreSeenExactlyOnceInCursorOrder) {
  constexpr int kWriters = 8;
  constexpr int kBatches = 25;
  constexpr int kBatchSize = 250;  // 8 × 25 × 250 = 50,000 records
  constexpr int kTotal = kWriters * kBatches * kBatchSize;
  storage::Pool pool(server_->database_url(), kWriters);
  const int64_t reporter = NewestPrincipalId();
  Principal writer;  // the write policies admit a reporter's rows as that reporter only
  writer.id = reporter;
  writer.role = v1::ROLE_COLLECTOR;  // a national collector (province 0) writes any province

  std::atomic<bool> failed = false;
  // The watcher starts before the writers, from the start of the feed.
  std::vector<std::string> watched;
  std::thread watcher([&] {
    grpc::ClientContext context;
    context.AddMetadata("authorization", "Bearer " + national_);
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::minutes(5));
    v1::WatchIncidentsRequest request;
    request.set_cursor(kFromTheStart);
    auto stream = feeds_->WatchIncidents(&context, request);
    v1::WatchIncidentsResponse response;
    while (static_cast<int>(watched.size()) < kTotal && stream->Read(&response)) {
      for (const v1::Incident& incident : response.incidents()) {
        watched.push_back(incident.external_id());
      }
    }
    context.TryCancel();
  });

  std::vector<std::thread> writers;
  for (int w = 0; w < kWriters; ++w) {
    writers.emplace_back([&, w] {
      std::mt19937 random(w);
      try {
        for (int b = 0; b < kBatches; ++b) {
          std::vector<v1::Incident> incidents;
          for (int i = 0; i < kBatchSize; ++i) {
            incidents.push_back(
                SampleIncident("w" + std::to_string(w) + "-" + std::to_string(b * kBatchSize + i),
                               440000, clock_.Now()));
            incidents.back().set_status(v1::INCIDENT_STATUS_REPORTED);  // as ingest defaults it
          }
          std::vector<storage::IncidentWrite> writes;
          for (const v1::Incident& incident : incidents)
            writes.push_back({reporter, &incident, nullptr, false});
          storage::InTransaction(pool, writer, [&](storage::Tx& tx) {
            (void)storage::IncidentStore::Insert(tx, writes, clock_.Now());
            std::this_thread::sleep_for(std::chrono::milliseconds(random() % 40));
          });
        }
      } catch (const std::exception& error) {
        ADD_FAILURE() << error.what();
        failed = true;
      }
    });
  }

  // The consumer follows the cursor while the writers run.
  std::vector<std::string> followed;
  std::vector<FeedPosition> positions;
  std::string token;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::minutes(5);
  while (static_cast<int>(followed.size()) < kTotal && !failed &&
         std::chrono::steady_clock::now() < deadline) {
    for (const v1::Incident& incident : ListAll(national_, token, {}, 1000)) {
      followed.push_back(incident.external_id());
      positions.push_back(*DecodeFeedCursor("incidents", incident.cursor()));
    }
  }
  for (std::thread& thread : writers) thread.join();
  watcher.join();

  ASSERT_EQ(followed.size(), static_cast<size_t>(kTotal))
      << "stuck at " << DecodeFeedCursor("incidents", token)->xid << "."
      << DecodeFeedCursor("incidents", token)->seq << " after " << followed.size();
  EXPECT_EQ(std::set<std::string>(followed.begin(), followed.end()).size(),
            static_cast<size_t>(kTotal));
  for (size_t i = 1; i < positions.size(); ++i) {
    ASSERT_TRUE(
        positions[i - 1].xid < positions[i].xid ||
        (positions[i - 1].xid == positions[i].xid && positions[i - 1].seq < positions[i].seq))
        << "cursor order broken at " << i;
  }
  EXPECT_EQ(watched, followed);
}

TEST_F(FeedTest, AWatchReplaysFromItsCursorThenTailsWhatCommits) {
  PushIncidents({SampleIncident("old", 440000, clock_.Now())});
  grpc::ClientContext context;
  context.AddMetadata("authorization", "Bearer " + national_);
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
  v1::WatchIncidentsRequest request;
  request.set_cursor(kFromTheStart);
  auto stream = feeds_->WatchIncidents(&context, request);
  v1::WatchIncidentsResponse response;
  ASSERT_TRUE(stream->Read(&response));
  ASSERT_EQ(response.incidents_size(), 1);
  EXPECT_EQ(response.incidents(0).external_id(), "old");
  PushIncidents({SampleIncident("new", 440000, clock_.Now())});
  ASSERT_TRUE(stream->Read(&response));
  ASSERT_EQ(response.incidents_size(), 1);
  EXPECT_EQ(response.incidents(0).external_id(), "new");
  context.TryCancel();
}

TEST_F(FeedTest, HostileFilterStringsGiveInvalidArgumentOrNothingNeverAnError) {
  PushIncidents({SampleIncident("a", 440000, clock_.Now())});
  const std::vector<std::string> attacks = {"' OR '1'='1",
                                            "'; DROP TABLE incidents; --",
                                            "\\",
                                            "%",
                                            "_",
                                            "\") OR true --",
                                            "$1",
                                            "x' UNION SELECT secret_sha256 FROM tokens --",
                                            std::string(5000, '\'')};
  for (const std::string& attack : attacks) {
    for (int field = 0; field < 5; ++field) {
      v1::ListIncidentsRequest request;
      v1::IncidentFilter* filter = request.mutable_filter();
      if (field == 0) filter->add_sectors(attack);
      if (field == 1) filter->set_cve_id(attack);
      if (field == 2) filter->set_indicator_value(attack);
      if (field == 3) filter->set_title_contains(attack);
      if (field == 4) request.set_page_token(attack);
      v1::ListIncidentsResponse response;
      const grpc::Status status = feeds_->ListIncidents(As(national_).get(), request, &response);
      if (status.ok()) {
        EXPECT_TRUE(response.incidents().empty()) << field << " " << attack;
      } else {
        EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT)
            << field << " " << attack << ": " << status.error_message();
      }
    }
  }
  std::string token;
  EXPECT_EQ(ListAll(national_, token).size(), 1u);  // nothing was written by the attacks
}

// Issue 14: array elements cross PostgreSQL's array text format, where quotes, backslashes,
// commas, braces and the word NULL mean something; each must come back byte for byte on every
// read path (a single quote used to abort sitrepd on the first read of its row).
const std::vector<std::string> kHostileElements = {
    "'",           "'ab",       "'abc'",    "'a'b'",   "\"",      "\"\"",      "\\",
    "\\\\",        "\\N",       ",",        "{",       "}",       "{a,b}",     "{}",
    "NULL",        "null",      " ",        "  a b  ", "a,b",     "[1:1]={x}", "$1",
    "' OR '1'='1", "x\"y\\z'w", "中文资产", "😀",       "e\u0301", "\u00a0",    "\u2028"};

std::vector<std::string> Strings(const google::protobuf::RepeatedPtrField<std::string>& values) {
  return {values.begin(), values.end()};
}

using Attributes = std::map<std::string, std::string>;

Attributes Entries(const google::protobuf::Map<std::string, std::string>& map) {
  return {map.begin(), map.end()};
}

// Every array (and the attributes map, whose keys and values are stored as JSON) of `got`
// equals that of `sent`, element for element.
void ExpectSameArrays(const v1::Incident& got, const v1::Incident& sent, const std::string& path) {
  EXPECT_EQ(Strings(got.affected_asset_keys()), Strings(sent.affected_asset_keys()))
      << path << " " << sent.external_id();
  EXPECT_EQ(Strings(got.cve_ids()), Strings(sent.cve_ids())) << path << " " << sent.external_id();
  EXPECT_EQ(Strings(got.attack_technique_ids()), Strings(sent.attack_technique_ids()))
      << path << " " << sent.external_id();
  EXPECT_EQ(Entries(got.attributes()), Entries(sent.attributes()))
      << path << " " << sent.external_id();
}

void ExpectSameArrays(const v1::Asset& got, const v1::Asset& sent, const std::string& path) {
  EXPECT_EQ(got.asset_key(), sent.asset_key()) << path;
  EXPECT_EQ(Strings(got.cve_ids()), Strings(sent.cve_ids())) << path << " " << sent.asset_key();
  EXPECT_EQ(Entries(got.attributes()), Entries(sent.attributes()))
      << path << " " << sent.asset_key();
}

// Compares every record of `got` with the one sent under its key; returns how many it found.
template <class Record, class Key>
size_t ExpectAllSame(const std::vector<Record>& got, const std::map<std::string, Record>& sent,
                     Key key, const std::string& path) {
  size_t found = 0;
  for (const Record& record : got) {
    const auto expected = sent.find(key(record));
    if (expected == sent.end()) continue;
    ++found;
    ExpectSameArrays(record, expected->second, path);
  }
  return found;
}

TEST_F(FeedTest, EveryArrayElementComesBackByteForByteOnEveryReadPath) {
  const v1::Enterprise plant = RegisterEnterprise(440000);
  const std::string plant_token = TokenFor(v1::ROLE_ENTERPRISE, 0, plant.id());
  // One incident per hostile element (alone, repeated, beside a plain one), one holding them
  // all, one with empty arrays.
  std::map<std::string, v1::Incident> incidents;
  std::map<std::string, v1::Asset> assets;
  const auto add_incident = [&](const std::string& id, std::vector<std::string> keys) {
    v1::Incident incident = SampleIncident(id, 440000, clock_.Now());
    incident.clear_affected_asset_keys();
    incident.clear_attributes();
    for (const std::string& key : keys) {
      incident.add_affected_asset_keys(key);
      if (incident.attributes_size() < 50) (*incident.mutable_attributes())[key] = key;
    }
    incident.add_cve_ids("CVE-2021-44228");
    incident.add_attack_technique_ids("T0831");
    incidents[id] = incident;
  };
  for (size_t k = 0; k < kHostileElements.size(); ++k) {
    const std::string& hostile = kHostileElements[k];
    add_incident("arrays-" + std::to_string(k), {hostile});
    add_incident("arrays-twice-" + std::to_string(k), {hostile, "plc-1", hostile});
    v1::Asset asset = SampleAsset(hostile, 440000, clock_.Now());
    asset.add_cve_ids("CVE-2021-44228");
    (*asset.mutable_attributes())[hostile] = hostile;
    assets[hostile] = asset;
  }
  add_incident("arrays-all", kHostileElements);
  v1::Incident empty = SampleIncident("arrays-empty", 440000, clock_.Now());
  empty.clear_affected_asset_keys();
  empty.clear_cve_ids();
  empty.clear_attack_technique_ids();
  empty.clear_attributes();
  incidents["arrays-empty"] = empty;

  v1::PushBatch batch;
  for (const auto& [id, incident] : incidents) *batch.add_incidents() = incident;
  for (const auto& [key, asset] : assets) *batch.add_assets() = asset;
  const PushResult pushed = PushAll(*channel_, plant_token, {batch});
  ASSERT_TRUE(pushed.status.ok()) << pushed.status.error_message();
  ASSERT_EQ(pushed.acks.at(0).rejected(), 0u) << pushed.acks[0].ShortDebugString();
  const auto external_id = [](const v1::Incident& incident) { return incident.external_id(); };
  const auto asset_key = [](const v1::Asset& asset) { return asset.asset_key(); };

  // ListIncidents (a national page), then GetIncident for each.
  std::string token;
  const std::vector<v1::Incident> listed = ListAll(national_, token);
  EXPECT_EQ(ExpectAllSame(listed, incidents, external_id, "ListIncidents"), incidents.size());
  for (const v1::Incident& incident : listed) {
    v1::GetIncidentRequest get;
    get.set_id(incident.id());
    v1::Incident got;
    const grpc::Status status = feeds_->GetIncident(As(national_).get(), get, &got);
    ASSERT_TRUE(status.ok()) << status.error_message();
    ExpectSameArrays(got, incidents.at(got.external_id()), "GetIncident");
  }

  // ListMyIncidents.
  auto reports = v1::ReportService::NewStub(channel_);
  v1::ListMyIncidentsRequest mine;
  mine.set_page_size(1000);
  v1::ListMyIncidentsResponse my_page;
  ASSERT_TRUE(reports->ListMyIncidents(As(plant_token).get(), mine, &my_page).ok());
  EXPECT_EQ(ExpectAllSame(
                std::vector<v1::Incident>(my_page.incidents().begin(), my_page.incidents().end()),
                incidents, external_id, "ListMyIncidents"),
            incidents.size());

  // WatchIncidents from the start of the feed.
  {
    grpc::ClientContext context;
    context.AddMetadata("authorization", "Bearer " + national_);
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
    v1::WatchIncidentsRequest request;
    request.set_cursor(kFromTheStart);
    auto stream = feeds_->WatchIncidents(&context, request);
    std::vector<v1::Incident> watched;
    v1::WatchIncidentsResponse response;
    while (watched.size() < incidents.size() && stream->Read(&response)) {
      watched.insert(watched.end(), response.incidents().begin(), response.incidents().end());
    }
    context.TryCancel();
    EXPECT_EQ(ExpectAllSame(watched, incidents, external_id, "WatchIncidents"), incidents.size());
  }

  // ReportIncident's answer, then an amendment that writes the arrays as statement parameters,
  // and both revisions.
  v1::ReportIncidentRequest report;
  *report.mutable_incident() = incidents.at("arrays-all");
  report.mutable_incident()->set_external_id("reported-all");
  report.mutable_incident()->set_enterprise_id(plant.id());
  v1::ReportIncidentResponse reported;
  const grpc::Status report_status =
      reports->ReportIncident(As(plant_token).get(), report, &reported);
  ASSERT_TRUE(report_status.ok()) << report_status.error_message();
  ExpectSameArrays(reported.incident(), report.incident(), "ReportIncident");
  v1::AmendIncidentRequest amend;
  amend.set_incident_id(reported.incident().id());
  amend.set_kind(v1::AMENDMENT_KIND_FOLLOW_UP);
  for (auto key = kHostileElements.rbegin(); key != kHostileElements.rend(); ++key) {
    amend.mutable_incident()->add_affected_asset_keys(*key);
  }
  amend.mutable_update_mask()->add_paths("affected_asset_keys");
  v1::Incident amended;
  const grpc::Status amend_status = reports->AmendIncident(As(plant_token).get(), amend, &amended);
  ASSERT_TRUE(amend_status.ok()) << amend_status.error_message();
  EXPECT_EQ(Strings(amended.affected_asset_keys()),
            Strings(amend.incident().affected_asset_keys()));
  v1::ListIncidentRevisionsRequest revisions_request;
  revisions_request.set_incident_id(reported.incident().id());
  v1::ListIncidentRevisionsResponse revisions;
  ASSERT_TRUE(
      reports->ListIncidentRevisions(As(plant_token).get(), revisions_request, &revisions).ok());
  ASSERT_EQ(revisions.revisions_size(), 2);
  ExpectSameArrays(revisions.revisions(0), report.incident(), "ListIncidentRevisions");
  EXPECT_EQ(Strings(revisions.revisions(1).affected_asset_keys()),
            Strings(amend.incident().affected_asset_keys()));

  // ListAssets, GetAsset and WatchAssets.
  v1::ListAssetsRequest list_assets;
  list_assets.set_page_size(1000);
  v1::ListAssetsResponse asset_page;
  const grpc::Status assets_status =
      feeds_->ListAssets(As(national_).get(), list_assets, &asset_page);
  ASSERT_TRUE(assets_status.ok()) << assets_status.error_message();
  const std::vector<v1::Asset> listed_assets(asset_page.assets().begin(),
                                             asset_page.assets().end());
  EXPECT_EQ(ExpectAllSame(listed_assets, assets, asset_key, "ListAssets"), assets.size());
  for (const v1::Asset& asset : listed_assets) {
    v1::GetAssetRequest get;
    get.set_id(asset.id());
    v1::Asset got;
    ASSERT_TRUE(feeds_->GetAsset(As(national_).get(), get, &got).ok());
    ExpectSameArrays(got, assets.at(got.asset_key()), "GetAsset");
  }
  {
    grpc::ClientContext context;
    context.AddMetadata("authorization", "Bearer " + national_);
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
    v1::WatchAssetsRequest request;
    request.set_cursor(EncodeFeedCursor("assets", FeedPosition{}));
    auto stream = feeds_->WatchAssets(&context, request);
    std::vector<v1::Asset> watched;
    v1::WatchAssetsResponse response;
    while (watched.size() < assets.size() && stream->Read(&response)) {
      watched.insert(watched.end(), response.assets().begin(), response.assets().end());
    }
    context.TryCancel();
    EXPECT_EQ(ExpectAllSame(watched, assets, asset_key, "WatchAssets"), assets.size());
  }
}

TEST_F(FeedTest, EveryReadIsAuditedWithItsRowCount) {
  PushIncidents(
      {SampleIncident("a", 440000, clock_.Now()), SampleIncident("b", 440000, clock_.Now())});
  std::string token;
  ASSERT_EQ(ListAll(national_, token).size(), 2u);
  const auto count = [&](const std::string& method, const auto& matches) {
    int64_t found = 0;
    for (const v1::AuditEntry& entry : AuditEntries("/sitrep.v1.FeedService/" + method)) {
      found += matches(entry);
    }
    return found;
  };
  EXPECT_EQ(count("ListIncidents",
                  [](const v1::AuditEntry& e) { return e.rows() == 2 && e.status() == "OK"; }),
            1);
  v1::GetIncidentRequest get;
  get.set_id(999999);
  v1::Incident incident;
  EXPECT_EQ(feeds_->GetIncident(As(national_).get(), get, &incident).error_code(),
            grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(count("GetIncident",
                  [](const v1::AuditEntry& e) {
                    return e.target() == "id=999999" && e.status() == "NOT_FOUND";
                  }),
            1);
}

}  // namespace
}  // namespace sitrep::testing
