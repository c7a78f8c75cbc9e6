// SPEC §3 as a matrix: principals of every role and province × incidents of every sharing scope
// and TLP, and assets of every owner × every read path (Get, List and Watch of incidents and of
// assets, and the situation overview's incident and exposure counts). Each principal sees
// exactly what an independent statement of the rules allows. Row-level security is the one home
// of the rule (storage/schema/03_records.sql); this table is its independent statement. That it
// holds for SQL that bypasses the C++ filters entirely is storage's test
// (storage/incident_store_pgtest.cc).
#include <gtest/gtest.h>

#include <functional>
#include <map>
#include <memory>
#include <set>

#include "domain/page_token.h"
#include "domain/time_convert.h"
#include "sitrep/v1/feed.grpc.pb.h"
#include "sitrep/v1/notification.grpc.pb.h"
#include "tests/push_client.h"
#include "tests/record_samples.h"
#include "tests/server_fixture.h"

namespace sitrep::testing {
namespace {

struct Viewer {
  std::string name;
  v1::Role role;
  uint32_t province = 0;
  int64_t enterprise_id = 0;
  std::string sector;
  int64_t principal_id = 0;
  std::string token;
};

struct Record {
  std::string external_id;
  uint32_t province;
  int64_t enterprise_id;
  std::string sector;
  v1::SharingScope scope;
  v1::Tlp tlp;
  int64_t reporter_id;
};

// SPEC §3, written out independently of the SQL policies.
bool MaySee(const Viewer& viewer, const Record& record) {
  const bool sharable_to_regulators = record.scope != v1::SHARING_SCOPE_PROVINCE &&
                                      record.tlp != v1::TLP_RED &&
                                      record.tlp != v1::TLP_AMBER_STRICT;
  const bool shared_to_enterprise =
      (record.tlp == v1::TLP_CLEAR || record.tlp == v1::TLP_GREEN) &&
      (record.scope == v1::SHARING_SCOPE_PUBLIC ||
       (record.scope == v1::SHARING_SCOPE_SECTOR && record.sector == viewer.sector));
  switch (viewer.role) {
    case v1::ROLE_ADMIN:
    case v1::ROLE_NATIONAL:
      return true;
    case v1::ROLE_PROVINCIAL:
      return record.province == viewer.province || sharable_to_regulators;
    case v1::ROLE_ENTERPRISE:
      return record.enterprise_id == viewer.enterprise_id || shared_to_enterprise;
    case v1::ROLE_COLLECTOR:
      return record.reporter_id == viewer.principal_id;
    default:
      return false;
  }
}

struct AssetRecord {
  std::string asset_key;
  uint32_t province;
  int64_t enterprise_id;
  int64_t reporter_id;
};

// SPEC §3 for assets, which carry no sharing scope.
bool MaySeeAsset(const Viewer& viewer, const AssetRecord& asset) {
  switch (viewer.role) {
    case v1::ROLE_ADMIN:
    case v1::ROLE_NATIONAL:
      return true;
    case v1::ROLE_PROVINCIAL:
      return asset.province == viewer.province;
    case v1::ROLE_ENTERPRISE:
      return asset.enterprise_id == viewer.enterprise_id ||
             asset.reporter_id == viewer.principal_id;
    case v1::ROLE_COLLECTOR:
      return asset.reporter_id == viewer.principal_id;
    default:
      return false;
  }
}

struct NoticeRecord {
  std::string title;
  uint32_t issuer_province;      // 0: the national centre
  uint32_t target_province;      // 0: none (an enterprise target)
  int64_t target_enterprise_id;  // 0: none (a province target)
};

// Whether the notification service serves the role at all: the parties of the loop. ADMIN (a
// platform operator) and COLLECTOR are refused every call with PERMISSION_DENIED, before row-level
// security (which would let ADMIN read every notice) is asked.
bool MayReadNotices(const Viewer& viewer) {
  return viewer.role == v1::ROLE_NATIONAL || viewer.role == v1::ROLE_PROVINCIAL ||
         viewer.role == v1::ROLE_ENTERPRISE || viewer.role == v1::ROLE_ADMIN;
}

// SPEC §3 for notices: the national centre and ADMIN see every notice; a province those
// addressed to it and those it issued; an enterprise those addressed to it.
bool MaySeeNotice(const Viewer& viewer, const NoticeRecord& notice) {
  switch (viewer.role) {
    case v1::ROLE_NATIONAL:
    case v1::ROLE_ADMIN:
      return true;
    case v1::ROLE_PROVINCIAL:
      return notice.target_province == viewer.province || notice.issuer_province == viewer.province;
    case v1::ROLE_ENTERPRISE:
      return notice.target_enterprise_id == viewer.enterprise_id;
    default:
      return false;
  }
}

class VisibilityTest : public ServerFixture {
 protected:
  Viewer Make(const std::string& name, v1::Role role, uint32_t province = 0,
              const v1::Enterprise* enterprise = nullptr) {
    Viewer viewer;
    viewer.name = name;
    viewer.role = role;
    viewer.province = province;
    if (enterprise) {
      viewer.enterprise_id = enterprise->id();
      viewer.sector = enterprise->sector();
    }
    viewer.token = TokenFor(role, province, viewer.enterprise_id);
    viewer.principal_id = NewestPrincipalId();
    return viewer;
  }
};

TEST_F(VisibilityTest, EveryPrincipalSeesExactlyWhatSpecSection3Allows) {
  const v1::Enterprise gd_energy = RegisterEnterprise(440000, "energy");
  const v1::Enterprise gd_energy_peer = RegisterEnterprise(440000, "energy");
  const v1::Enterprise bj_water = RegisterEnterprise(110000, "water");
  std::vector<Viewer> viewers = {
      Make("admin", v1::ROLE_ADMIN),
      Make("national", v1::ROLE_NATIONAL),
      Make("guangdong", v1::ROLE_PROVINCIAL, 440000),
      Make("beijing", v1::ROLE_PROVINCIAL, 110000),
      Make("victim", v1::ROLE_ENTERPRISE, 0, &gd_energy),
      Make("energy-peer", v1::ROLE_ENTERPRISE, 0, &gd_energy_peer),
      Make("water-firm", v1::ROLE_ENTERPRISE, 0, &bj_water),
      Make("gd-collector", v1::ROLE_COLLECTOR, 440000),
      Make("bj-collector", v1::ROLE_COLLECTOR, 110000),
  };
  viewers[0].token = admin_token_;  // the bootstrap admin
  const Viewer& gd_collector = viewers[7];
  const Viewer& bj_collector = viewers[8];

  // Every scope × TLP, reported by the Guangdong collector about the Guangdong energy firm,
  // plus one Beijing record of the Beijing collector.
  std::vector<Record> records;
  v1::PushBatch gd_batch, bj_batch;
  for (const v1::SharingScope scope : {v1::SHARING_SCOPE_PROVINCE, v1::SHARING_SCOPE_ALL_REGULATORS,
                                       v1::SHARING_SCOPE_SECTOR, v1::SHARING_SCOPE_PUBLIC}) {
    for (const v1::Tlp tlp :
         {v1::TLP_CLEAR, v1::TLP_GREEN, v1::TLP_AMBER, v1::TLP_AMBER_STRICT, v1::TLP_RED}) {
      Record record{v1::SharingScope_Name(scope) + "/" + v1::Tlp_Name(tlp),
                    440000,
                    gd_energy.id(),
                    "energy",
                    scope,
                    tlp,
                    gd_collector.principal_id};
      v1::Incident incident = SampleIncident(record.external_id, 440000, clock_.Now());
      incident.set_enterprise_id(gd_energy.id());
      incident.set_sharing_scope(scope);
      incident.set_tlp(tlp);
      *gd_batch.add_incidents() = incident;
      records.push_back(record);
    }
  }
  Record beijing{
      "beijing-public",         110000, 0, "water", v1::SHARING_SCOPE_PUBLIC, v1::TLP_CLEAR,
      bj_collector.principal_id};
  v1::Incident incident = SampleIncident(beijing.external_id, 110000, clock_.Now());
  incident.set_sector("water");
  incident.set_sharing_scope(beijing.scope);
  incident.set_tlp(beijing.tlp);
  *bj_batch.add_incidents() = incident;
  records.push_back(beijing);
  ASSERT_EQ(PushAll(*channel_, gd_collector.token, {gd_batch}).acks.at(0).accepted(), 20u);
  ASSERT_EQ(PushAll(*channel_, bj_collector.token, {bj_batch}).acks.at(0).accepted(), 1u);

  // Assets, every one internet-exposed: the Guangdong collector's of the energy firm and of no
  // enterprise, the Beijing collector's, and one the energy firm pushed itself.
  const Viewer& victim = viewers[4];
  const std::vector<std::pair<const Viewer*, AssetRecord>> asset_rows = {
      {&gd_collector, {"gd-firm-plc", 440000, gd_energy.id(), gd_collector.principal_id}},
      {&gd_collector, {"gd-unowned-hmi", 440000, 0, gd_collector.principal_id}},
      {&bj_collector, {"bj-rtu", 110000, 0, bj_collector.principal_id}},
      {&victim, {"firm-own-gateway", 440000, gd_energy.id(), victim.principal_id}},
  };
  std::vector<AssetRecord> assets;
  for (const auto& [pusher, row] : asset_rows) {
    v1::PushBatch batch;
    v1::Asset asset = SampleAsset(row.asset_key, row.province, clock_.Now());
    if (pusher->role == v1::ROLE_COLLECTOR) asset.set_enterprise_id(row.enterprise_id);
    *batch.add_assets() = asset;
    ASSERT_EQ(PushAll(*channel_, pusher->token, {batch}).acks.at(0).accepted(), 1u)
        << row.asset_key;
    assets.push_back(row);
  }

  // Notices: national bulletins to Guangdong and to Beijing, and Guangdong's notice to the
  // energy firm.
  auto notification_service = v1::NotificationService::NewStub(channel_);
  const std::vector<std::pair<const Viewer*, NoticeRecord>> notice_rows = {
      {&viewers[1], {"bulletin-to-guangdong", 0, 440000, 0}},
      {&viewers[1], {"bulletin-to-beijing", 0, 110000, 0}},
      {&viewers[2], {"guangdong-to-firm", 440000, 0, gd_energy.id()}},
  };
  std::vector<NoticeRecord> notice_records;
  std::map<int64_t, std::string> notice_names;
  for (const auto& [issuer, row] : notice_rows) {
    v1::IssueNotificationRequest issue;
    v1::Notification* notice = issue.mutable_notification();
    notice->set_title(row.title);
    notice->set_priority(v1::SEVERITY_II);
    notice->set_tlp(v1::TLP_AMBER);
    v1::NotificationTarget* target = notice->add_targets();
    if (row.target_enterprise_id != 0) {
      target->set_enterprise_id(row.target_enterprise_id);
    } else {
      target->set_province(row.target_province);
    }
    v1::Notification issued;
    const grpc::Status status =
        notification_service->IssueNotification(As(issuer->token).get(), issue, &issued);
    ASSERT_TRUE(status.ok()) << row.title << ": " << status.error_message();
    notice_records.push_back(row);
    notice_names[issued.id()] = row.title;
  }

  auto feeds = v1::FeedService::NewStub(channel_);
  // Every record's id, read as the bootstrap admin (who reads every row, unredacted).
  std::map<std::string, int64_t> ids;
  for (const v1::Incident& incident : AllIncidents()) ids[incident.external_id()] = incident.id();
  ASSERT_EQ(ids.size(), records.size());
  // Redacted records come without their external ids: they are named by id.
  std::map<int64_t, std::string> names;
  for (const auto& [external_id, id] : ids) names[id] = external_id;
  std::map<std::string, int64_t> asset_ids;
  std::map<int64_t, std::string> asset_names;
  {
    v1::ListAssetsRequest request;
    request.set_page_size(1000);
    v1::ListAssetsResponse response;
    ASSERT_TRUE(feeds->ListAssets(As(admin_token_).get(), request, &response).ok());
    for (const v1::Asset& asset : response.assets()) {
      asset_ids[asset.asset_key()] = asset.id();
      asset_names[asset.id()] = asset.asset_key();
    }
  }
  ASSERT_EQ(asset_ids.size(), assets.size());

  // Every viewer's watches of incidents and of assets, from the start of each feed, opened
  // before any is read: each stream's first heartbeat (every 5 s) comes while the others are
  // read, so the test waits for one heartbeat instead of one per watch.
  struct WatchOf {
    grpc::ClientContext incidents_context;
    grpc::ClientContext assets_context;
    std::unique_ptr<grpc::ClientReader<v1::WatchIncidentsResponse>> incidents;
    std::unique_ptr<grpc::ClientReader<v1::WatchAssetsResponse>> assets;
  };
  std::map<std::string, std::unique_ptr<WatchOf>> watches;
  for (const Viewer& viewer : viewers) {
    auto watch = std::make_unique<WatchOf>();
    for (grpc::ClientContext* context : {&watch->incidents_context, &watch->assets_context}) {
      context->AddMetadata("authorization", "Bearer " + viewer.token);
      context->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(120));
    }
    v1::WatchIncidentsRequest incidents_request;
    incidents_request.set_cursor(EncodeFeedCursor("incidents", FeedPosition{}));
    watch->incidents = feeds->WatchIncidents(&watch->incidents_context, incidents_request);
    v1::WatchAssetsRequest assets_request;
    assets_request.set_cursor(EncodeFeedCursor("assets", FeedPosition{}));
    watch->assets = feeds->WatchAssets(&watch->assets_context, assets_request);
    watches[viewer.name] = std::move(watch);
  }

