#include "notifications/notice_rules.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "domain/time_convert.h"

namespace sitrep::notifications {
namespace {

using std::chrono::hours;
using std::chrono::seconds;

// 2025-06-15T14:13:20Z; every time below is relative to it, so no test reads the real clock.
constexpr std::chrono::system_clock::time_point kNow{seconds(1'750'000'000)};
constexpr uint32_t kGuangdong = 440000;
constexpr uint32_t kBeijing = 110000;
constexpr int64_t kGuangdongPlant = 17;
constexpr int64_t kBeijingPlant = 23;

ReferenceCodes Codes() {
  ReferenceCodes codes;
  codes.provinces[kGuangdong].set_name_en("Guangdong");
  codes.provinces[kBeijing].set_name_en("Beijing");
  return codes;
}

Principal National() {
  Principal principal;
  principal.id = 2;
  principal.role = v1::ROLE_NATIONAL;
  return principal;
}

Principal Regulator(uint32_t province) {
  Principal principal;
  principal.id = 3;
  principal.role = v1::ROLE_PROVINCIAL;
  principal.province = province;
  return principal;
}

Principal Enterprise(int64_t enterprise_id, uint32_t province) {
  Principal principal;
  principal.id = 4;
  principal.role = v1::ROLE_ENTERPRISE;
  principal.province = province;
  principal.enterprise_id = enterprise_id;
  return principal;
}

v1::Notification NewNotice() {
  v1::Notification notice;
  notice.set_title("Ransomware campaign against energy SCADA");
  notice.set_body("Block the listed addresses.");
  notice.set_priority(v1::SEVERITY_II);
  notice.set_tlp(v1::TLP_AMBER);
  notice.add_targets()->set_province(kGuangdong);
  return notice;
}

std::unordered_map<int64_t, storage::EnterpriseFacts> Enterprises() {
  std::unordered_map<int64_t, storage::EnterpriseFacts> facts;
  facts[kGuangdongPlant].province = kGuangdong;
  facts[kBeijingPlant].province = kBeijing;
  return facts;
}

// A stored notice: national to Guangdong, or Guangdong to its plant, with one target in `state`.
v1::Notification Stored(bool national, v1::TargetState state) {
  v1::Notification notice;
  notice.set_id(9);
  notice.set_level(national ? v1::NOTIFICATION_LEVEL_NATIONAL : v1::NOTIFICATION_LEVEL_PROVINCIAL);
  notice.set_issuer_province(national ? 0 : kGuangdong);
  v1::NotificationTarget* target = notice.add_targets();
  target->set_id(31);
  target->set_province(kGuangdong);
  if (!national) target->set_enterprise_id(kGuangdongPlant);
  target->set_state(state);
  return notice;
}

std::vector<std::string> Fields(const FieldViolations& violations) {
  std::vector<std::string> fields;
  for (const FieldViolation& violation : violations) fields.push_back(violation.field);
  return fields;
}

TEST(DefaultResponseTimeTest, FollowsPriority) {
  EXPECT_EQ(DefaultResponseTime(v1::SEVERITY_I), hours(1));
  EXPECT_EQ(DefaultResponseTime(v1::SEVERITY_II), hours(2));
  EXPECT_EQ(DefaultResponseTime(v1::SEVERITY_III), hours(24));
  EXPECT_EQ(DefaultResponseTime(v1::SEVERITY_IV), hours(72));
}

TEST(CheckNewNoticeTest, AcceptsAValidNotice) {
  EXPECT_TRUE(CheckNewNotice(NewNotice(), Codes(), kNow).empty());
}

struct BadNotice {
  const char* name;
  void (*spoil)(v1::Notification&);
  const char* field;
  const char* reason;
};

TEST(CheckNewNoticeTest, NamesEachWrongField) {
  const BadNotice cases[] = {
      {"no title", [](v1::Notification& n) { n.clear_title(); }, "notification.title", "REQUIRED"},
      {"long title", [](v1::Notification& n) { n.set_title(std::string(301, 'x')); },
       "notification.title", "TOO_LONG"},
      {"control character", [](v1::Notification& n) { n.set_title("a\x1b[31m"); },
       "notification.title", "CONTROL_CHARACTER"},
      {"no priority", [](v1::Notification& n) { n.clear_priority(); }, "notification.priority",
       "INVALID_ENUM"},
      {"unknown tlp", [](v1::Notification& n) { n.set_tlp(static_cast<v1::Tlp>(77)); },
       "notification.tlp", "INVALID_ENUM"},
      {"no targets", [](v1::Notification& n) { n.clear_targets(); }, "notification.targets",
       "REQUIRED"},
      {"empty target", [](v1::Notification& n) { n.add_targets(); }, "notification.targets[1]",
       "REQUIRED"},
      {"unknown province", [](v1::Notification& n) { n.mutable_targets(0)->set_province(999999); },
       "notification.targets[0].province", "UNKNOWN_PROVINCE"},
      {"negative enterprise",
       [](v1::Notification& n) { n.mutable_targets(0)->set_enterprise_id(-5); },
       "notification.targets[0].enterprise_id", "OUT_OF_RANGE"},
      {"duplicate target", [](v1::Notification& n) { n.add_targets()->set_province(kGuangdong); },
       "notification.targets[1]", "DUPLICATE_TARGET"},
      {"bad incident id", [](v1::Notification& n) { n.add_incident_ids(0); },
       "notification.incident_ids[0]", "OUT_OF_RANGE"},
      {"bad cve", [](v1::Notification& n) { n.add_cve_ids("CVE-21-1"); }, "notification.cve_ids[0]",
       "INVALID_CVE_ID"},
      {"deadline passed",
       [](v1::Notification& n) { *n.mutable_response_deadline() = ToTimestamp(kNow - hours(1)); },
       "notification.response_deadline", "DEADLINE_PASSED"},
      {"deadline too far",
       [](v1::Notification& n) {
         *n.mutable_response_deadline() = ToTimestamp(kNow + hours(24 * 400));
       },
       "notification.response_deadline", "TOO_FAR_AHEAD"},
  };
  for (const BadNotice& bad : cases) {
    v1::Notification notice = NewNotice();
    bad.spoil(notice);
    const FieldViolations violations = CheckNewNotice(notice, Codes(), kNow);
    ASSERT_EQ(violations.size(), 1u) << bad.name;
    EXPECT_EQ(violations[0].field, bad.field) << bad.name;
    EXPECT_EQ(violations[0].reason, bad.reason) << bad.name;
  }
}

TEST(CompleteNewNoticeTest, DefaultsTheDeadlineFromPriorityAndTakesLevelFromTheIssuer) {
  const v1::Notification national = CompleteNewNotice(National(), NewNotice(), kNow);
  EXPECT_EQ(national.level(), v1::NOTIFICATION_LEVEL_NATIONAL);
  EXPECT_EQ(national.issuer_province(), 0u);
  EXPECT_EQ(national.origin(), v1::NOTIFICATION_ORIGIN_MANUAL);
  EXPECT_EQ(FromTimestamp(national.response_deadline()), kNow + hours(2));

  v1::Notification requested = NewNotice();
  *requested.mutable_response_deadline() = ToTimestamp(kNow + hours(5));
  const v1::Notification provincial = CompleteNewNotice(Regulator(kGuangdong), requested, kNow);
  EXPECT_EQ(provincial.level(), v1::NOTIFICATION_LEVEL_PROVINCIAL);
  EXPECT_EQ(provincial.issuer_province(), kGuangdong);
  EXPECT_EQ(FromTimestamp(provincial.response_deadline()), kNow + hours(5));
}

TEST(PlanTargetsTest, NationalNotifiesProvincesOnly) {
  v1::Notification notice = NewNotice();
  notice.add_targets()->set_province(kBeijing);
  const auto planned = PlanTargets(National(), notice, Enterprises());
  ASSERT_TRUE(planned.ok());
  ASSERT_EQ(planned.value().size(), 2u);
  EXPECT_EQ(planned.value()[1].province, kBeijing);
  EXPECT_EQ(planned.value()[1].enterprise_id, 0);

  notice.add_targets()->set_enterprise_id(kGuangdongPlant);
  const auto refused = PlanTargets(National(), notice, Enterprises());
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::kPermissionDenied);
  EXPECT_NE(refused.error().message.find("notification.targets[2].enterprise_id"),
            std::string::npos);
}

TEST(PlanTargetsTest, ProvinceNotifiesRegisteredEnterprisesOfItsOwnProvinceOnly) {
  v1::Notification notice = NewNotice();
  notice.mutable_targets(0)->Clear();
  notice.mutable_targets(0)->set_enterprise_id(kGuangdongPlant);
  const auto planned = PlanTargets(Regulator(kGuangdong), notice, Enterprises());
  ASSERT_TRUE(planned.ok());
  EXPECT_EQ(planned.value()[0].province, kGuangdong);
  EXPECT_EQ(planned.value()[0].enterprise_id, kGuangdongPlant);

  notice.mutable_targets(0)->set_enterprise_id(kBeijingPlant);
  const auto foreign = PlanTargets(Regulator(kGuangdong), notice, Enterprises());
  ASSERT_FALSE(foreign.ok());
  EXPECT_EQ(foreign.error().code, ErrorCode::kPermissionDenied);
  EXPECT_NE(foreign.error().message.find("notification.targets[0].enterprise_id"),
            std::string::npos);

  notice.mutable_targets(0)->set_enterprise_id(999);
  const auto unknown = PlanTargets(Regulator(kGuangdong), notice, Enterprises());
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(Fields(unknown.error().violations),
            std::vector<std::string>{"notification.targets[0].enterprise_id"});

  const auto to_province = PlanTargets(Regulator(kGuangdong), NewNotice(), Enterprises());
  ASSERT_FALSE(to_province.ok());
  EXPECT_EQ(to_province.error().code, ErrorCode::kPermissionDenied);
  EXPECT_NE(to_province.error().message.find("notification.targets[0].province"),
            std::string::npos);
}

TEST(PartiesTest, AddresseeAndIssuerFollowTheTargetAndTheLevel) {
  const v1::Notification national = Stored(true, v1::TARGET_STATE_DELIVERED);
  EXPECT_TRUE(IsAddressee(Regulator(kGuangdong), national.targets(0)));
  EXPECT_FALSE(IsAddressee(Regulator(kBeijing), national.targets(0)));
  EXPECT_FALSE(IsAddressee(Enterprise(kGuangdongPlant, kGuangdong), national.targets(0)));
  EXPECT_TRUE(IsIssuer(National(), national));
  EXPECT_FALSE(IsIssuer(Regulator(kGuangdong), national));

  const v1::Notification provincial = Stored(false, v1::TARGET_STATE_DELIVERED);
  EXPECT_TRUE(IsAddressee(Enterprise(kGuangdongPlant, kGuangdong), provincial.targets(0)));
  EXPECT_FALSE(IsAddressee(Regulator(kGuangdong), provincial.targets(0)));
  EXPECT_TRUE(IsIssuer(Regulator(kGuangdong), provincial));
  EXPECT_FALSE(IsIssuer(Regulator(kBeijing), provincial));
  EXPECT_FALSE(IsIssuer(National(), provincial));

  // A rule notice to the national centre itself: its province is where the incident is.
  v1::Notification to_centre = Stored(true, v1::TARGET_STATE_DELIVERED);
  to_centre.mutable_targets(0)->set_national(true);
  EXPECT_TRUE(IsAddressee(National(), to_centre.targets(0)));
  EXPECT_FALSE(IsAddressee(Regulator(kGuangdong), to_centre.targets(0)));
  EXPECT_FALSE(IsAddressee(National(), national.targets(0)));
}

TEST(DecideAcknowledgeTest, OnlyTheRecipientAcknowledgesADeliveredTarget) {
  const auto acknowledged =
      DecideAcknowledge(Regulator(kGuangdong), Stored(true, v1::TARGET_STATE_DELIVERED));
  ASSERT_TRUE(acknowledged.ok());
  ASSERT_EQ(acknowledged.value().size(), 1u);
  EXPECT_EQ(acknowledged.value()[0].target_id, 31);
  EXPECT_EQ(acknowledged.value()[0].state, v1::TARGET_STATE_ACKNOWLEDGED);

  EXPECT_EQ(DecideAcknowledge(National(), Stored(true, v1::TARGET_STATE_DELIVERED)).error().code,
            ErrorCode::kPermissionDenied);
  EXPECT_EQ(
      DecideAcknowledge(Regulator(kBeijing), Stored(true, v1::TARGET_STATE_DELIVERED)).error().code,
      ErrorCode::kPermissionDenied);
  EXPECT_EQ(DecideAcknowledge(Regulator(kGuangdong), Stored(true, v1::TARGET_STATE_ACKNOWLEDGED))
                .error()
                .code,
            ErrorCode::kFailedPrecondition);
  EXPECT_EQ(
      DecideAcknowledge(Regulator(kGuangdong), Stored(true, v1::TARGET_STATE_CLOSED)).error().code,
      ErrorCode::kFailedPrecondition);
}

TEST(DecideFeedbackTest, ComesOnlyAfterAcknowledgement) {
  v1::SubmitFeedbackRequest request;
  request.set_notification_id(9);
  request.set_text("Patched and isolated.");
  request.set_outcome(v1::FEEDBACK_OUTCOME_FIXED);
  request.add_incident_ids(5);
  const Principal plant = Enterprise(kGuangdongPlant, kGuangdong);

  const auto early = DecideFeedback(plant, Stored(false, v1::TARGET_STATE_DELIVERED), request);
  ASSERT_FALSE(early.ok());
  EXPECT_EQ(early.error().code, ErrorCode::kFailedPrecondition);
  EXPECT_NE(early.error().message.find("acknowledge"), std::string::npos);

  const auto submitted =
      DecideFeedback(plant, Stored(false, v1::TARGET_STATE_ACKNOWLEDGED), request);
  ASSERT_TRUE(submitted.ok());
  EXPECT_EQ(submitted.value()[0].state, v1::TARGET_STATE_FEEDBACK_SUBMITTED);
  EXPECT_EQ(submitted.value()[0].text, "Patched and isolated.");
  EXPECT_EQ(submitted.value()[0].outcome, v1::FEEDBACK_OUTCOME_FIXED);
  EXPECT_EQ(submitted.value()[0].incident_ids, std::vector<int64_t>{5});

  EXPECT_EQ(DecideFeedback(plant, Stored(false, v1::TARGET_STATE_FEEDBACK_SUBMITTED), request)
                .error()
                .code,
            ErrorCode::kFailedPrecondition);
  EXPECT_EQ(
      DecideFeedback(Regulator(kGuangdong), Stored(false, v1::TARGET_STATE_ACKNOWLEDGED), request)
          .error()
          .code,
      ErrorCode::kPermissionDenied);
}

TEST(DecideCloseTest, OnlyTheIssuerClosesOpenTargets) {
  v1::CloseNotificationRequest whole;
  whole.set_notification_id(9);
  whole.set_remark("Handled.");
  const auto closed =
      DecideClose(Regulator(kGuangdong), Stored(false, v1::TARGET_STATE_FEEDBACK_SUBMITTED), whole);
  ASSERT_TRUE(closed.ok());
  ASSERT_EQ(closed.value().size(), 1u);
  EXPECT_EQ(closed.value()[0].state, v1::TARGET_STATE_CLOSED);
  EXPECT_EQ(closed.value()[0].text, "Handled.");

  EXPECT_EQ(DecideClose(Enterprise(kGuangdongPlant, kGuangdong),
                        Stored(false, v1::TARGET_STATE_FEEDBACK_SUBMITTED), whole)
                .error()
                .code,
            ErrorCode::kPermissionDenied);
  EXPECT_EQ(DecideClose(Regulator(kGuangdong), Stored(true, v1::TARGET_STATE_DELIVERED), whole)
                .error()
                .code,
            ErrorCode::kPermissionDenied);
  EXPECT_EQ(DecideClose(Regulator(kGuangdong), Stored(false, v1::TARGET_STATE_CLOSED), whole)
                .error()
                .code,
            ErrorCode::kFailedPrecondition);

  v1::CloseNotificationRequest named = whole;
  named.add_provinces(kBeijing);
  const auto stranger = DecideClose(National(), Stored(true, v1::TARGET_STATE_ACKNOWLEDGED), named);
  ASSERT_FALSE(stranger.ok());
  EXPECT_EQ(Fields(stranger.error().violations), std::vector<std::string>{"provinces[0]"});
  named.set_provinces(0, kGuangdong);
  EXPECT_TRUE(DecideClose(National(), Stored(true, v1::TARGET_STATE_ACKNOWLEDGED), named).ok());
}

TEST(CheckFeedbackTest, NamesEachWrongField) {
  v1::SubmitFeedbackRequest request;
  request.set_text(std::string(10'001, 'x'));
  request.set_outcome(static_cast<v1::FeedbackOutcome>(9));
  request.add_incident_ids(-1);
  EXPECT_EQ(Fields(CheckFeedback(request)),
            (std::vector<std::string>{"notification_id", "text", "outcome", "incident_ids[0]"}));
}

}  // namespace
}  // namespace sitrep::notifications
