// The notification loop end to end through gRPC (SPEC §2 Notification, §3, §4; issue #5):
// national bulletin → province → forwarded notice → enterprise acknowledges and answers →
// province closes; who sees what; illegal steps; overdue by the clock; the audit trail.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "domain/page_token.h"
#include "domain/time_convert.h"
#include "notifications/notices.h"
#include "sitrep/v1/feed.grpc.pb.h"
#include "sitrep/v1/notification.grpc.pb.h"
#include "sitrep/v1/report.grpc.pb.h"
#include "tests/push_client.h"
#include "tests/record_samples.h"
#include "tests/server_fixture.h"
#include "tests/support/target_steps.h"

namespace sitrep::testing {
namespace {

using std::chrono::hours;
using std::chrono::minutes;

constexpr uint32_t kGuangdong = 440000;
constexpr uint32_t kBeijing = 110000;
const std::string kFromTheStart = EncodeFeedCursor("notification-inbox", FeedPosition{});

// Reads a notification watch on its own thread until cancelled, keeping every notice it gets.
class InboxWatch final {
 public:
  InboxWatch(v1::NotificationService::Stub& stub, const std::string& token) {
    context_.AddMetadata("authorization", "Bearer " + token);
    context_.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(60));
    v1::WatchNotificationsRequest request;
    request.set_cursor(kFromTheStart);
    stream_ = stub.WatchNotifications(&context_, request);
    thread_ = std::thread([this] {
      v1::WatchNotificationsResponse response;
      while (stream_->Read(&response)) {
        std::lock_guard lock(mu_);
        for (const v1::Notification& notice : response.notifications()) received_.push_back(notice);
      }
    });
  }

  ~InboxWatch() {
    context_.TryCancel();
    thread_.join();
    static_cast<void>(stream_->Finish());
  }

  // Waits up to 10 s until a notice `id` arrives whose (only) target is in `state`.
  bool WaitFor(int64_t id, v1::TargetState state) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (std::chrono::steady_clock::now() < deadline) {
      {
        std::lock_guard lock(mu_);
        for (const v1::Notification& notice : received_) {
          if (notice.id() == id && notice.targets_size() == 1 &&
              notice.targets(0).state() == state) {
            return true;
          }
        }
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return false;
  }

  std::vector<v1::Notification> received() {
    std::lock_guard lock(mu_);
    return received_;
  }

 private:
  grpc::ClientContext context_;
  std::unique_ptr<grpc::ClientReader<v1::WatchNotificationsResponse>> stream_;
  std::mutex mu_;
  std::vector<v1::Notification> received_;  // guarded by mu_
  std::thread thread_;
};

class NotificationTest : public ServerFixture {
 protected:
  void SetUp() override {
    ServerFixture::SetUp();
    notices_ = v1::NotificationService::NewStub(channel_);
    national_ = TokenFor(v1::ROLE_NATIONAL);
    guangdong_ = TokenFor(v1::ROLE_PROVINCIAL, kGuangdong);
    beijing_ = TokenFor(v1::ROLE_PROVINCIAL, kBeijing);
    plant_ = RegisterEnterprise(kGuangdong);
    plant_token_ = TokenFor(v1::ROLE_ENTERPRISE, 0, plant_.id());
    other_plant_ = RegisterEnterprise(kGuangdong, "automobile");
    other_plant_token_ = TokenFor(v1::ROLE_ENTERPRISE, 0, other_plant_.id());
    beijing_plant_ = RegisterEnterprise(kBeijing);
  }

  static v1::IssueNotificationRequest Bulletin(std::vector<uint32_t> provinces,
                                               v1::Severity priority = v1::SEVERITY_II) {
    v1::IssueNotificationRequest request;
    v1::Notification* notice = request.mutable_notification();
    notice->set_title("勒索软件攻击能源行业 SCADA 系统");
    notice->set_body("Block the listed addresses and report exposure.");
    notice->set_required_action("Check every internet-facing HMI.");
    notice->set_priority(priority);
    notice->set_tlp(v1::TLP_AMBER);
    notice->add_cve_ids("CVE-2021-44228");
    for (const uint32_t province : provinces) notice->add_targets()->set_province(province);
    return request;
  }

  static v1::IssueNotificationRequest ToEnterprises(std::vector<int64_t> enterprise_ids) {
    v1::IssueNotificationRequest request = Bulletin({});
    for (const int64_t id : enterprise_ids) {
      request.mutable_notification()->add_targets()->set_enterprise_id(id);
    }
    return request;
  }

  grpc::Status Issue(const std::string& token, const v1::IssueNotificationRequest& request,
                     v1::Notification& out) {
    return notices_->IssueNotification(As(token).get(), request, &out);
  }

  v1::Notification IssueOk(const std::string& token, const v1::IssueNotificationRequest& request) {
    v1::Notification out;
    const grpc::Status status = Issue(token, request, out);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return out;
  }