  for (const Viewer& viewer : viewers) {
    SCOPED_TRACE(viewer.name);
    std::set<std::string> allowed;
    for (const Record& record : records) {
      if (MaySee(viewer, record)) allowed.insert(record.external_id);
    }
    // List, following every page.
    std::set<std::string> listed;
    std::string token;
    for (;;) {
      v1::ListIncidentsRequest request;
      request.set_page_size(7);
      request.set_page_token(token);
      v1::ListIncidentsResponse response;
      ASSERT_TRUE(feeds->ListIncidents(As(viewer.token).get(), request, &response).ok());
      token = response.next_page_token();
      if (response.incidents().empty()) break;
      for (const v1::Incident& seen : response.incidents()) {
        listed.insert(names.at(seen.id()));
        // The victim's identity never reaches another enterprise.
        if (viewer.role == v1::ROLE_ENTERPRISE && seen.enterprise_id() != viewer.enterprise_id) {
          EXPECT_EQ(seen.enterprise_id(), 0) << names.at(seen.id());
          EXPECT_TRUE(seen.redacted()) << names.at(seen.id());
          EXPECT_EQ(seen.affected_asset_keys_size(), 0);
        }
      }
    }
    EXPECT_EQ(listed, allowed);
    // Get, record by record.
    std::set<std::string> got;
    for (const auto& [external_id, id] : ids) {
      v1::GetIncidentRequest request;
      request.set_id(id);
      v1::Incident seen;
      const grpc::Status status = feeds->GetIncident(As(viewer.token).get(), request, &seen);
      if (status.ok()) {
        got.insert(external_id);
      } else {
        EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND);
      }
    }
    EXPECT_EQ(got, allowed);
    // Watch from the start: the same set, up to the stream's first heartbeat (an empty
    // message): everything committed has been replayed by then.
    std::set<std::string> watched;
    v1::WatchIncidentsResponse response;
    WatchOf& watch = *watches.at(viewer.name);
    while (watch.incidents->Read(&response)) {
      for (const v1::Incident& seen : response.incidents()) watched.insert(names.at(seen.id()));
      if (response.incidents().empty()) break;
    }
    watch.incidents_context.TryCancel();
    EXPECT_EQ(watched, allowed);

