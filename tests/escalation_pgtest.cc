// Automatic escalation (SPEC §5, issue #5): records pushed and amended through the real gRPC
// API raise notices in the same transaction, exactly once, with the configured deadlines.
// Notices are read through ListNotifications / GetNotification from the inboxes of their
// recipients, the national centre and Guangdong's regulators (every record here is
// Guangdong's): these tests count what is raised; who else may read it is the notification
// tests' concern.
#include <google/protobuf/util/time_util.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <set>
#include <thread>

#include "sitrep/v1/feed.grpc.pb.h"
#include "sitrep/v1/ingest.grpc.pb.h"
#include "sitrep/v1/notification.grpc.pb.h"
#include "sitrep/v1/report.grpc.pb.h"
#include "tests/push_client.h"
#include "tests/record_samples.h"
#include "tests/server_fixture.h"

namespace sitrep::testing {
namespace {

using namespace std::chrono_literals;

constexpr uint32_t kGuangdong = 440000;

using google::protobuf::util::TimeUtil;

// One rule notice with its single target, as the API shows it. `key` names what the rule
// raised it for, built from the notice's fields the way the rules build their escalation keys:
// "incident:<id>:sev<grade>[:national]" or "asset:<id>:kev:<CVE id>".
struct StoredNotice {
  std::string key;
  std::string origin;
  int priority = 0;
  int64_t created_micros = 0;
  int64_t deadline_seconds = 0;  // response_deadline − created_at
  uint32_t province = 0;
  bool national = false;
  std::string state;
  std::vector<int64_t> incident_ids;
  std::vector<int64_t> asset_ids;
};

// A KEV catalog in CISA's own format listing `cves`.
std::string KevJson(const std::vector<std::string>& cves) {
  std::string json =
      R"({"title":"CISA Catalog of Known Exploited Vulnerabilities","catalogVersion":"test",)"
      R"("count":)" +
      std::to_string(cves.size()) + R"(,"vulnerabilities":[)";
  for (size_t i = 0; i < cves.size(); ++i) {
    json += std::string(i > 0 ? "," : "") + R"({"cveID":")" + cves[i] +
            R"(","vendorProject":"Schneider Electric","product":"Modicon",)"
            R"("vulnerabilityName":"Modicon Authentication Bypass","dateAdded":"2024-01-01",)"
            R"("shortDescription":"x","requiredAction":"Apply updates per vendor instructions.",)"
            R"("dueDate":"2024-01-22","knownRansomwareCampaignUse":"Unknown","notes":"",)"
            R"("cwes":["CWE-287"]})";
  }
  return json + "]}";
}

class EscalationTest : public ServerFixture {
 protected:
  EscalationTest() { start_in_setup_ = false; }

  void SetUp() override {
    ServerFixture::SetUp();
    kev_dir_ = MakeTempDir("sitrep-kev-");
    config_.kev_file = kev_dir_ / "known_exploited_vulnerabilities.json";
    WriteKev({"CVE-2022-45788"});
    if (!delay_start_) Start();
  }

  void TearDown() override {
    ServerFixture::TearDown();
    std::filesystem::remove_all(kev_dir_);
  }

  void Start() {
    StartServer();
    reports_ = v1::ReportService::NewStub(channel_);
    feeds_ = v1::FeedService::NewStub(channel_);
    notifications_ = v1::NotificationService::NewStub(channel_);
    collector_token_ = TokenFor(v1::ROLE_COLLECTOR, kGuangdong);
    recipients_ = {TokenFor(v1::ROLE_NATIONAL), TokenFor(v1::ROLE_PROVINCIAL, kGuangdong)};
  }

  void WriteKev(const std::vector<std::string>& cves) {
    std::ofstream(config_.kev_file) << KevJson(cves);
  }

  v1::Incident Incident(const std::string& external_id, v1::Severity severity,
                        int64_t enterprise_id = 0) {
    v1::Incident incident = SampleIncident(external_id, kGuangdong, clock_.Now());
    incident.set_severity(severity);
    incident.set_enterprise_id(enterprise_id);
    return incident;
  }

  // Pushes `incidents` and `assets` as one batch and expects every record accepted or a
  // duplicate.
  void Push(const std::vector<v1::Incident>& incidents, const std::vector<v1::Asset>& assets = {}) {
    v1::PushBatch batch;
    batch.set_sequence(1);
    for (const v1::Incident& incident : incidents) *batch.add_incidents() = incident;
    for (const v1::Asset& asset : assets) *batch.add_assets() = asset;
    const PushResult result = PushAll(*channel_, collector_token_, {batch});
    ASSERT_TRUE(result.status.ok()) << result.status.error_message();
    ASSERT_EQ(result.acks.size(), 1u);
    EXPECT_EQ(result.acks[0].rejected(), 0u) << result.acks[0].DebugString();
  }