  grpc::Status Get(const std::string& token, int64_t id, v1::Notification& out) {
    v1::GetNotificationRequest request;
    request.set_id(id);
    return notices_->GetNotification(As(token).get(), request, &out);
  }

  grpc::Status Acknowledge(const std::string& token, int64_t id, v1::Notification& out) {
    v1::AcknowledgeRequest request;
    request.set_notification_id(id);
    return notices_->Acknowledge(As(token).get(), request, &out);
  }

  grpc::Status Feedback(const std::string& token, int64_t id, v1::Notification& out,
                        std::vector<int64_t> incident_ids = {}) {
    v1::SubmitFeedbackRequest request;
    request.set_notification_id(id);
    request.set_text("已隔离受影响的 HMI，并更新了防火墙规则。");
    request.set_outcome(v1::FEEDBACK_OUTCOME_MITIGATED);
    for (const int64_t incident_id : incident_ids) request.add_incident_ids(incident_id);
    return notices_->SubmitFeedback(As(token).get(), request, &out);
  }

  grpc::Status Close(const std::string& token, int64_t id, v1::Notification& out) {
    v1::CloseNotificationRequest request;
    request.set_notification_id(id);
    request.set_remark("处置完毕");
    return notices_->CloseNotification(As(token).get(), request, &out);
  }