    std::set<std::string> allowed_assets;
    for (const AssetRecord& asset : assets) {
      if (MaySeeAsset(viewer, asset)) allowed_assets.insert(asset.asset_key);
    }
    // Assets: List, Get, Watch.
    std::set<std::string> listed_assets;
    std::string asset_token;
    for (;;) {
      v1::ListAssetsRequest list_request;
      list_request.set_page_size(3);
      list_request.set_page_token(asset_token);
      v1::ListAssetsResponse list_response;
      ASSERT_TRUE(feeds->ListAssets(As(viewer.token).get(), list_request, &list_response).ok());
      asset_token = list_response.next_page_token();
      if (list_response.assets().empty()) break;
      for (const v1::Asset& seen : list_response.assets()) {
        listed_assets.insert(asset_names.at(seen.id()));
      }
    }
    EXPECT_EQ(listed_assets, allowed_assets);
    std::set<std::string> got_assets;
    for (const auto& [asset_key, id] : asset_ids) {
      v1::GetAssetRequest get_request;
      get_request.set_id(id);
      v1::Asset seen;
      const grpc::Status status = feeds->GetAsset(As(viewer.token).get(), get_request, &seen);
      if (status.ok()) {
        got_assets.insert(asset_key);
      } else {
        EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND);
      }
    }
    EXPECT_EQ(got_assets, allowed_assets);
    std::set<std::string> watched_assets;
    v1::WatchAssetsResponse watch_response;
    while (watch.assets->Read(&watch_response)) {
      for (const v1::Asset& seen : watch_response.assets()) {
        watched_assets.insert(asset_names.at(seen.id()));
      }
      if (watch_response.assets().empty()) break;
    }
    watch.assets_context.TryCancel();
    EXPECT_EQ(watched_assets, allowed_assets);

