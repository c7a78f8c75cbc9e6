// Values no caller can mean, in every request of every service, through a real channel: every
// Timestamp out of its range, every id out of its column's, references to records the caller
// cannot see, cursors beyond their feed's end, and an enterprise writing in another province.
// Each answer is a precise status naming the field (issue #14), never an unnamed database
// error, an overflowed time or a wait that never ends.
#include <google/protobuf/timestamp.pb.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "domain/page_token.h"
#include "sitrep/v1/feed.grpc.pb.h"
#include "sitrep/v1/notification.grpc.pb.h"
#include "sitrep/v1/report.grpc.pb.h"
#include "tests/push_client.h"
#include "tests/record_samples.h"
#include "tests/server_fixture.h"

namespace sitrep::testing {
namespace {

using google::protobuf::Timestamp;

constexpr uint32_t kGuangdong = 440000;
constexpr uint32_t kBeijing = 110000;

// What a call answered: its code and the field paths of its BadRequest. A Push answers a bad
// record with a rejection instead; its path is "incidents[i].<field>" here.
struct Answer {
  grpc::StatusCode code = grpc::StatusCode::OK;
  std::vector<std::string> fields;
  std::string message;
};

Answer AnswerOf(const grpc::Status& status) {
  return {status.error_code(), ViolatedFields(status), status.error_message()};
}

bool Names(const Answer& answer, const std::string& field) {
  return std::find(answer.fields.begin(), answer.fields.end(), field) != answer.fields.end();
}

std::string Describe(const Answer& answer) {
  std::string text = "code " + std::to_string(answer.code) + " \"" + answer.message + "\" fields";
  for (const std::string& field : answer.fields) text += " " + field;
  return text;
}

Timestamp Time(int64_t seconds, int32_t nanos = 0) {
  Timestamp time;
  time.set_seconds(seconds);
  time.set_nanos(nanos);
  return time;
}

class RequestRangeTest : public ServerFixture {
 protected:
  void SetUp() override {
    ServerFixture::SetUp();
    feeds_ = v1::FeedService::NewStub(channel_);
    reports_ = v1::ReportService::NewStub(channel_);
    notices_ = v1::NotificationService::NewStub(channel_);
    national_ = TokenFor(v1::ROLE_NATIONAL);
    guangdong_ = TokenFor(v1::ROLE_PROVINCIAL, kGuangdong);
    guangdong_collector_ = TokenFor(v1::ROLE_COLLECTOR, kGuangdong);
    beijing_collector_ = TokenFor(v1::ROLE_COLLECTOR, kBeijing);
    plant_ = RegisterEnterprise(kGuangdong);
    plant_token_ = TokenFor(v1::ROLE_ENTERPRISE, 0, plant_.id());
  }

  // Reads a server stream's first message (cancelling the call if one comes: a request that
  // should have been refused was served) and returns its final status.
  template <class Response>
  static grpc::Status FirstOf(grpc::ClientContext& context,
                              grpc::ClientReaderInterface<Response>& stream) {
    Response response;
    if (stream.Read(&response)) context.TryCancel();
    return stream.Finish();
  }

  Answer ListIncidents(const std::function<void(v1::ListIncidentsRequest&)>& set) {
    v1::ListIncidentsRequest request;
    set(request);
    v1::ListIncidentsResponse response;
    return AnswerOf(feeds_->ListIncidents(As(national_).get(), request, &response));
  }

  Answer ListAssets(const std::function<void(v1::ListAssetsRequest&)>& set) {
    v1::ListAssetsRequest request;
    set(request);
    v1::ListAssetsResponse response;
    return AnswerOf(feeds_->ListAssets(As(national_).get(), request, &response));
  }

  Answer WatchIncidents(const std::function<void(v1::WatchIncidentsRequest&)>& set) {
    v1::WatchIncidentsRequest request;
    set(request);
    const auto context = As(national_);
    return AnswerOf(FirstOf(*context, *feeds_->WatchIncidents(context.get(), request)));
  }

  Answer WatchAssets(const std::function<void(v1::WatchAssetsRequest&)>& set) {
    v1::WatchAssetsRequest request;
    set(request);
    const auto context = As(national_);
    return AnswerOf(FirstOf(*context, *feeds_->WatchAssets(context.get(), request)));
  }