  // The ids listed by `token` with `request` (one page).
  std::vector<int64_t> ListIds(const std::string& token,
                               const v1::ListNotificationsRequest& request = {}) {
    v1::ListNotificationsResponse response;
    const grpc::Status status = notices_->ListNotifications(As(token).get(), request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    std::vector<int64_t> ids;
    for (const v1::Notification& notice : response.notifications()) ids.push_back(notice.id());
    return ids;
  }

  static v1::ListNotificationsRequest Outbox() {
    v1::ListNotificationsRequest request;
    request.set_box(v1::BOX_OUTBOX);
    return request;
  }

  static v1::ListNotificationsRequest OverdueOnly(v1::Box box = v1::BOX_INBOX) {
    v1::ListNotificationsRequest request;
    request.set_box(box);
    request.set_overdue_only(true);
    return request;
  }

  // Audit rows of `method` (short name) with `status` whose target starts with `target`.
  int64_t AuditRows(const std::string& method, const std::string& status,
                    const std::string& target) {
    int64_t rows = 0;
    for (const v1::AuditEntry& entry : AuditEntries("/sitrep.v1.NotificationService/" + method)) {
      rows += entry.status() == status && entry.target().starts_with(target);
    }
    return rows;
  }

  std::unique_ptr<v1::NotificationService::Stub> notices_;
  std::string national_, guangdong_, beijing_, plant_token_, other_plant_token_;
  v1::Enterprise plant_, other_plant_, beijing_plant_;
};

std::vector<v1::TargetState> StatesOf(const v1::NotificationTarget& target) {
  std::vector<v1::TargetState> states;
  for (const v1::TargetEvent& event : target.history()) states.push_back(event.state());
  return states;
}

TEST_F(NotificationTest, TheLoopRunsFromANationalBulletinToAClosedEnterpriseNotice) {
  InboxWatch guangdong_watch(*notices_, guangdong_);
  InboxWatch beijing_watch(*notices_, beijing_);
  InboxWatch plant_watch(*notices_, plant_token_);
  const auto issued_at = clock_.Now();

  // The national centre notifies Guangdong; the default deadline follows priority II.
  const v1::Notification bulletin = IssueOk(national_, Bulletin({kGuangdong}));
  ASSERT_GT(bulletin.id(), 0);
  EXPECT_EQ(bulletin.level(), v1::NOTIFICATION_LEVEL_NATIONAL);
  EXPECT_EQ(bulletin.origin(), v1::NOTIFICATION_ORIGIN_MANUAL);
  EXPECT_EQ(FromTimestamp(bulletin.response_deadline()),
            FromTimestamp(ToTimestamp(issued_at + hours(2))));
  ASSERT_EQ(bulletin.targets_size(), 1);
  EXPECT_EQ(bulletin.targets(0).state(), v1::TARGET_STATE_DELIVERED);
  EXPECT_EQ(StatesOf(bulletin.targets(0)),
            std::vector<v1::TargetState>{v1::TARGET_STATE_DELIVERED});

  // Guangdong sees it in its inbox and its watch; Beijing and the enterprise do not.
  EXPECT_EQ(ListIds(guangdong_), std::vector<int64_t>{bulletin.id()});
  EXPECT_TRUE(guangdong_watch.WaitFor(bulletin.id(), v1::TARGET_STATE_DELIVERED));
  EXPECT_TRUE(ListIds(beijing_).empty());
  v1::Notification out;
  EXPECT_EQ(Get(beijing_, bulletin.id(), out).error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(Get(plant_token_, bulletin.id(), out).error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(Acknowledge(beijing_, bulletin.id(), out).error_code(), grpc::StatusCode::NOT_FOUND);

  // A later bulletin to Beijing alone reaches Beijing's watch, which never got the first.
  const v1::Notification to_beijing = IssueOk(national_, Bulletin({kBeijing}));
  EXPECT_TRUE(beijing_watch.WaitFor(to_beijing.id(), v1::TARGET_STATE_DELIVERED));
  for (const v1::Notification& seen : beijing_watch.received()) {
    EXPECT_EQ(seen.id(), to_beijing.id());
  }

  // Guangdong acknowledges: the step is stamped by the server's clock and its watch sees it.
  clock_.Advance(minutes(10));
  ASSERT_TRUE(Acknowledge(guangdong_, bulletin.id(), out).ok());
  EXPECT_EQ(out.targets(0).state(), v1::TARGET_STATE_ACKNOWLEDGED);
  EXPECT_EQ(FromTimestamp(out.targets(0).history(1).time()),
            FromTimestamp(ToTimestamp(issued_at + minutes(10))));
  EXPECT_TRUE(guangdong_watch.WaitFor(bulletin.id(), v1::TARGET_STATE_ACKNOWLEDGED));

  // Guangdong forwards a notice to its enterprise, and may address no one else.
  const v1::Notification forwarded = IssueOk(guangdong_, ToEnterprises({plant_.id()}));
  EXPECT_EQ(forwarded.level(), v1::NOTIFICATION_LEVEL_PROVINCIAL);
  EXPECT_EQ(forwarded.issuer_province(), kGuangdong);
  ASSERT_EQ(forwarded.targets_size(), 1);
  EXPECT_EQ(forwarded.targets(0).province(), kGuangdong);
  EXPECT_EQ(Issue(guangdong_, ToEnterprises({beijing_plant_.id()}), out).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(Issue(guangdong_, Bulletin({kGuangdong}), out).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(Issue(national_, ToEnterprises({plant_.id()}), out).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  const grpc::Status unknown = Issue(guangdong_, ToEnterprises({plant_.id() + 1000}), out);
  EXPECT_EQ(unknown.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(ViolatedFields(unknown),
            std::vector<std::string>{"notification.targets[0].enterprise_id"});
  EXPECT_EQ(Issue(plant_token_, Bulletin({kGuangdong}), out).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(ListIds(guangdong_, Outbox()), std::vector<int64_t>{forwarded.id()});

  // The enterprise sees it live; the other enterprise of the province does not see it at all.
  EXPECT_TRUE(plant_watch.WaitFor(forwarded.id(), v1::TARGET_STATE_DELIVERED));
  EXPECT_EQ(ListIds(plant_token_), std::vector<int64_t>{forwarded.id()});
  EXPECT_TRUE(ListIds(other_plant_token_).empty());
  EXPECT_EQ(Get(other_plant_token_, forwarded.id(), out).error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(Get(beijing_, forwarded.id(), out).error_code(), grpc::StatusCode::NOT_FOUND);

  // Illegal steps are refused and change nothing.
  const grpc::Status early = Feedback(plant_token_, forwarded.id(), out);
  EXPECT_EQ(early.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_NE(early.error_message().find("acknowledge"), std::string::npos);
  EXPECT_EQ(Close(plant_token_, forwarded.id(), out).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(Acknowledge(guangdong_, forwarded.id(), out).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(Acknowledge(other_plant_token_, forwarded.id(), out).error_code(),
            grpc::StatusCode::NOT_FOUND);

  // The enterprise acknowledges and answers.
  clock_.Advance(minutes(5));
  ASSERT_TRUE(Acknowledge(plant_token_, forwarded.id(), out).ok());
  EXPECT_EQ(Acknowledge(plant_token_, forwarded.id(), out).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
  clock_.Advance(minutes(30));
  v1::ReportIncidentRequest report;
  *report.mutable_incident() = SampleIncident("hmi-1", kGuangdong, clock_.Now());
  v1::ReportIncidentResponse reported;
  ASSERT_TRUE(v1::ReportService::NewStub(channel_)
                  ->ReportIncident(As(plant_token_).get(), report, &reported)
                  .ok());
  ASSERT_TRUE(Feedback(plant_token_, forwarded.id(), out, {reported.incident().id()}).ok());
  EXPECT_EQ(out.targets(0).state(), v1::TARGET_STATE_FEEDBACK_SUBMITTED);
  EXPECT_EQ(out.targets(0).outcome(), v1::FEEDBACK_OUTCOME_MITIGATED);
  EXPECT_EQ(out.targets(0).feedback_incident_ids(0), reported.incident().id());
  EXPECT_EQ(Feedback(plant_token_, forwarded.id(), out).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_TRUE(plant_watch.WaitFor(forwarded.id(), v1::TARGET_STATE_FEEDBACK_SUBMITTED));

  // Only the issuing province closes: the national centre sees the notice but did not issue
  // it; Beijing cannot see it.
  EXPECT_EQ(Close(national_, forwarded.id(), out).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(Close(beijing_, forwarded.id(), out).error_code(), grpc::StatusCode::NOT_FOUND);
  clock_.Advance(minutes(1));
  ASSERT_TRUE(Close(guangdong_, forwarded.id(), out).ok());
  EXPECT_EQ(Close(guangdong_, forwarded.id(), out).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(Acknowledge(plant_token_, forwarded.id(), out).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);

  // Every step is kept, stamped and signed; every party sees the same history.
  ASSERT_TRUE(Get(plant_token_, forwarded.id(), out).ok());
  ASSERT_EQ(out.targets_size(), 1);
  const v1::NotificationTarget& target = out.targets(0);
  EXPECT_EQ(target.state(), v1::TARGET_STATE_CLOSED);
  EXPECT_EQ(StatesOf(target), (std::vector<v1::TargetState>{
                                  v1::TARGET_STATE_DELIVERED, v1::TARGET_STATE_ACKNOWLEDGED,
                                  v1::TARGET_STATE_FEEDBACK_SUBMITTED, v1::TARGET_STATE_CLOSED}));
  EXPECT_EQ(FromTimestamp(target.history(3).time()),
            FromTimestamp(ToTimestamp(issued_at + minutes(46))));
  EXPECT_EQ(target.history(3).text(), "处置完毕");
  EXPECT_EQ(target.history(0).principal_id(), target.history(3).principal_id());
  EXPECT_NE(target.history(1).principal_id(), target.history(0).principal_id());
  v1::Notification as_national;
  ASSERT_TRUE(Get(national_, forwarded.id(), as_national).ok());
  EXPECT_EQ(StatesOf(as_national.targets(0)), StatesOf(target));

  // The audit log has every read and every step, refused ones too.
  const std::string forwarded_id = "id=" + std::to_string(forwarded.id());
  EXPECT_EQ(AuditRows("IssueNotification", "OK", "id=" + std::to_string(bulletin.id())), 1);
  EXPECT_EQ(AuditRows("IssueNotification", "PERMISSION_DENIED", ""), 4);
  EXPECT_EQ(AuditRows("Acknowledge", "OK", forwarded_id), 1);
  EXPECT_EQ(AuditRows("Acknowledge", "PERMISSION_DENIED", forwarded_id), 1);
  EXPECT_EQ(AuditRows("SubmitFeedback", "FAILED_PRECONDITION", forwarded_id), 2);
  EXPECT_EQ(AuditRows("SubmitFeedback", "OK", forwarded_id), 1);
  EXPECT_EQ(AuditRows("CloseNotification", "OK", forwarded_id), 1);
  EXPECT_EQ(AuditRows("CloseNotification", "NOT_FOUND", forwarded_id), 1);
  EXPECT_EQ(AuditRows("GetNotification", "NOT_FOUND", forwarded_id), 2);
  EXPECT_EQ(AuditRows("ListNotifications", "OK", ""), 5);
}

// Target steps through the API: from every state, each step the API offers is taken through
// gRPC and agrees with tests/support/target_steps.h, the table that also feeds the database's
// wall (storage/notification_store_pgtest.cc).
TEST_F(NotificationTest, EveryTargetStepIsDecidedByTheRulesAsTheTableSays) {
  using v1::TARGET_STATE_ACKNOWLEDGED, v1::TARGET_STATE_CLOSED, v1::TARGET_STATE_FEEDBACK_SUBMITTED;
  v1::Notification out;
  // The step to `state` through the API, taken by whoever may take it: Guangdong answers, the
  // national centre closes.
  const auto take = [&](int64_t id, v1::TargetState state) {
    switch (state) {
      case TARGET_STATE_ACKNOWLEDGED:
        return Acknowledge(guangdong_, id, out);
      case TARGET_STATE_FEEDBACK_SUBMITTED:
        return Feedback(guangdong_, id, out);
      default:
        return Close(national_, id, out);
    }
  };
  // A national bulletin to Guangdong, brought to `state` by legal steps.
  const auto notice_in = [&](v1::TargetState state) {
    const int64_t id = IssueOk(national_, Bulletin({kGuangdong})).id();
    if (state == TARGET_STATE_ACKNOWLEDGED || state == TARGET_STATE_FEEDBACK_SUBMITTED) {
      EXPECT_TRUE(take(id, TARGET_STATE_ACKNOWLEDGED).ok());
    }
    if (state == TARGET_STATE_FEEDBACK_SUBMITTED || state == TARGET_STATE_CLOSED) {
      EXPECT_TRUE(take(id, state).ok());
    }
    return id;
  };
  for (const test::TargetStep& step : test::kTargetSteps) {
    SCOPED_TRACE(test::TargetStateText(step.from) + " -> " + test::TargetStateText(step.to));
    const grpc::Status status = take(notice_in(step.from), step.to);
    EXPECT_EQ(status.ok(), step.legal) << status.error_message();
    if (!step.legal) {
      EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
    }
  }
}

// Issue 14: a notice's references (arrays in PostgreSQL) come back as issued, in order, on
// every read path: the issue's answer, GetNotification, ListNotifications, the inbox watch, and
// the feedback's incident ids.
TEST_F(NotificationTest, ReferencesComeBackAsIssuedOnEveryReadPath) {
  InboxWatch plant_watch(*notices_, plant_token_);
  v1::IssueNotificationRequest request = ToEnterprises({plant_.id()});
  v1::Notification& sent = *request.mutable_notification();
  sent.clear_cve_ids();
  for (const char* id : {"CVE-2021-44228", "CVE-2014-0160", "CVE-2021-44228"}) {
    sent.add_cve_ids(id);
  }
  // References must name records the issuer may see: the plant's own incidents and assets.
  std::vector<int64_t> incident_ids;
  for (const char* name : {"ref-a", "ref-b", "ref-c"}) {
    v1::ReportIncidentRequest report;
    *report.mutable_incident() = SampleIncident(name, kGuangdong, clock_.Now());
    v1::ReportIncidentResponse reported;
    ASSERT_TRUE(v1::ReportService::NewStub(channel_)
                    ->ReportIncident(As(plant_token_).get(), report, &reported)
                    .ok());
    incident_ids.push_back(reported.incident().id());
  }
  v1::PushBatch assets;
  for (const char* key : {"ref-plc-1", "ref-plc-2"}) {
    v1::Asset asset = SampleAsset(key, kGuangdong, clock_.Now());
    asset.set_enterprise_id(plant_.id());
    *assets.add_assets() = asset;
  }
  ASSERT_TRUE(PushAll(*channel_, plant_token_, {assets}).status.ok());
  v1::ListAssetsResponse listed_assets;
  ASSERT_TRUE(v1::FeedService::NewStub(channel_)
                  ->ListAssets(As(plant_token_).get(), {}, &listed_assets)
                  .ok());
  ASSERT_EQ(listed_assets.assets_size(), 2);
  // Out of order and repeated, as an issuer may write them: they come back as written.
  for (const size_t i : {2, 0, 1, 0}) sent.add_incident_ids(incident_ids[i]);
  for (const int i : {1, 0}) sent.add_asset_ids(listed_assets.assets(i).id());
  const auto expect_references = [&](const v1::Notification& got, const std::string& path) {
    EXPECT_EQ(std::vector<std::string>(got.cve_ids().begin(), got.cve_ids().end()),
              std::vector<std::string>(sent.cve_ids().begin(), sent.cve_ids().end()))
        << path;
    EXPECT_EQ(std::vector<int64_t>(got.incident_ids().begin(), got.incident_ids().end()),
              std::vector<int64_t>(sent.incident_ids().begin(), sent.incident_ids().end()))
        << path;
    EXPECT_EQ(std::vector<int64_t>(got.asset_ids().begin(), got.asset_ids().end()),
              std::vector<int64_t>(sent.asset_ids().begin(), sent.asset_ids().end()))
        << path;
  };
  const v1::Notification issued = IssueOk(guangdong_, request);
  expect_references(issued, "IssueNotification");
  v1::Notification got;
  ASSERT_TRUE(Get(plant_token_, issued.id(), got).ok());
  expect_references(got, "GetNotification");
  v1::ListNotificationsResponse listed;
  ASSERT_TRUE(notices_->ListNotifications(As(plant_token_).get(), {}, &listed).ok());
  ASSERT_EQ(listed.notifications_size(), 1);
  expect_references(listed.notifications(0), "ListNotifications");
  ASSERT_TRUE(plant_watch.WaitFor(issued.id(), v1::TARGET_STATE_DELIVERED));
  expect_references(plant_watch.received().at(0), "WatchNotifications");
  ASSERT_TRUE(Acknowledge(plant_token_, issued.id(), got).ok());
  ASSERT_TRUE(Feedback(plant_token_, issued.id(), got, {incident_ids[1]}).ok());
  EXPECT_EQ(got.targets(0).feedback_incident_ids_size(), 1);
  EXPECT_EQ(got.targets(0).feedback_incident_ids(0), incident_ids[1]);
  expect_references(got, "SubmitFeedback");
}

TEST_F(NotificationTest, WatchesAreAuditedWithTheNoticesTheySent) {
  const v1::Notification bulletin = IssueOk(national_, Bulletin({kGuangdong}));
  {
    InboxWatch watch(*notices_, guangdong_);
    ASSERT_TRUE(watch.WaitFor(bulletin.id(), v1::TARGET_STATE_DELIVERED));
  }
  // The entry is written when the stream ends, which the server notices shortly after.
  const auto watches_with_one_row = [&] {
    int64_t found = 0;
    for (const v1::AuditEntry& entry :
         AuditEntries("/sitrep.v1.NotificationService/WatchNotifications")) {
      found += entry.rows() == 1;
    }
    return found;
  };
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (watches_with_one_row() == 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_EQ(watches_with_one_row(), 1);
}

TEST_F(NotificationTest, ListsPageNewestFirstAndFilterByPriorityStateAndTime) {
  const v1::Notification first = IssueOk(national_, Bulletin({kGuangdong}, v1::SEVERITY_IV));
  clock_.Advance(hours(1));
  const auto middle_time = clock_.Now();
  const v1::Notification second = IssueOk(national_, Bulletin({kGuangdong}, v1::SEVERITY_I));
  const v1::Notification third =
      IssueOk(national_, Bulletin({kGuangdong, kBeijing}, v1::SEVERITY_III));

  v1::ListNotificationsRequest request;
  request.set_page_size(2);
  v1::ListNotificationsResponse page;
  ASSERT_TRUE(notices_->ListNotifications(As(guangdong_).get(), request, &page).ok());
  ASSERT_EQ(page.notifications_size(), 2);
  EXPECT_EQ(page.notifications(0).id(), third.id());
  EXPECT_EQ(page.notifications(1).id(), second.id());
  ASSERT_FALSE(page.next_page_token().empty());
  request.set_page_token(page.next_page_token());
  ASSERT_TRUE(notices_->ListNotifications(As(guangdong_).get(), request, &page).ok());
  ASSERT_EQ(page.notifications_size(), 1);
  EXPECT_EQ(page.notifications(0).id(), first.id());
  EXPECT_TRUE(page.next_page_token().empty());
  // A token of the inbox means nothing to the outbox.
  request.set_box(v1::BOX_OUTBOX);
  const grpc::Status mixed = notices_->ListNotifications(As(national_).get(), request, &page);
  EXPECT_EQ(mixed.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(ViolatedFields(mixed), std::vector<std::string>{"page_token"});

  // Guangdong sees only its own target of the bulletin to two provinces; the national centre
  // sees both in its outbox.
  v1::ListNotificationsResponse all;
  ASSERT_TRUE(notices_->ListNotifications(As(guangdong_).get(), {}, &all).ok());
  ASSERT_EQ(all.notifications(0).targets_size(), 1);
  EXPECT_EQ(all.notifications(0).targets(0).province(), kGuangdong);
  ASSERT_TRUE(notices_->ListNotifications(As(national_).get(), Outbox(), &all).ok());
  ASSERT_EQ(all.notifications_size(), 3);
  EXPECT_EQ(all.notifications(0).targets_size(), 2);
  EXPECT_TRUE(ListIds(national_).empty()) << "no notice is addressed to the national centre";

  v1::ListNotificationsRequest urgent;
  urgent.set_min_priority(v1::SEVERITY_III);
  EXPECT_EQ(ListIds(guangdong_, urgent), (std::vector<int64_t>{third.id(), second.id()}));
  v1::ListNotificationsRequest recent;
  *recent.mutable_create_time()->mutable_start_time() = ToTimestamp(middle_time);
  EXPECT_EQ(ListIds(guangdong_, recent), (std::vector<int64_t>{third.id(), second.id()}));
  v1::Notification out;
  ASSERT_TRUE(Acknowledge(guangdong_, second.id(), out).ok());
  v1::ListNotificationsRequest acknowledged;
  acknowledged.add_states(v1::TARGET_STATE_ACKNOWLEDGED);
  EXPECT_EQ(ListIds(guangdong_, acknowledged), std::vector<int64_t>{second.id()});
  acknowledged.set_box(v1::BOX_OUTBOX);
  EXPECT_EQ(ListIds(national_, acknowledged), std::vector<int64_t>{second.id()});
  EXPECT_TRUE(ListIds(beijing_, acknowledged).empty());
}

class NotificationMetricsTest : public NotificationTest {
 protected:
  NotificationMetricsTest() { with_metrics_ = true; }
};

// The value of the gauge line that starts with `series` ("name{labels}"), or -1 when absent.
double Gauge(const std::string& metrics, const std::string& series) {
  const size_t at = metrics.find(series + " ");
  if (at == std::string::npos) return -1;
  return std::stod(metrics.substr(at + series.size() + 1));
}

TEST_F(NotificationMetricsTest, OverdueIsListedAndCountedOnceTheDeadlinePassesWithoutFeedback) {
  // Priority I: one hour. Guangdong answers in time, Beijing does not.
  const v1::Notification bulletin =
      IssueOk(national_, Bulletin({kGuangdong, kBeijing}, v1::SEVERITY_I));
  // A notice with a longer deadline of its own is not overdue after an hour.
  v1::IssueNotificationRequest patient = Bulletin({kBeijing}, v1::SEVERITY_I);
  *patient.mutable_notification()->mutable_response_deadline() =
      ToTimestamp(clock_.Now() + hours(3));
  const v1::Notification later = IssueOk(national_, patient);
  // A provincial notice counts under its own level, in the enterprise's province.
  IssueOk(guangdong_, ToEnterprises({plant_.id()}));
  v1::Notification out;
  ASSERT_TRUE(Acknowledge(guangdong_, bulletin.id(), out).ok());
  ASSERT_TRUE(Feedback(guangdong_, bulletin.id(), out).ok());

  const std::string open_beijing =
      "sitrep_notifications_open{level=\"national\",province=\"110000\"}";
  const std::string overdue_beijing =
      "sitrep_notifications_overdue{level=\"national\",province=\"110000\"}";
  const std::string open_guangdong =
      "sitrep_notifications_open{level=\"national\",province=\"440000\"}";
  const std::string overdue_guangdong =
      "sitrep_notifications_overdue{level=\"national\",province=\"440000\"}";
  const std::string open_forwarded =
      "sitrep_notifications_open{level=\"provincial\",province=\"440000\"}";
  std::string metrics = FetchMetrics(server_->metrics_port());
  EXPECT_EQ(Gauge(metrics, open_beijing), 2) << metrics;
  EXPECT_EQ(Gauge(metrics, overdue_beijing), 0) << metrics;
  EXPECT_EQ(Gauge(metrics, open_forwarded), 1) << metrics;
  EXPECT_TRUE(ListIds(beijing_, OverdueOnly()).empty());

  clock_.Advance(minutes(61));
  EXPECT_EQ(ListIds(beijing_, OverdueOnly()), std::vector<int64_t>{bulletin.id()});
  EXPECT_TRUE(ListIds(guangdong_, OverdueOnly()).empty());
  EXPECT_EQ(ListIds(national_, OverdueOnly(v1::BOX_OUTBOX)), std::vector<int64_t>{bulletin.id()});
  ASSERT_TRUE(Get(national_, bulletin.id(), out).ok());
  for (const v1::NotificationTarget& target : out.targets()) {
    EXPECT_EQ(target.overdue(), target.province() == kBeijing) << target.province();
  }
  ASSERT_TRUE(Get(beijing_, later.id(), out).ok());
  EXPECT_FALSE(out.targets(0).overdue());
  metrics = FetchMetrics(server_->metrics_port());
  EXPECT_EQ(Gauge(metrics, open_beijing), 2) << metrics;
  EXPECT_EQ(Gauge(metrics, overdue_beijing), 1) << metrics;
  EXPECT_EQ(Gauge(metrics, open_guangdong), 1) << metrics;
  EXPECT_EQ(Gauge(metrics, overdue_guangdong), 0) << metrics;

  // Acknowledging late does not end overdue; closing does.
  ASSERT_TRUE(Acknowledge(beijing_, bulletin.id(), out).ok());
  EXPECT_TRUE(out.targets(0).overdue());
  ASSERT_TRUE(Close(national_, bulletin.id(), out).ok());
  EXPECT_TRUE(ListIds(beijing_, OverdueOnly()).empty());
  // The gauges are recounted at most every kBacklogRefresh: until then they stand.
  metrics = FetchMetrics(server_->metrics_port());
  EXPECT_EQ(Gauge(metrics, overdue_beijing), 1) << metrics;
  clock_.Advance(notifications::Notices::kBacklogRefresh);
  metrics = FetchMetrics(server_->metrics_port());
  EXPECT_EQ(Gauge(metrics, overdue_beijing), 0) << metrics;
  EXPECT_EQ(Gauge(metrics, open_beijing), 1) << metrics;
}

TEST_F(NotificationTest, BadRequestsNameTheWrongField) {
  struct Case {
    const char* name;
    void (*spoil)(v1::IssueNotificationRequest&);
    const char* field;
  };
  const Case cases[] = {
      {"no title", [](v1::IssueNotificationRequest& r) { r.mutable_notification()->clear_title(); },
       "notification.title"},
      {"no priority",
       [](v1::IssueNotificationRequest& r) { r.mutable_notification()->clear_priority(); },
       "notification.priority"},
      {"no targets",
       [](v1::IssueNotificationRequest& r) { r.mutable_notification()->clear_targets(); },
       "notification.targets"},
      {"unknown province",
       [](v1::IssueNotificationRequest& r) {
         r.mutable_notification()->mutable_targets(0)->set_province(999999);
       },
       "notification.targets[0].province"},
      {"past deadline",
       [](v1::IssueNotificationRequest& r) {
         r.mutable_notification()->mutable_response_deadline()->set_seconds(1'000'000'000);
       },
       "notification.response_deadline"},
      {"bad cve",
       [](v1::IssueNotificationRequest& r) { r.mutable_notification()->add_cve_ids("x'; --"); },
       "notification.cve_ids[1]"},
  };
  for (const Case& bad : cases) {
    v1::IssueNotificationRequest request = Bulletin({kGuangdong});
    bad.spoil(request);
    v1::Notification out;
    const grpc::Status status = Issue(national_, request, out);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << bad.name;
    EXPECT_EQ(ViolatedFields(status), std::vector<std::string>{bad.field}) << bad.name;
  }
  // None was stored: the issuer's outbox and the addressee's inbox are empty.
  EXPECT_TRUE(ListIds(national_, Outbox()).empty());
  EXPECT_TRUE(ListIds(guangdong_).empty());

  v1::SubmitFeedbackRequest feedback;
  feedback.set_notification_id(1);
  feedback.set_outcome(v1::FEEDBACK_OUTCOME_FIXED);
  v1::Notification out;
  const grpc::Status no_text = notices_->SubmitFeedback(As(guangdong_).get(), feedback, &out);
  EXPECT_EQ(ViolatedFields(no_text), std::vector<std::string>{"text"});
  v1::ListNotificationsRequest list;
  list.set_page_token("not-a-token");
  v1::ListNotificationsResponse page;
  EXPECT_EQ(ViolatedFields(notices_->ListNotifications(As(guangdong_).get(), list, &page)),
            std::vector<std::string>{"page_token"});
  grpc::ClientContext context;
  context.AddMetadata("authorization", "Bearer " + guangdong_);
  v1::WatchNotificationsRequest watch;
  watch.set_cursor(EncodeFeedCursor("incidents", FeedPosition{}));
  auto stream = notices_->WatchNotifications(&context, watch);
  v1::WatchNotificationsResponse response;
  EXPECT_FALSE(stream->Read(&response));
  const grpc::Status bad_cursor = stream->Finish();
  EXPECT_EQ(ViolatedFields(bad_cursor), std::vector<std::string>{"cursor"});
  // Collectors take no part in notices.
  EXPECT_EQ(
      notices_->ListNotifications(As(TokenFor(v1::ROLE_COLLECTOR, kGuangdong)).get(), {}, &page)
          .error_code(),
      grpc::StatusCode::PERMISSION_DENIED);
}

TEST_F(NotificationTest, RuleNoticesShowInTheInboxesOfTheirRecipientsOnly) {
  // A grade I incident in Guangdong makes the rules raise two notices (SPEC §5): one to
  // Guangdong's regulators, one to the national centre itself.
  v1::Incident incident = SampleIncident("gd-extraordinary-1", kGuangdong, clock_.Now());
  incident.set_severity(v1::SEVERITY_I);
  v1::PushBatch batch;
  batch.set_sequence(1);
  *batch.add_incidents() = incident;
  const PushResult pushed = PushAll(*channel_, TokenFor(v1::ROLE_COLLECTOR, kGuangdong), {batch});
  ASSERT_TRUE(pushed.status.ok()) << pushed.status.error_message();
  ASSERT_EQ(pushed.acks.size(), 1u);
  ASSERT_EQ(pushed.acks[0].accepted(), 1u);
  const std::vector<int64_t> to_guangdong = ListIds(guangdong_);
  ASSERT_EQ(to_guangdong.size(), 1u);
  const std::vector<int64_t> to_centre = ListIds(national_);
  ASSERT_EQ(to_centre.size(), 1u);
  EXPECT_NE(to_guangdong[0], to_centre[0]);

  v1::Notification out;
  ASSERT_TRUE(Get(guangdong_, to_guangdong[0], out).ok());
  EXPECT_EQ(out.origin(), v1::NOTIFICATION_ORIGIN_INCIDENT_RULE);
  EXPECT_EQ(Get(guangdong_, to_centre[0], out).error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(Acknowledge(guangdong_, to_centre[0], out).error_code(), grpc::StatusCode::NOT_FOUND);

  // Each recipient answers its own; the national centre, for whom the rules act, closes.
  ASSERT_TRUE(Acknowledge(guangdong_, to_guangdong[0], out).ok());
  ASSERT_TRUE(Acknowledge(national_, to_centre[0], out).ok());
  EXPECT_TRUE(out.targets(0).national());
  EXPECT_EQ(Acknowledge(national_, to_guangdong[0], out).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  ASSERT_TRUE(Close(national_, to_guangdong[0], out).ok());
  EXPECT_EQ(out.targets(0).state(), v1::TARGET_STATE_CLOSED);

  // ADMIN reads every notice (SPEC §3) but takes no step in the loop.
  const std::string admin = TokenFor(v1::ROLE_ADMIN);
  std::vector<int64_t> seen_by_admin = ListIds(admin);
  std::sort(seen_by_admin.begin(), seen_by_admin.end());
  std::vector<int64_t> raised = {to_guangdong[0], to_centre[0]};
  std::sort(raised.begin(), raised.end());
  EXPECT_EQ(seen_by_admin, raised);
  ASSERT_TRUE(Get(admin, to_guangdong[0], out).ok());
  EXPECT_EQ(Acknowledge(admin, to_centre[0], out).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
}

}  // namespace
}  // namespace sitrep::testing