    // Notices: Get each; the inbox and the outbox hold only what may be seen.
    std::set<std::string> allowed_notices;
    for (const NoticeRecord& notice : notice_records) {
      if (MaySeeNotice(viewer, notice)) allowed_notices.insert(notice.title);
    }
    std::set<std::string> got_notices;
    for (const auto& [id, title] : notice_names) {
      v1::GetNotificationRequest get_request;
      get_request.set_id(id);
      v1::Notification seen;
      const grpc::Status status =
          notification_service->GetNotification(As(viewer.token).get(), get_request, &seen);
      if (status.ok()) {
        got_notices.insert(title);
      } else {
        EXPECT_EQ(status.error_code(), MayReadNotices(viewer) ? grpc::StatusCode::NOT_FOUND
                                                              : grpc::StatusCode::PERMISSION_DENIED)
            << title;
      }
    }
    EXPECT_EQ(got_notices, allowed_notices);
    for (const v1::Box box : {v1::BOX_INBOX, v1::BOX_OUTBOX}) {
      v1::ListNotificationsRequest list_request;
      list_request.set_box(box);
      v1::ListNotificationsResponse list_response;
      const grpc::Status status = notification_service->ListNotifications(
          As(viewer.token).get(), list_request, &list_response);
      if (!MayReadNotices(viewer)) {
        EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED);
        continue;
      }
      ASSERT_TRUE(status.ok()) << status.error_message();
      for (const v1::Notification& seen : list_response.notifications()) {
        const auto name = notice_names.find(seen.id());
        if (name == notice_names.end()) continue;  // raised by a rule, not one of the table's
        EXPECT_TRUE(allowed_notices.contains(name->second))
            << v1::Box_Name(box) << " " << name->second;
      }
    }

    // The situation overview counts the same rows: every incident the caller may read (all
    // fall in the default 30 days) and every exposed asset it may read. Collectors get none.
    v1::Situation situation;
    const grpc::Status situation_status =
        feeds->GetSituation(As(viewer.token).get(), v1::GetSituationRequest(), &situation);
    if (viewer.role == v1::ROLE_COLLECTOR) {
      EXPECT_EQ(situation_status.error_code(), grpc::StatusCode::PERMISSION_DENIED);
    } else {
      ASSERT_TRUE(situation_status.ok()) << situation_status.error_message();
      EXPECT_EQ(situation.total_incidents(), static_cast<int64_t>(allowed.size()));
      int64_t exposed = 0;
      for (const v1::ExposureCount& count : situation.exposures()) exposed += count.assets();
      EXPECT_EQ(exposed, static_cast<int64_t>(allowed_assets.size()));
    }
  }
}