  Answer WatchNotifications(const std::string& cursor) {
    v1::WatchNotificationsRequest request;
    request.set_cursor(cursor);
    const auto context = As(guangdong_);
    return AnswerOf(FirstOf(*context, *notices_->WatchNotifications(context.get(), request)));
  }

  Answer GetSituation(const std::function<void(v1::GetSituationRequest&)>& set) {
    v1::GetSituationRequest request;
    set(request);
    v1::Situation response;
    return AnswerOf(feeds_->GetSituation(As(national_).get(), request, &response));
  }

  Answer Report(const v1::Incident& incident, const std::string& token) {
    v1::ReportIncidentRequest request;
    *request.mutable_incident() = incident;
    v1::ReportIncidentResponse response;
    return AnswerOf(reports_->ReportIncident(As(token).get(), request, &response));
  }

  // Reports a sample incident as `token` and returns its id.
  int64_t Reported(const v1::Incident& incident, const std::string& token) {
    v1::ReportIncidentRequest request;
    *request.mutable_incident() = incident;
    v1::ReportIncidentResponse response;
    const grpc::Status status = reports_->ReportIncident(As(token).get(), request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return response.incident().id();
  }

  // Pushes one asset as `token` and returns its id (read back through the national feed).
  int64_t Pushed(const v1::Asset& asset, const std::string& token) {
    v1::PushBatch batch;
    *batch.add_assets() = asset;
    const PushResult result = PushAll(*channel_, token, {batch});
    EXPECT_TRUE(result.status.ok()) << result.status.error_message();
    v1::ListAssetsRequest request;
    request.mutable_filter()->add_provinces(asset.province());
    v1::ListAssetsResponse response;
    EXPECT_TRUE(feeds_->ListAssets(As(national_).get(), request, &response).ok());
    for (const v1::Asset& listed : response.assets()) {
      if (listed.asset_key() == asset.asset_key()) return listed.id();
    }
    ADD_FAILURE() << "asset " << asset.asset_key() << " was not stored";
    return 0;
  }

  // One incident pushed by the collector of the incident's province: the rejection of its
  // only record as an Answer, or OK.
  Answer PushIncident(const v1::Incident& incident, const std::string& token) {
    v1::PushBatch batch;
    *batch.add_incidents() = incident;
    const PushResult result = PushAll(*channel_, token, {batch});
    if (!result.status.ok()) return AnswerOf(result.status);
    if (result.acks.empty() || result.acks[0].rejections().empty()) return {};
    const v1::Rejection& rejection = result.acks[0].rejections(0);
    return {grpc::StatusCode::INVALID_ARGUMENT,
            {"incidents[" + std::to_string(rejection.index()) + "]." + rejection.field()},
            rejection.reason() + ": " + rejection.message()};
  }

  Answer PushAsset(const v1::Asset& asset) {
    v1::PushBatch batch;
    *batch.add_assets() = asset;
    const PushResult result = PushAll(*channel_, guangdong_collector_, {batch});
    if (!result.status.ok()) return AnswerOf(result.status);
    if (result.acks.empty() || result.acks[0].rejections().empty()) return {};
    const v1::Rejection& rejection = result.acks[0].rejections(0);
    return {grpc::StatusCode::INVALID_ARGUMENT,
            {"assets[" + std::to_string(rejection.index()) + "]." + rejection.field()},
            rejection.reason() + ": " + rejection.message()};
  }

  Answer Amend(int64_t id, const v1::Incident& values, const std::string& path) {
    v1::AmendIncidentRequest request;
    request.set_incident_id(id);
    request.set_kind(v1::AMENDMENT_KIND_FOLLOW_UP);
    *request.mutable_incident() = values;
    request.mutable_update_mask()->add_paths(path);
    v1::Incident response;
    return AnswerOf(reports_->AmendIncident(As(plant_token_).get(), request, &response));
  }

  // A national notice to `province`.
  static v1::IssueNotificationRequest Notice(uint32_t province) {
    v1::IssueNotificationRequest request;
    v1::Notification* notice = request.mutable_notification();
    notice->set_title("请排查 HMI 暴露面");
    notice->set_priority(v1::SEVERITY_III);
    notice->set_tlp(v1::TLP_AMBER);
    notice->add_targets()->set_province(province);
    return request;
  }

  // A provincial notice to the plant.
  v1::IssueNotificationRequest NoticeToPlant() const {
    v1::IssueNotificationRequest request = Notice(0);
    request.mutable_notification()->mutable_targets(0)->set_enterprise_id(plant_.id());
    return request;
  }

  Answer Issue(const v1::IssueNotificationRequest& request, const std::string& token) {
    v1::Notification response;
    return AnswerOf(notices_->IssueNotification(As(token).get(), request, &response));
  }

  Answer ListNotifications(const std::function<void(v1::ListNotificationsRequest&)>& set) {
    v1::ListNotificationsRequest request;
    set(request);
    v1::ListNotificationsResponse response;
    return AnswerOf(notices_->ListNotifications(As(guangdong_).get(), request, &response));
  }

  Answer Feedback(int64_t notification_id, const std::vector<int64_t>& incident_ids) {
    v1::SubmitFeedbackRequest request;
    request.set_notification_id(notification_id);
    request.set_text("已隔离受影响的 HMI。");
    request.set_outcome(v1::FEEDBACK_OUTCOME_MITIGATED);
    for (const int64_t id : incident_ids) request.add_incident_ids(id);
    v1::Notification response;
    return AnswerOf(notices_->SubmitFeedback(As(plant_token_).get(), request, &response));
  }

  Answer IssueToken(int64_t principal_id, const Timestamp* expire_time) {
    v1::IssueTokenRequest request;
    request.set_principal_id(principal_id);
    if (expire_time != nullptr) *request.mutable_expire_time() = *expire_time;
    v1::IssueTokenResponse response;
    return AnswerOf(registry_->IssueToken(As(admin_token_).get(), request, &response));
  }

  Answer ListAuditEntries(const std::function<void(v1::ListAuditEntriesRequest&)>& set) {
    v1::ListAuditEntriesRequest request;
    set(request);
    v1::ListAuditEntriesResponse response;
    return AnswerOf(registry_->ListAuditEntries(As(admin_token_).get(), request, &response));
  }

  // The end of the incident feed now, as far as a client can know it: one past the newest
  // position, that of an incident reported just now. PostgreSQL's next transaction id (the end
  // the server checks against) lies at most a few audit writes beyond it.
  [[nodiscard]] uint64_t FeedEnd() {
    EXPECT_EQ(Report(SampleIncident("feed-end", kGuangdong, clock_.Now()), plant_token_).code,
              grpc::StatusCode::OK);
    v1::ListIncidentsRequest request;
    request.set_page_size(1000);
    uint64_t newest = 0;
    for (;;) {
      v1::ListIncidentsResponse page;
      EXPECT_TRUE(feeds_->ListIncidents(As(national_).get(), request, &page).ok());
      if (page.incidents().empty()) return newest + 1;
      newest = DecodeFeedCursor("incidents", page.incidents().rbegin()->cursor())->xid;
      request.set_page_token(page.next_page_token());
    }
  }

  std::unique_ptr<v1::FeedService::Stub> feeds_;
  std::unique_ptr<v1::ReportService::Stub> reports_;
  std::unique_ptr<v1::NotificationService::Stub> notices_;
  std::string national_, guangdong_, guangdong_collector_, beijing_collector_, plant_token_;
  v1::Enterprise plant_;
};

// --- Timestamps -------------------------------------------------------------------------------

struct BadTime {
  const char* name;
  Timestamp time;
};

const std::vector<BadTime>& BadTimes() {
  static const std::vector<BadTime> times = {
      {"nanos -1", Time(1'750'000'000, -1)},
      {"nanos 1e9", Time(1'750'000'000, 1'000'000'000)},
      {"year 10000", Time(253'402'300'800)},
      {"2^62 seconds", Time(int64_t{1} << 62)},
      {"-2^62 seconds", Time(-(int64_t{1} << 62))},
  };
  return times;
}

struct TimestampField {
  std::string field;  // the path the answer must name
  std::function<Answer(const Timestamp&)> call;
};

TEST_F(RequestRangeTest, EveryTimestampOutOfRangeIsInvalidArgumentNamingItsField) {
  const int64_t incident_id =
      Reported(SampleIncident("amend-me", kGuangdong, clock_.Now()), plant_token_);
  const int64_t existing_principal = 2;  // the bootstrap admin is 1, then SetUp's principals
  using Range = v1::TimeRange;
  using SetBound = void (*)(Range*, const Timestamp&);
  const struct {
    std::string name;
    SetBound set;
  } bounds[] = {
      {"start_time", [](Range* range, const Timestamp& t) { *range->mutable_start_time() = t; }},
      {"end_time", [](Range* range, const Timestamp& t) { *range->mutable_end_time() = t; }},
  };
  std::vector<TimestampField> fields;
  for (const auto& bound : bounds) {
    const std::string b = bound.name;
    const SetBound set = bound.set;
    fields.push_back({"filter.occur_time." + b, [&, set](const Timestamp& t) {
                        return ListIncidents(
                            [&](auto& r) { set(r.mutable_filter()->mutable_occur_time(), t); });
                      }});
    fields.push_back({"filter.receive_time." + b, [&, set](const Timestamp& t) {
                        return ListIncidents(
                            [&](auto& r) { set(r.mutable_filter()->mutable_receive_time(), t); });
                      }});
    fields.push_back({"filter.last_seen_time." + b, [&, set](const Timestamp& t) {
                        return ListAssets(
                            [&](auto& r) { set(r.mutable_filter()->mutable_last_seen_time(), t); });
                      }});
    fields.push_back({"filter.occur_time." + b, [&, set](const Timestamp& t) {
                        return WatchIncidents(
                            [&](auto& r) { set(r.mutable_filter()->mutable_occur_time(), t); });
                      }});
    fields.push_back({"filter.receive_time." + b, [&, set](const Timestamp& t) {
                        return WatchIncidents(
                            [&](auto& r) { set(r.mutable_filter()->mutable_receive_time(), t); });
                      }});
    fields.push_back({"filter.last_seen_time." + b, [&, set](const Timestamp& t) {
                        return WatchAssets(
                            [&](auto& r) { set(r.mutable_filter()->mutable_last_seen_time(), t); });
                      }});
    fields.push_back({"time_range." + b, [&, set](const Timestamp& t) {
                        return GetSituation([&](auto& r) { set(r.mutable_time_range(), t); });
                      }});
    fields.push_back({"create_time." + b, [&, set](const Timestamp& t) {
                        return ListNotifications([&](auto& r) { set(r.mutable_create_time(), t); });
                      }});
    fields.push_back({"time_range." + b, [&, set](const Timestamp& t) {
                        return ListAuditEntries([&](auto& r) { set(r.mutable_time_range(), t); });
                      }});
  }
  for (const std::string time_field : {"occur_time", "detect_time"}) {
    const auto with = [&, time_field](const Timestamp& t) {
      v1::Incident incident = SampleIncident("bad-time", kGuangdong, clock_.Now());
      const auto* field = v1::Incident::descriptor()->FindFieldByName(time_field);
      incident.GetReflection()->MutableMessage(&incident, field)->CopyFrom(t);
      return incident;
    };
    fields.push_back({"incident." + time_field,
                      [&, with](const Timestamp& t) { return Report(with(t), plant_token_); }});
    fields.push_back({"incidents[0]." + time_field, [&, with](const Timestamp& t) {
                        return PushIncident(with(t), guangdong_collector_);
                      }});
    fields.push_back({"incident." + time_field, [&, with, time_field](const Timestamp& t) {
                        return Amend(incident_id, with(t), time_field);
                      }});
  }
  fields.push_back({"assets[0].last_seen_time", [&](const Timestamp& t) {
                      v1::Asset asset = SampleAsset("plc-1", kGuangdong, clock_.Now());
                      *asset.mutable_last_seen_time() = t;
                      return PushAsset(asset);
                    }});
  fields.push_back({"notification.response_deadline", [&](const Timestamp& t) {
                      v1::IssueNotificationRequest request = Notice(kGuangdong);
                      *request.mutable_notification()->mutable_response_deadline() = t;
                      return Issue(request, national_);
                    }});
  fields.push_back(
      {"expire_time", [&](const Timestamp& t) { return IssueToken(existing_principal, &t); }});

  for (const TimestampField& field : fields) {
    for (const BadTime& bad : BadTimes()) {
      SCOPED_TRACE(field.field + " = " + bad.name);
      const Answer answer = field.call(bad.time);
      EXPECT_EQ(answer.code, grpc::StatusCode::INVALID_ARGUMENT) << Describe(answer);
      EXPECT_TRUE(Names(answer, field.field)) << Describe(answer);
    }
  }
}

TEST_F(RequestRangeTest, FarFutureTimesAreNotCalledPast) {
  // Year 9999 is a valid Timestamp: a token may last that long, and its expiry is not "past".
  const Timestamp year_9999 = Time(253'402'300'799, 999'999'999);
  EXPECT_EQ(IssueToken(2, &year_9999).code, grpc::StatusCode::OK);
  // A deadline four centuries ahead is too far ahead, not passed.
  v1::IssueNotificationRequest request = Notice(kGuangdong);
  *request.mutable_notification()->mutable_response_deadline() =
      Time(1'750'000'000 + int64_t{400} * 366 * 86'400);
  const Answer answer = Issue(request, national_);
  ASSERT_EQ(answer.code, grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_TRUE(Names(answer, "notification.response_deadline"));
  EXPECT_EQ(answer.message.find("future"), std::string::npos) << answer.message;
  EXPECT_NE(answer.message.find("within a year"), std::string::npos) << answer.message;
}

TEST_F(RequestRangeTest, AnUnknownUpdateMaskPathIsUnknownNotImmutable) {
  const int64_t id = Reported(SampleIncident("mask", kGuangdong, clock_.Now()), plant_token_);
  v1::AmendIncidentRequest request;
  request.set_incident_id(id);
  request.set_kind(v1::AMENDMENT_KIND_FOLLOW_UP);
  request.mutable_update_mask()->add_paths("severity");
  request.mutable_update_mask()->add_paths("severty");
  request.mutable_update_mask()->add_paths("province");
  v1::Incident response;
  const grpc::Status status = reports_->AmendIncident(As(plant_token_).get(), request, &response);
  ASSERT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(ViolatedFields(status),
            (std::vector<std::string>{"update_mask.paths[1]", "update_mask.paths[2]"}));
  EXPECT_NE(status.error_message().find("names no field"), std::string::npos)
      << status.error_message();
}

// --- Ids --------------------------------------------------------------------------------------

struct IdField {
  std::string field;
  grpc::StatusCode beyond_any_row;  // the answer to 2^31 and 2^32 (no such row)
  std::function<Answer(int64_t)> call;
};

TEST_F(RequestRangeTest, EveryIdOutsideItsColumnIsNamedAndLargeOnesAreSimplyAbsent) {
  using Code = grpc::StatusCode;
  const int64_t incident_id =
      Reported(SampleIncident("ids", kGuangdong, clock_.Now()), plant_token_);
  std::vector<IdField> fields = {
      {"id", Code::NOT_FOUND,
       [&](int64_t id) {
         v1::GetIncidentRequest request;
         request.set_id(id);
         v1::Incident response;
         return AnswerOf(feeds_->GetIncident(As(national_).get(), request, &response));
       }},
      {"id", Code::NOT_FOUND,
       [&](int64_t id) {
         v1::GetAssetRequest request;
         request.set_id(id);
         v1::Asset response;
         return AnswerOf(feeds_->GetAsset(As(national_).get(), request, &response));
       }},
      {"filter.enterprise_id", Code::OK,
       [&](int64_t id) {
         return ListIncidents([&](auto& r) { r.mutable_filter()->set_enterprise_id(id); });
       }},
      {"filter.enterprise_id", Code::OK,
       [&](int64_t id) {
         return ListAssets([&](auto& r) { r.mutable_filter()->set_enterprise_id(id); });
       }},
      {"incident.enterprise_id", Code::INVALID_ARGUMENT,
       [&](int64_t id) {
         v1::Incident incident = SampleIncident("ids-2", kGuangdong, clock_.Now());
         incident.set_enterprise_id(id);
         return Report(incident, guangdong_collector_);
       }},
      {"incident_id", Code::NOT_FOUND,
       [&](int64_t id) {
         v1::Incident values;
         values.set_severity(v1::SEVERITY_II);
         return Amend(id, values, "severity");
       }},
      {"incident_id", Code::NOT_FOUND,
       [&](int64_t id) {
         v1::ListIncidentRevisionsRequest request;
         request.set_incident_id(id);
         v1::ListIncidentRevisionsResponse response;
         return AnswerOf(
             reports_->ListIncidentRevisions(As(plant_token_).get(), request, &response));
       }},
      {"id", Code::NOT_FOUND,
       [&](int64_t id) {
         v1::GetNotificationRequest request;
         request.set_id(id);
         v1::Notification response;
         return AnswerOf(notices_->GetNotification(As(guangdong_).get(), request, &response));
       }},
      {"notification_id", Code::NOT_FOUND,
       [&](int64_t id) {
         v1::AcknowledgeRequest request;
         request.set_notification_id(id);
         v1::Notification response;
         return AnswerOf(notices_->Acknowledge(As(guangdong_).get(), request, &response));
       }},
      {"notification_id", Code::NOT_FOUND, [&](int64_t id) { return Feedback(id, {}); }},
      {"incident_ids[1]", Code::INVALID_ARGUMENT,
       [&](int64_t id) {
         return Feedback(1, {incident_id, id});
       }},
      {"notification_id", Code::NOT_FOUND,
       [&](int64_t id) {
         v1::CloseNotificationRequest request;
         request.set_notification_id(id);
         v1::Notification response;
         return AnswerOf(notices_->CloseNotification(As(guangdong_).get(), request, &response));
       }},
      {"enterprise_ids[0]", Code::NOT_FOUND,  // the notice 2^31 is absent before the target
       [&](int64_t id) {
         v1::CloseNotificationRequest request;
         request.set_notification_id(int64_t{1} << 31);
         request.add_enterprise_ids(id);
         v1::Notification response;
         return AnswerOf(notices_->CloseNotification(As(guangdong_).get(), request, &response));
       }},
      {"notification.incident_ids[0]", Code::INVALID_ARGUMENT,
       [&](int64_t id) {
         v1::IssueNotificationRequest request = Notice(kGuangdong);
         request.mutable_notification()->add_incident_ids(id);
         return Issue(request, national_);
       }},
      {"notification.asset_ids[0]", Code::INVALID_ARGUMENT,
       [&](int64_t id) {
         v1::IssueNotificationRequest request = Notice(kGuangdong);
         request.mutable_notification()->add_asset_ids(id);
         return Issue(request, national_);
       }},
      {"id", Code::NOT_FOUND,
       [&](int64_t id) {
         v1::GetEnterpriseRequest request;
         request.set_id(id);
         v1::Enterprise response;
         return AnswerOf(registry_->GetEnterprise(As(admin_token_).get(), request, &response));
       }},
      {"enterprise.id", Code::NOT_FOUND,
       [&](int64_t id) {
         v1::UpdateEnterpriseRequest request;
         request.mutable_enterprise()->set_id(id);
         request.mutable_enterprise()->set_grade(2);
         request.mutable_update_mask()->add_paths("grade");
         v1::Enterprise response;
         return AnswerOf(registry_->UpdateEnterprise(As(admin_token_).get(), request, &response));
       }},
      {"principal.enterprise_id", Code::INVALID_ARGUMENT,
       [&](int64_t id) {
         v1::CreatePrincipalRequest request;
         request.mutable_principal()->set_name("probe-" + std::to_string(id));
         request.mutable_principal()->set_role(v1::ROLE_ENTERPRISE);
         request.mutable_principal()->set_enterprise_id(id);
         v1::Principal response;
         return AnswerOf(registry_->CreatePrincipal(As(admin_token_).get(), request, &response));
       }},
      {"principal_id", Code::NOT_FOUND, [&](int64_t id) { return IssueToken(id, nullptr); }},
      {"principal_id", Code::OK,
       [&](int64_t id) {
         v1::ListTokensRequest request;
         request.set_principal_id(id);
         v1::ListTokensResponse response;
         return AnswerOf(registry_->ListTokens(As(admin_token_).get(), request, &response));
       }},
      {"token_id", Code::NOT_FOUND,
       [&](int64_t id) {
         v1::RevokeTokenRequest request;
         request.set_token_id(id);
         v1::Token response;
         return AnswerOf(registry_->RevokeToken(As(admin_token_).get(), request, &response));
       }},
      {"principal_id", Code::OK,
       [&](int64_t id) { return ListAuditEntries([&](auto& r) { r.set_principal_id(id); }); }},
  };
  // Page tokens carry ids too: one beyond every row pages from the newest (or to nothing).
  const auto page_token = [&](const char* list, auto call) {
    fields.push_back({"page_token", Code::OK,
                      [list, call](int64_t id) { return call(EncodePageToken(list, id)); }});
  };
  page_token("tokens", [&](const std::string& token) {
    v1::ListTokensRequest request;
    request.set_page_token(token);
    v1::ListTokensResponse response;
    return AnswerOf(registry_->ListTokens(As(admin_token_).get(), request, &response));
  });
  page_token("audit", [&](const std::string& token) {
    return ListAuditEntries([&](auto& r) { r.set_page_token(token); });
  });
  page_token("my-incidents", [&](const std::string& token) {
    v1::ListMyIncidentsRequest request;
    request.set_page_token(token);
    v1::ListMyIncidentsResponse response;
    return AnswerOf(reports_->ListMyIncidents(As(plant_token_).get(), request, &response));
  });
  page_token("notifications-inbox", [&](const std::string& token) {
    return ListNotifications([&](auto& r) { r.set_page_token(token); });
  });

  for (const IdField& field : fields) {
    for (const int64_t id : {int64_t{1} << 31, int64_t{1} << 32, int64_t{-1}}) {
      SCOPED_TRACE(field.field + " = " + std::to_string(id));
      const Answer answer = field.call(id);
      const grpc::StatusCode expected =
          id < 0 ? grpc::StatusCode::INVALID_ARGUMENT : field.beyond_any_row;
      EXPECT_EQ(answer.code, expected) << Describe(answer);
      if (expected == grpc::StatusCode::INVALID_ARGUMENT) {
        EXPECT_TRUE(Names(answer, field.field)) << Describe(answer);
      }
    }
  }
}

// --- References -------------------------------------------------------------------------------

// A reference the caller may not see answers exactly like one to nothing, so references
// cannot probe for other provinces' or enterprises' records.
TEST_F(RequestRangeTest, ReferencesToUnseenRecordsAreNamedAndHiddenOnesLookMissing) {
  const int64_t own = Reported(SampleIncident("own", kGuangdong, clock_.Now()), plant_token_);
  v1::Incident secret = SampleIncident("secret", kBeijing, clock_.Now());
  secret.set_sharing_scope(v1::SHARING_SCOPE_PROVINCE);
  const int64_t beijing_only = Reported(secret, beijing_collector_);
  const int64_t guangdong_other =
      Reported(SampleIncident("other", kGuangdong, clock_.Now()), guangdong_collector_);
  const int64_t guangdong_asset =
      Pushed(SampleAsset("plc-gd", kGuangdong, clock_.Now()), guangdong_collector_);
  const int64_t beijing_asset =
      Pushed(SampleAsset("plc-bj", kBeijing, clock_.Now()), beijing_collector_);
  const int64_t missing = beijing_only + guangdong_other + beijing_asset + 1'000'000;

  // A notice delivered to the plant and acknowledged, for its feedback.
  const v1::IssueNotificationRequest to_plant = NoticeToPlant();
  v1::Notification delivered;
  ASSERT_TRUE(notices_->IssueNotification(As(guangdong_).get(), to_plant, &delivered).ok());
  v1::AcknowledgeRequest ack;
  ack.set_notification_id(delivered.id());
  v1::Notification acknowledged;
  ASSERT_TRUE(notices_->Acknowledge(As(plant_token_).get(), ack, &acknowledged).ok());

  struct Reference {
    std::string field;
    int64_t hidden;  // exists, but the caller may not read it
    std::function<Answer(int64_t)> call;
  };
  const std::vector<Reference> references = {
      {"notification.incident_ids[2]", beijing_only,
       [&](int64_t id) {
         v1::IssueNotificationRequest request = NoticeToPlant();
         for (const int64_t ref : {own, guangdong_other, id}) {
           request.mutable_notification()->add_incident_ids(ref);
         }
         return Issue(request, guangdong_);
       }},
      {"notification.asset_ids[1]", beijing_asset,
       [&](int64_t id) {
         v1::IssueNotificationRequest request = NoticeToPlant();
         for (const int64_t ref : {guangdong_asset, id}) {
           request.mutable_notification()->add_asset_ids(ref);
         }
         return Issue(request, guangdong_);
       }},
      {"incident_ids[1]", guangdong_other,  // a collector's record not about the plant
       [&](int64_t id) {
         return Feedback(delivered.id(), {own, id});
       }},
  };
  for (const Reference& reference : references) {
    SCOPED_TRACE(reference.field);
    const Answer hidden = reference.call(reference.hidden);
    const Answer absent = reference.call(missing);
    EXPECT_EQ(absent.code, grpc::StatusCode::INVALID_ARGUMENT) << Describe(absent);
    EXPECT_EQ(absent.fields, std::vector<std::string>{reference.field}) << Describe(absent);
    EXPECT_EQ(hidden.code, absent.code) << Describe(hidden);
    EXPECT_EQ(hidden.fields, absent.fields) << Describe(hidden);
    EXPECT_EQ(hidden.message, absent.message);
  }
  // Visible references are kept.
  v1::IssueNotificationRequest fine = NoticeToPlant();
  fine.mutable_notification()->add_incident_ids(guangdong_other);
  fine.mutable_notification()->add_asset_ids(guangdong_asset);
  EXPECT_EQ(Issue(fine, guangdong_).code, grpc::StatusCode::OK);
  EXPECT_EQ(Feedback(delivered.id(), {own}).code, grpc::StatusCode::OK);
}

// --- Cursors ----------------------------------------------------------------------------------

TEST_F(RequestRangeTest, ACursorBeyondTheFeedsEndIsInvalidArgument) {
  const uint64_t end = FeedEnd();
  for (const uint64_t xid : {end + 1000, uint64_t{1} << 62}) {
    SCOPED_TRACE("xid " + std::to_string(xid));
    const FeedPosition beyond{xid, 0};
    const struct {
      std::string field;
      Answer answer;
    } cases[] = {
        {"page_token",
         ListIncidents([&](auto& r) { r.set_page_token(EncodeFeedCursor("incidents", beyond)); })},
        {"page_token",
         ListAssets([&](auto& r) { r.set_page_token(EncodeFeedCursor("assets", beyond)); })},
        {"cursor",
         WatchIncidents([&](auto& r) { r.set_cursor(EncodeFeedCursor("incidents", beyond)); })},
        {"cursor", WatchAssets([&](auto& r) { r.set_cursor(EncodeFeedCursor("assets", beyond)); })},
        {"cursor", WatchNotifications(EncodeFeedCursor("notification-inbox", beyond))},
    };
    for (const auto& c : cases) {
      EXPECT_EQ(c.answer.code, grpc::StatusCode::INVALID_ARGUMENT) << Describe(c.answer);
      EXPECT_TRUE(Names(c.answer, c.field)) << Describe(c.answer);
    }
  }
}

TEST_F(RequestRangeTest, ACursorAtTheFeedsEndIsValidAndFollowsWhatCommitsNext) {
  // The cursor a position-less server would hand out now, and the one the last page gives.
  const FeedPosition newest{FeedEnd() - 1, INT64_MAX};
  EXPECT_EQ(
      ListIncidents([&](auto& r) { r.set_page_token(EncodeFeedCursor("incidents", newest)); }).code,
      grpc::StatusCode::OK);
  v1::ListIncidentsRequest request;
  v1::ListIncidentsResponse page;
  ASSERT_TRUE(feeds_->ListIncidents(As(national_).get(), request, &page).ok());
  const std::string at_end = page.next_page_token();

  v1::WatchIncidentsRequest watch;
  watch.set_cursor(at_end);
  const auto context = As(national_);
  const auto stream = feeds_->WatchIncidents(context.get(), watch);
  ASSERT_EQ(Report(SampleIncident("next", kGuangdong, clock_.Now()), plant_token_).code,
            grpc::StatusCode::OK);
  v1::WatchIncidentsResponse response;
  bool seen = false;
  while (!seen && stream->Read(&response)) {
    for (const v1::Incident& incident : response.incidents()) {
      seen = seen || incident.external_id() == "next";
    }
  }
  EXPECT_TRUE(seen);
  context->TryCancel();
  static_cast<void>(stream->Finish());
}

// --- Who writes where --------------------------------------------------------------------------

TEST_F(RequestRangeTest, AnEnterpriseWritingInAnotherProvinceIsDeniedOnProvince) {
  const v1::Incident elsewhere = SampleIncident("elsewhere", kBeijing, clock_.Now());
  EXPECT_EQ(Report(elsewhere, plant_token_).code, grpc::StatusCode::PERMISSION_DENIED);
  const Answer pushed = PushIncident(elsewhere, plant_token_);
  EXPECT_TRUE(Names(pushed, "incidents[0].province")) << Describe(pushed);
  EXPECT_EQ(pushed.message.rfind("PERMISSION_DENIED", 0), 0u) << pushed.message;
}

}  // namespace
}  // namespace sitrep::testing