  // The id the server gave the incident `external_id` (ListIncidents as the admin).
  int64_t IncidentId(const std::string& external_id) {
    for (const v1::Incident& incident : AllIncidents()) {
      if (incident.external_id() == external_id) return incident.id();
    }
    ADD_FAILURE() << "no incident " << external_id;
    return 0;
  }

  // The id the server gave the asset `asset_key` (ListAssets as the admin).
  int64_t AssetId(const std::string& asset_key) {
    v1::ListAssetsRequest request;
    request.set_page_size(1000);  // one page: these tests store a handful
    v1::ListAssetsResponse response;
    const grpc::Status status = feeds_->ListAssets(As(admin_token_).get(), request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    for (const v1::Asset& asset : response.assets()) {
      if (asset.asset_key() == asset_key) return asset.id();
    }
    ADD_FAILURE() << "no asset " << asset_key;
    return 0;
  }

  std::vector<v1::Incident> AllIncidents() {
    std::vector<v1::Incident> incidents;
    v1::ListIncidentsRequest request;
    request.set_page_size(1000);
    do {
      v1::ListIncidentsResponse response;
      const grpc::Status status = feeds_->ListIncidents(As(admin_token_).get(), request, &response);
      EXPECT_TRUE(status.ok()) << status.error_message();
      if (!status.ok()) break;
      incidents.insert(incidents.end(), response.incidents().begin(), response.incidents().end());
      // A feed's token is never empty; an empty page means the end.
      if (response.incidents().empty()) break;
      request.set_page_token(response.next_page_token());
    } while (true);
    return incidents;
  }

  // Every notice in the inboxes of the national centre and of Guangdong's regulators, read
  // in full (GetNotification, with each target's history) by the recipient.
  std::vector<v1::Notification> AllNotices() {
    std::vector<v1::Notification> notices;
    for (const std::string& recipient : recipients_) {
      v1::ListNotificationsRequest request;
      request.set_page_size(1000);
      do {
        v1::ListNotificationsResponse response;
        const grpc::Status status =
            notifications_->ListNotifications(As(recipient).get(), request, &response);
        EXPECT_TRUE(status.ok()) << status.error_message();
        if (!status.ok()) break;
        for (const v1::Notification& listed : response.notifications()) {
          notices.push_back(Full(recipient, listed.id()));
        }
        if (response.notifications().empty()) break;
        request.set_page_token(response.next_page_token());
      } while (!request.page_token().empty());
    }
    return notices;
  }

  v1::Notification Full(const std::string& recipient, int64_t id) {
    v1::GetNotificationRequest request;
    request.set_id(id);
    v1::Notification notice;
    const grpc::Status status =
        notifications_->GetNotification(As(recipient).get(), request, &notice);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return notice;
  }

  // The principal the rules issue as ("sitrep-rules", holding no token).
  int64_t RulesPrincipalId() {
    v1::ListPrincipalsRequest request;
    request.set_page_size(1000);
    v1::ListPrincipalsResponse response;
    const grpc::Status status =
        registry_->ListPrincipals(As(admin_token_).get(), request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    for (const v1::Principal& principal : response.principals()) {
      if (principal.name() == "sitrep-rules") return principal.id();
    }
    ADD_FAILURE() << "no sitrep-rules principal";
    return -1;
  }

  grpc::Status Amend(int64_t id, v1::AmendmentKind kind, const v1::Incident& values,
                     const std::vector<std::string>& paths) {
    v1::AmendIncidentRequest request;
    request.set_incident_id(id);
    request.set_kind(kind);
    *request.mutable_incident() = values;
    for (const std::string& path : paths) request.mutable_update_mask()->add_paths(path);
    v1::Incident response;
    return reports_->AmendIncident(As(collector_token_).get(), request, &response);
  }

  // Every rule notice whose key starts with `prefix`, in key order.
  std::vector<StoredNotice> Notices(const std::string& prefix = "") {
    const int64_t rules = RulesPrincipalId();
    std::vector<StoredNotice> notices;
    for (const v1::Notification& notice : AllNotices()) {
      EXPECT_EQ(notice.targets_size(), 1) << "one target per rule notice";
      if (notice.targets_size() != 1) continue;
      const v1::NotificationTarget& target = notice.targets(0);
      // Delivery is the target's creation; nothing has acted on these targets since.
      EXPECT_EQ(target.history_size(), 1) << "no step after delivery";
      EXPECT_EQ(notice.issuer_id(), rules) << "issued by the rules' principal";
      StoredNotice stored;
      stored.key = KeyOf(notice);
      if (!stored.key.starts_with(prefix)) continue;
      stored.origin = v1::NotificationOrigin_Name(notice.origin()).substr(20);
      stored.priority = notice.priority();
      stored.created_micros = TimeUtil::TimestampToMicroseconds(notice.create_time());
      stored.deadline_seconds = TimeUtil::TimestampToSeconds(notice.response_deadline()) -
                                TimeUtil::TimestampToSeconds(notice.create_time());
      stored.province = target.province();
      stored.national = target.national();
      stored.state = v1::TargetState_Name(target.state()).substr(13);
      stored.incident_ids.assign(notice.incident_ids().begin(), notice.incident_ids().end());
      stored.asset_ids.assign(notice.asset_ids().begin(), notice.asset_ids().end());
      notices.push_back(stored);
    }
    std::sort(notices.begin(), notices.end(),
              [](const StoredNotice& a, const StoredNotice& b) { return a.key < b.key; });
    return notices;
  }

  // What the rules raised `notice` for, spelled as their escalation key.
  static std::string KeyOf(const v1::Notification& notice) {
    const bool national = notice.targets_size() == 1 && notice.targets(0).national();
    if (notice.origin() == v1::NOTIFICATION_ORIGIN_KEV_RULE && notice.asset_ids_size() == 1 &&
        notice.cve_ids_size() == 1) {
      return "asset:" + std::to_string(notice.asset_ids(0)) + ":kev:" + notice.cve_ids(0);
    }
    if (notice.origin() == v1::NOTIFICATION_ORIGIN_INCIDENT_RULE &&
        notice.incident_ids_size() == 1) {
      return "incident:" + std::to_string(notice.incident_ids(0)) + ":sev" +
             std::to_string(notice.priority()) + (national ? ":national" : "");
    }
    return "unexpected:" + notice.ShortDebugString();
  }

  int64_t CountNotices() { return static_cast<int64_t>(AllNotices().size()); }

  int64_t NowMicros() {
    return std::chrono::duration_cast<std::chrono::microseconds>(clock_.Now().time_since_epoch())
        .count();
  }

  std::filesystem::path kev_dir_;
  bool delay_start_ = false;
  std::unique_ptr<v1::ReportService::Stub> reports_;
  std::unique_ptr<v1::FeedService::Stub> feeds_;
  std::unique_ptr<v1::NotificationService::Stub> notifications_;
  std::string collector_token_;
  std::vector<std::string> recipients_;  // national centre, Guangdong's regulators
};

TEST_F(EscalationTest, ASeverityIIEnergyIncidentInGuangdongRaisesOneNoticeDueInTwoHours) {
  clock_.Advance(-37min);  // the notice is stamped with the server's clock, not the database's
  Push({Incident("gd-major-1", v1::SEVERITY_II)});
  const int64_t id = IncidentId("gd-major-1");
  const auto notices = Notices();
  ASSERT_EQ(notices.size(), 1u);
  EXPECT_EQ(notices[0].key, "incident:" + std::to_string(id) + ":sev2");
  EXPECT_EQ(notices[0].origin, "INCIDENT_RULE");
  EXPECT_EQ(notices[0].priority, 2);
  EXPECT_EQ(notices[0].province, kGuangdong);
  EXPECT_FALSE(notices[0].national);
  EXPECT_EQ(notices[0].state, "DELIVERED");
  EXPECT_EQ(notices[0].created_micros, NowMicros());
  EXPECT_EQ(notices[0].deadline_seconds, 2 * 3600);
  EXPECT_EQ(notices[0].incident_ids, std::vector<int64_t>{id});
}

TEST_F(EscalationTest, ANoticeCarriesTheIncidentTitleExactlyWhateverItsCharacters) {
  v1::Incident incident = Incident("gd-quoted-1", v1::SEVERITY_II);
  const std::string title = "\"勒索\" attack on C:\\SCADA\\hmi — {x: [1]}";
  incident.set_title(title);
  Push({incident});
  const std::vector<v1::Notification> notices = AllNotices();
  ASSERT_EQ(notices.size(), 1u);
  EXPECT_EQ(notices[0].title(), "Grade II 重大 incident: " + title);
  EXPECT_NE(notices[0].body().find("(gd-quoted-1) of grade II 重大"), std::string::npos)
      << notices[0].body();
}

TEST_F(EscalationTest, ASeverityIIncidentRaisesANoticeToItsProvinceAndOneToTheNationalCentre) {
  Push({Incident("gd-extraordinary-1", v1::SEVERITY_I)});
  const std::string key = "incident:" + std::to_string(IncidentId("gd-extraordinary-1")) + ":sev1";
  const auto notices = Notices();
  ASSERT_EQ(notices.size(), 2u);
  EXPECT_EQ(notices[0].key, key);
  EXPECT_FALSE(notices[0].national);
  EXPECT_EQ(notices[1].key, key + ":national");
  EXPECT_TRUE(notices[1].national);
  for (const StoredNotice& notice : notices) {
    EXPECT_EQ(notice.province, kGuangdong);
    EXPECT_EQ(notice.priority, 1);
    EXPECT_EQ(notice.deadline_seconds, 3600);
  }
}

TEST_F(EscalationTest, LowerSeveritiesAwayFromGradeThreeEnterprisesRaiseNothing) {
  const v1::Enterprise graded = RegisterEnterprise(kGuangdong, "energy", 2);
  Push({Incident("gd-general-1", v1::SEVERITY_IV, graded.id()),
        Incident("gd-larger-1", v1::SEVERITY_III), Incident("gd-general-2", v1::SEVERITY_IV)});
  EXPECT_EQ(CountNotices(), 0);
}

TEST_F(EscalationTest, AnyIncidentAtAGradeThreeEnterpriseRaisesANotice) {
  const v1::Enterprise grade3 = RegisterEnterprise(kGuangdong, "energy", 3);
  Push({Incident("gd-g3-1", v1::SEVERITY_IV, grade3.id())});
  const auto notices = Notices();
  ASSERT_EQ(notices.size(), 1u);
  EXPECT_EQ(notices[0].key, "incident:" + std::to_string(IncidentId("gd-g3-1")) + ":sev4");
  EXPECT_EQ(notices[0].priority, 4);
  EXPECT_EQ(notices[0].deadline_seconds, 72 * 3600);
  EXPECT_EQ(notices[0].province, kGuangdong);
}

TEST_F(EscalationTest, ResendingTheSameBatchRaisesNothingNew) {
  const std::vector<v1::Incident> batch = {Incident("gd-r-1", v1::SEVERITY_I),
                                           Incident("gd-r-2", v1::SEVERITY_II),
                                           Incident("gd-r-3", v1::SEVERITY_III)};
  Push(batch);
  ASSERT_EQ(CountNotices(), 3);
  clock_.Advance(10min);
  Push(batch);
  Push(batch);
  EXPECT_EQ(CountNotices(), 3);
}

TEST_F(EscalationTest, AmendingWithoutRaisingTheSeverityRaisesNothing) {
  Push({Incident("gd-a-1", v1::SEVERITY_II)});
  const int64_t id = IncidentId("gd-a-1");
  ASSERT_EQ(CountNotices(), 1);
  v1::Incident values;
  values.set_title("更新 / follow-up: two more workstations");
  values.set_status(v1::INCIDENT_STATUS_HANDLING);
  ASSERT_TRUE(Amend(id, v1::AMENDMENT_KIND_FOLLOW_UP, values, {"title", "status"}).ok());
  values.set_severity(v1::SEVERITY_II);
  ASSERT_TRUE(Amend(id, v1::AMENDMENT_KIND_REGRADE, values, {"severity"}).ok());
  values.set_severity(v1::SEVERITY_III);  // a downgrade
  ASSERT_TRUE(Amend(id, v1::AMENDMENT_KIND_REGRADE, values, {"severity"}).ok());
  values.set_severity(v1::SEVERITY_II);  // back to a grade already notified
  ASSERT_TRUE(Amend(id, v1::AMENDMENT_KIND_REGRADE, values, {"severity"}).ok());
  EXPECT_EQ(CountNotices(), 1);
}

TEST_F(EscalationTest, UpgradesFromIIIToIIAndFromIIToIEachRaiseNewNotices) {
  Push({Incident("gd-u-1", v1::SEVERITY_III)});
  const int64_t id = IncidentId("gd-u-1");
  const std::string key = "incident:" + std::to_string(id);
  ASSERT_EQ(CountNotices(), 0);
  v1::Incident values;
  values.set_severity(v1::SEVERITY_II);
  clock_.Advance(1h);
  ASSERT_TRUE(Amend(id, v1::AMENDMENT_KIND_REGRADE, values, {"severity"}).ok());
  auto notices = Notices();
  ASSERT_EQ(notices.size(), 1u);
  EXPECT_EQ(notices[0].key, key + ":sev2");
  EXPECT_EQ(notices[0].created_micros, NowMicros());
  EXPECT_EQ(notices[0].deadline_seconds, 2 * 3600);
  values.set_severity(v1::SEVERITY_I);
  ASSERT_TRUE(Amend(id, v1::AMENDMENT_KIND_REGRADE, values, {"severity"}).ok());
  notices = Notices();
  ASSERT_EQ(notices.size(), 3u);
  EXPECT_EQ(notices[0].key, key + ":sev1");
  EXPECT_EQ(notices[1].key, key + ":sev1:national");
  EXPECT_TRUE(notices[1].national);
  EXPECT_EQ(notices[2].key, key + ":sev2");
}

TEST_F(EscalationTest, AnEnterpriseUpgradingItsOwnIncidentRaisesTheNotice) {
  // The amending transaction is the enterprise's own, under its row-level security.
  const v1::Enterprise enterprise = RegisterEnterprise(kGuangdong, "energy", 1);
  const std::string enterprise_token = TokenFor(v1::ROLE_ENTERPRISE, 0, enterprise.id());
  v1::ReportIncidentRequest report;
  *report.mutable_incident() = Incident("gd-e-1", v1::SEVERITY_III, enterprise.id());
  v1::ReportIncidentResponse reported;
  ASSERT_TRUE(reports_->ReportIncident(As(enterprise_token).get(), report, &reported).ok());
  v1::AmendIncidentRequest amend;
  amend.set_incident_id(reported.incident().id());
  amend.set_kind(v1::AMENDMENT_KIND_REGRADE);
  amend.mutable_incident()->set_severity(v1::SEVERITY_II);
  amend.mutable_update_mask()->add_paths("severity");
  v1::Incident amended;
  const grpc::Status status = reports_->AmendIncident(As(enterprise_token).get(), amend, &amended);
  ASSERT_TRUE(status.ok()) << status.error_message();
  const auto notices = Notices();
  ASSERT_EQ(notices.size(), 1u);
  EXPECT_EQ(notices[0].key, "incident:" + std::to_string(reported.incident().id()) + ":sev2");
}

TEST_F(EscalationTest, AnExposedAssetWithAKnownExploitedCveRaisesANoticeToItsProvince) {
  v1::Asset exposed = SampleAsset("gd-plc-1", kGuangdong, clock_.Now());  // CVE-2022-45788
  exposed.add_cve_ids("CVE-2021-22681");                                  // not in this test's list
  v1::Asset internal = SampleAsset("gd-plc-2", kGuangdong, clock_.Now());
  internal.set_internet_exposed(false);
  v1::Asset unlisted = SampleAsset("gd-plc-3", kGuangdong, clock_.Now());
  unlisted.clear_cve_ids();
  unlisted.add_cve_ids("CVE-2021-22681");
  Push({}, {exposed, internal, unlisted});
  const int64_t id = AssetId("gd-plc-1");
  auto notices = Notices();
  ASSERT_EQ(notices.size(), 1u);
  EXPECT_EQ(notices[0].key, "asset:" + std::to_string(id) + ":kev:CVE-2022-45788");
  EXPECT_EQ(notices[0].origin, "KEV_RULE");
  EXPECT_EQ(notices[0].province, kGuangdong);
  EXPECT_EQ(notices[0].priority, 3);
  EXPECT_EQ(notices[0].deadline_seconds, 24 * 3600);
  EXPECT_EQ(notices[0].asset_ids, std::vector<int64_t>{id});
  // A newer observation of the same asset updates it and raises nothing new.
  clock_.Advance(1h);
  Push({}, {SampleAsset("gd-plc-1", kGuangdong, clock_.Now())});
  EXPECT_EQ(CountNotices(), 1);
}

TEST_F(EscalationTest, AnOlderObservationCannotRaiseForAnAssetNoLongerExposed) {
  v1::Asset now_internal = SampleAsset("gd-plc-9", kGuangdong, clock_.Now());
  now_internal.set_internet_exposed(false);
  Push({}, {now_internal});
  // A late, older observation says exposed: the stored row keeps the newer values, and the
  // rule judges the asset as stored.
  Push({}, {SampleAsset("gd-plc-9", kGuangdong, clock_.Now() - 5h)});
  EXPECT_EQ(CountNotices(), 0);
}

class EscalationWithoutKevFileTest : public EscalationTest {
 protected:
  EscalationWithoutKevFileTest() { delay_start_ = true; }
};

TEST_F(EscalationWithoutKevFileTest, StartsWithTheKevRuleIdleAndReloadsTheFile) {
  std::filesystem::remove(config_.kev_file);
  Start();
  Push({}, {SampleAsset("gd-plc-1", kGuangdong, clock_.Now())});
  EXPECT_EQ(CountNotices(), 0) << "no list yet";
  WriteKev({"CVE-2022-45788"});
  server_->Reload();  // what SIGHUP does: the list is read and the stored assets swept
  EXPECT_EQ(Notices("asset:").size(), 1u);
  server_->Reload();  // a second sweep finds nothing new
  clock_.Advance(1h);
  Push({}, {SampleAsset("gd-plc-1", kGuangdong, clock_.Now())});
  EXPECT_EQ(Notices("asset:").size(), 1u);
  // A list that has become unreadable keeps the one in use.
  std::ofstream(config_.kev_file) << "{not json";
  server_->Reload();
  clock_.Advance(1h);
  v1::Asset second = SampleAsset("gd-plc-2", kGuangdong, clock_.Now());
  Push({}, {second});
  EXPECT_EQ(Notices("asset:").size(), 2u);
}

class EscalationOffTest : public EscalationTest {
 protected:
  EscalationOffTest() { delay_start_ = true; }
};

TEST_F(EscalationOffTest, RaisesNothingWhenTheRulesAreOff) {
  config_.escalation.enabled = false;
  Start();
  Push({Incident("gd-off-1", v1::SEVERITY_I)}, {SampleAsset("gd-plc-1", kGuangdong, clock_.Now())});
  EXPECT_EQ(CountNotices(), 0);
}

TEST_F(EscalationTest, ConcurrentResendsOnFourStreamsRaiseEachNoticeOnce) {
  std::vector<v1::PushBatch> batches(4);
  int expected = 0;
  for (int b = 0; b < 4; ++b) {
    batches[b].set_sequence(b + 1);
    for (int i = 0; i < 50; ++i) {
      const auto severity = static_cast<v1::Severity>(1 + (b * 50 + i) % 4);
      *batches[b].add_incidents() =
          Incident("gd-c-" + std::to_string(b) + "-" + std::to_string(i), severity);
      expected += severity == v1::SEVERITY_I ? 2 : severity == v1::SEVERITY_II ? 1 : 0;
      *batches[b].add_assets() = SampleAsset("gd-c-" + std::to_string(b) + "-" + std::to_string(i),
                                             kGuangdong, clock_.Now());
      ++expected;
    }
  }
  std::vector<std::thread> streams;
  for (int s = 0; s < 4; ++s) {
    streams.emplace_back([&, s] {
      // Each stream sends every batch, starting at a different one.
      std::vector<v1::PushBatch> rotated;
      for (int b = 0; b < 4; ++b) rotated.push_back(batches[(s + b) % 4]);
      const PushResult result = PushAll(*channel_, collector_token_, rotated);
      EXPECT_TRUE(result.status.ok()) << result.status.error_message();
      for (const v1::PushAck& ack : result.acks) EXPECT_EQ(ack.rejected(), 0u);
    });
  }
  for (std::thread& stream : streams) stream.join();
  const std::vector<v1::Notification> notices = AllNotices();
  EXPECT_EQ(static_cast<int>(notices.size()), expected);
  std::set<std::string> keys;
  int targets = 0;
  for (const v1::Notification& notice : notices) {
    EXPECT_TRUE(keys.insert(KeyOf(notice)).second) << KeyOf(notice);
    targets += notice.targets_size();
  }
  EXPECT_EQ(targets, expected);
  for (const v1::Incident& incident : AllIncidents()) {
    if (incident.severity() > v1::SEVERITY_II) continue;
    EXPECT_TRUE(keys.contains("incident:" + std::to_string(incident.id()) + ":sev" +
                              std::to_string(incident.severity())))
        << incident.external_id();
  }
}

}  // namespace
}  // namespace sitrep::testing