// Issue #14: redaction happens before any filter, on every read path. Another enterprise of
// the victim's sector receives the victim's SECTOR and PUBLIC incidents of TLP GREEN and CLEAR
// (self-reported and collector-reported); for every filter on a field that identifies the victim
// it gets nothing where the national centre gets them all, filters on what stays still work,
// and no redacted record carries anything that identifies the victim.
TEST_F(VisibilityTest, NoFilterOnAnyReadPathSinglesOutTheVictimOfARedactedIncident) {
  const v1::Enterprise victim = RegisterEnterprise(440000, "energy");
  const v1::Enterprise peer = RegisterEnterprise(440000, "energy");
  const Viewer victim_viewer = Make("victim", v1::ROLE_ENTERPRISE, 0, &victim);
  const Viewer peer_viewer = Make("peer", v1::ROLE_ENTERPRISE, 0, &peer);
  const Viewer collector = Make("collector", v1::ROLE_COLLECTOR, 440000);
  const Viewer national = Make("national", v1::ROLE_NATIONAL);

  // The victim's registered assets, one of each address family, and a collector's asset of the
  // victim that names no enterprise (tied to the victim only as an affected asset key).
  v1::PushBatch victim_assets, collector_assets;
  v1::Asset asset = SampleAsset("victim-plc", 440000, clock_.Now());
  asset.set_ip("198.51.100.23");
  *victim_assets.add_assets() = asset;
  asset = SampleAsset("victim-hmi", 440000, clock_.Now());
  asset.set_ip("2001:db8::23");
  *victim_assets.add_assets() = asset;
  asset = SampleAsset("rtu-at-victim", 440000, clock_.Now());
  asset.set_ip("192.0.2.44");
  *collector_assets.add_assets() = asset;
  ASSERT_EQ(PushAll(*channel_, victim_viewer.token, {victim_assets}).acks.at(0).accepted(), 2u);
  ASSERT_EQ(PushAll(*channel_, collector.token, {collector_assets}).acks.at(0).accepted(), 1u);

  const auto incident_of = [&](const std::string& external_id, v1::SharingScope scope, v1::Tlp tlp,
                               const std::string& asset_key, const std::string& unregistered_ip) {
    v1::Incident incident = SampleIncident(external_id, 440000, clock_.Now());
    incident.set_enterprise_id(victim.id());
    incident.set_sharing_scope(scope);
    incident.set_tlp(tlp);
    incident.clear_affected_asset_keys();
    incident.add_affected_asset_keys(asset_key);
    for (const std::string& ip : {std::string("198.51.100.23"), std::string("2001:DB8::23")}) {
      v1::Indicator* indicator = incident.add_indicators();
      indicator->set_type(ip.find(':') == std::string::npos ? v1::INDICATOR_TYPE_IPV4
                                                            : v1::INDICATOR_TYPE_IPV6);
      indicator->set_value(ip);
    }
    if (!unregistered_ip.empty()) {
      v1::Indicator* indicator = incident.add_indicators();
      indicator->set_type(v1::INDICATOR_TYPE_IPV4);
      indicator->set_value(unregistered_ip);
    }
    (*incident.mutable_attributes())["operator"] = "VictimCo 2号机组";
    return incident;
  };
  v1::PushBatch self_reported, collected;
  *self_reported.add_incidents() =
      incident_of("victimco-sector", v1::SHARING_SCOPE_SECTOR, v1::TLP_GREEN, "victim-plc", "");
  *self_reported.add_incidents() =
      incident_of("victimco-public", v1::SHARING_SCOPE_PUBLIC, v1::TLP_CLEAR, "victim-hmi", "");
  *collected.add_incidents() = incident_of("victimco-seen-sector", v1::SHARING_SCOPE_SECTOR,
                                           v1::TLP_CLEAR, "rtu-at-victim", "192.0.2.44");
  *collected.add_incidents() = incident_of("victimco-seen-public", v1::SHARING_SCOPE_PUBLIC,
                                           v1::TLP_GREEN, "rtu-at-victim", "192.0.2.44");
  ASSERT_EQ(PushAll(*channel_, victim_viewer.token, {self_reported}).acks.at(0).accepted(), 2u);
  ASSERT_EQ(PushAll(*channel_, collector.token, {collected}).acks.at(0).accepted(), 2u);
  constexpr size_t kShared = 4;

  // Nothing of the victim may show: its ids, its reporter's, its keys, addresses and names.
  const std::vector<std::string> victim_texts = {"victimco",     "VictimCo",      "victim-plc",
                                                 "victim-hmi",   "rtu-at-victim", "198.51.100.23",
                                                 "2001:db8::23", "2001:DB8::23",  "192.0.2.44"};
  const auto expect_redacted = [&](const v1::Incident& seen, const std::string& path) {
    SCOPED_TRACE(path + " incident " + std::to_string(seen.id()));
    EXPECT_TRUE(seen.redacted());
    EXPECT_EQ(seen.enterprise_id(), 0);
    EXPECT_EQ(seen.reporter_id(), 0);
    EXPECT_EQ(seen.external_id(), "");
    EXPECT_EQ(seen.affected_asset_keys_size(), 0);
    EXPECT_EQ(seen.attributes_size(), 0);
    const std::string text = seen.DebugString();
    for (const std::string& victim_text : victim_texts) {
      EXPECT_EQ(text.find(victim_text), std::string::npos) << victim_text;
    }
    // What happened stays: the attacker's address, the hash, the CVE.
    ASSERT_EQ(seen.indicators_size(), 2);
    EXPECT_EQ(seen.indicators(0).value(), "203.0.113.7");
    EXPECT_EQ(seen.cve_ids_size(), 1);
  };

  auto feeds = v1::FeedService::NewStub(channel_);
  const auto list = [&](const Viewer& viewer, const v1::IncidentFilter& filter) {
    std::vector<v1::Incident> all;
    std::string token;
    for (;;) {
      v1::ListIncidentsRequest request;
      *request.mutable_filter() = filter;
      request.set_page_size(1);
      request.set_page_token(token);
      v1::ListIncidentsResponse response;
      const grpc::Status status = feeds->ListIncidents(As(viewer.token).get(), request, &response);
      EXPECT_TRUE(status.ok()) << status.error_message();
      if (!status.ok() || response.incidents().empty()) return all;
      token = response.next_page_token();
      for (const v1::Incident& seen : response.incidents()) all.push_back(seen);
    }
  };
  // A watch from the start of the feed, drained until its first heartbeat (everything
  // committed so far has been replayed). Every watch is opened before any is drained, so the
  // heartbeats (every 5 s) are waited for once rather than once per filter.
  struct Watch {
    grpc::ClientContext context;
    std::unique_ptr<grpc::ClientReader<v1::WatchIncidentsResponse>> stream;
  };
  const auto open_watch = [&](const Viewer& viewer, const v1::IncidentFilter& filter) {
    auto watch = std::make_unique<Watch>();
    watch->context.AddMetadata("authorization", "Bearer " + viewer.token);
    watch->context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(60));
    v1::WatchIncidentsRequest request;
    *request.mutable_filter() = filter;
    request.set_cursor(EncodeFeedCursor("incidents", FeedPosition{}));
    watch->stream = feeds->WatchIncidents(&watch->context, request);
    return watch;
  };
  const auto drain = [](Watch& watch) {
    std::vector<v1::Incident> all;
    v1::WatchIncidentsResponse response;
    while (watch.stream->Read(&response) && !response.incidents().empty()) {
      for (const v1::Incident& seen : response.incidents()) all.push_back(seen);
    }
    watch.context.TryCancel();
    return all;
  };

  struct FilterCase {
    std::string name;
    std::function<void(v1::IncidentFilter&)> set;
    bool identifies_victim;
  };
  const std::vector<FilterCase> cases = {
      {"none", [](v1::IncidentFilter&) {}, false},
      {"enterprise_id", [&](v1::IncidentFilter& f) { f.set_enterprise_id(victim.id()); }, true},
      {"indicator_value registered IPv4",
       [](v1::IncidentFilter& f) { f.set_indicator_value("198.51.100.23"); }, true},
      {"indicator_value registered IPv6 as reported",
       [](v1::IncidentFilter& f) { f.set_indicator_value("2001:DB8::23"); }, true},
      {"indicator_value affected asset's address",
       [](v1::IncidentFilter& f) { f.set_indicator_value("192.0.2.44"); }, true},
      {"indicator_value attacker",
       [](v1::IncidentFilter& f) { f.set_indicator_value("203.0.113.7"); }, false},
      {"provinces", [](v1::IncidentFilter& f) { f.add_provinces(440000); }, false},
      {"sectors", [](v1::IncidentFilter& f) { f.add_sectors("energy"); }, false},
      {"cve_id", [](v1::IncidentFilter& f) { f.set_cve_id("CVE-2023-3595"); }, false},
      {"title_contains", [](v1::IncidentFilter& f) { f.set_title_contains("ransomware"); }, false},
      {"min_severity", [](v1::IncidentFilter& f) { f.set_min_severity(v1::SEVERITY_IV); }, false},
      {"categories", [](v1::IncidentFilter& f) { f.add_categories(v1::CATEGORY_MALWARE); }, false},
      {"statuses", [](v1::IncidentFilter& f) { f.add_statuses(v1::INCIDENT_STATUS_REPORTED); },
       false},
      {"receive_time",
       [&](v1::IncidentFilter& f) {
         *f.mutable_receive_time()->mutable_start_time() =
             ToTimestamp(clock_.Now() - std::chrono::hours(1));
       },
       false},
      {"occur_time",
       [&](v1::IncidentFilter& f) {
         *f.mutable_occur_time()->mutable_start_time() =
             ToTimestamp(clock_.Now() - std::chrono::hours(3));
       },
       false},
  };
  std::vector<std::unique_ptr<Watch>> watches;
  for (const FilterCase& filter_case : cases) {
    v1::IncidentFilter filter;
    filter_case.set(filter);
    watches.push_back(open_watch(peer_viewer, filter));
  }
  for (size_t i = 0; i < cases.size(); ++i) {
    const FilterCase& filter_case = cases[i];
    SCOPED_TRACE(filter_case.name);
    v1::IncidentFilter filter;
    filter_case.set(filter);
    // The filter itself finds the victim's incidents for whoever may see the victim: the
    // national centre, and the victim itself (its own, unredacted). Only the collector's two
    // carry the affected asset's address.
    const size_t expected =
        filter_case.name.find("affected asset") == std::string::npos ? kShared : 2;
    EXPECT_EQ(list(national, filter).size(), expected);
    const std::vector<v1::Incident> own = list(victim_viewer, filter);
    EXPECT_EQ(own.size(), expected);
    for (const v1::Incident& seen : own) EXPECT_FALSE(seen.redacted());
    const size_t peer_sees = filter_case.identifies_victim ? 0 : kShared;
    const std::vector<v1::Incident> listed = list(peer_viewer, filter);
    EXPECT_EQ(listed.size(), peer_sees);
    for (const v1::Incident& seen : listed) expect_redacted(seen, "List");
    const std::vector<v1::Incident> watched = drain(*watches[i]);
    EXPECT_EQ(watched.size(), peer_sees);
    for (const v1::Incident& seen : watched) expect_redacted(seen, "Watch");
  }

  // Get, record by record.
  for (const v1::Incident& incident : list(national, {})) {
    v1::GetIncidentRequest request;
    request.set_id(incident.id());
    v1::Incident seen;
    ASSERT_TRUE(feeds->GetIncident(As(peer_viewer.token).get(), request, &seen).ok());
    expect_redacted(seen, "Get");
    ASSERT_TRUE(feeds->GetIncident(As(victim_viewer.token).get(), request, &seen).ok());
    EXPECT_EQ(seen.enterprise_id(), victim.id());
    EXPECT_FALSE(seen.redacted());
  }

  // The situation breaks down by province, sector and category, none of which is redacted; it
  // names enterprises only in top_enterprises, where the peer never finds the victim.
  for (const bool by_province : {false, true}) {
    v1::GetSituationRequest request;
    if (by_province) request.add_provinces(440000);
    v1::Situation situation;
    ASSERT_TRUE(feeds->GetSituation(As(peer_viewer.token).get(), request, &situation).ok());
    for (const v1::EnterpriseCount& count : situation.top_enterprises()) {
      EXPECT_NE(count.enterprise_id(), victim.id());
      EXPECT_EQ(count.name().find(victim.name()), std::string::npos);
    }
    EXPECT_EQ(situation.DebugString().find(victim.name()), std::string::npos);
  }
}

}  // namespace
}  // namespace sitrep::testing
