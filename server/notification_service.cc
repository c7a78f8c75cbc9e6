#include "server/notification_service.h"

#include <string>

#include "server/reply.h"

namespace sitrep {
namespace {

constexpr auto kParties = {v1::ROLE_NATIONAL, v1::ROLE_PROVINCIAL, v1::ROLE_ENTERPRISE};
// SPEC §3: ADMIN sees every notice, as NATIONAL does, but takes no part in the loop.
constexpr auto kReaders = {v1::ROLE_NATIONAL, v1::ROLE_PROVINCIAL, v1::ROLE_ENTERPRISE,
                           v1::ROLE_ADMIN};
constexpr auto kIssuers = {v1::ROLE_NATIONAL, v1::ROLE_PROVINCIAL};
constexpr size_t kMaxAuditTarget = 1000;

// A request as the audit log keeps it: compact text, bounded.
std::string AuditText(const google::protobuf::Message& request) {
  std::string text = request.ShortDebugString();
  if (text.size() > kMaxAuditTarget) text.resize(kMaxAuditTarget);
  return text;
}

// The audit line of a step: which notice, and what was asked of it.
std::string StepText(int64_t id, const google::protobuf::Message& request) {
  return "id=" + std::to_string(id) + " " + AuditText(request);
}

}  // namespace

grpc::Status NotificationService::IssueNotification(grpc::ServerContext* context,
                                                    const v1::IssueNotificationRequest* request,
                                                    v1::Notification* response) {
  return rpc_.Run(
      context, "/sitrep.v1.NotificationService/IssueNotification", kIssuers,
      [&](const Principal& caller, CallRecord& record) {
        // The title and recipients; the body stays in the notice itself.
        v1::Notification summary;
        summary.set_title(request->notification().title());
        *summary.mutable_targets() = request->notification().targets();
        record.target = AuditText(summary);
        grpc::Status status = Reply(
            notices_.Issue(caller, *request), response, record,
            +[](const v1::Notification& notice) -> int64_t { return notice.targets_size(); });
        if (status.ok()) record.target = StepText(response->id(), summary);
        return status;
      });
}

grpc::Status NotificationService::ListNotifications(grpc::ServerContext* context,
                                                    const v1::ListNotificationsRequest* request,
                                                    v1::ListNotificationsResponse* response) {
  return rpc_.Run(context, "/sitrep.v1.NotificationService/ListNotifications", kReaders,
                  [&](const Principal& caller, CallRecord& record) {
                    v1::ListNotificationsRequest filter = *request;
                    filter.clear_page_token();
                    record.target = AuditText(filter);
                    return Reply(
                        notices_.List(caller, *request), response, record,
                        +[](const v1::ListNotificationsResponse& page) -> int64_t {
                          return page.notifications_size();
                        });
                  });
}

grpc::Status NotificationService::GetNotification(grpc::ServerContext* context,
                                                  const v1::GetNotificationRequest* request,
                                                  v1::Notification* response) {
  return rpc_.Run(context, "/sitrep.v1.NotificationService/GetNotification", kReaders,
                  [&](const Principal& caller, CallRecord& record) {
                    record.target = "id=" + std::to_string(request->id());
                    return Reply(notices_.Get(caller, request->id()), response, record);
                  });
}

grpc::Status NotificationService::WatchNotifications(
    grpc::ServerContext* context, const v1::WatchNotificationsRequest* request,
    grpc::ServerWriter<v1::WatchNotificationsResponse>* writer) {
  return rpc_.RunLive(
      context, "/sitrep.v1.NotificationService/WatchNotifications", kReaders,
      [&](const Principal& caller, CallRecord& record, const LiveCalls::Call& live) {
        record.target = AuditText(*request);
        // Asked again right before each write: a page read before the credential ended is
        // not sent.
        Outcome<int64_t> sent = notices_.Watch(
            caller, *request,
            [&](const v1::WatchNotificationsResponse& message) {
              return !live.ended() && writer->Write(message);
            },
            [&] { return live.ended() || context->IsCancelled() || stopping_.load(); });
        if (!sent.ok()) return ToStatus(sent.error());
        record.rows = sent.value();
        return grpc::Status::OK;
      });
}

grpc::Status NotificationService::Acknowledge(grpc::ServerContext* context,
                                              const v1::AcknowledgeRequest* request,
                                              v1::Notification* response) {
  return rpc_.Run(context, "/sitrep.v1.NotificationService/Acknowledge", kParties,
                  [&](const Principal& caller, CallRecord& record) {
                    record.target = "id=" + std::to_string(request->notification_id());
                    return Reply(notices_.Acknowledge(caller, *request), response, record);
                  });
}

grpc::Status NotificationService::SubmitFeedback(grpc::ServerContext* context,
                                                 const v1::SubmitFeedbackRequest* request,
                                                 v1::Notification* response) {
  return rpc_.Run(context, "/sitrep.v1.NotificationService/SubmitFeedback", kParties,
                  [&](const Principal& caller, CallRecord& record) {
                    v1::SubmitFeedbackRequest summary = *request;
                    summary.clear_text();
                    summary.clear_notification_id();
                    record.target = StepText(request->notification_id(), summary);
                    return Reply(notices_.SubmitFeedback(caller, *request), response, record);
                  });
}

grpc::Status NotificationService::CloseNotification(grpc::ServerContext* context,
                                                    const v1::CloseNotificationRequest* request,
                                                    v1::Notification* response) {
  return rpc_.Run(context, "/sitrep.v1.NotificationService/CloseNotification", kIssuers,
                  [&](const Principal& caller, CallRecord& record) {
                    v1::CloseNotificationRequest summary = *request;
                    summary.clear_notification_id();
                    summary.clear_remark();
                    record.target = StepText(request->notification_id(), summary);
                    return Reply(notices_.Close(caller, *request), response, record);
                  });
}

}  // namespace sitrep
