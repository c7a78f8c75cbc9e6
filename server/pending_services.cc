#include "server/pending_services.h"

namespace sitrep {
namespace {

constexpr auto kNoticeParties = {v1::ROLE_NATIONAL, v1::ROLE_PROVINCIAL, v1::ROLE_ENTERPRISE};
constexpr auto kNoticeIssuers = {v1::ROLE_NATIONAL, v1::ROLE_PROVINCIAL};

constexpr const char* kNoticeIssue = "lands with issue #5 (notifications and situation)";

grpc::Status Pending(RpcRunner& rpc, grpc::ServerContext* context, const std::string& method,
                     std::initializer_list<v1::Role> roles, const char* issue) {
  return rpc.Run(context, method, roles, [&](const Principal&, CallRecord&) {
    return grpc::Status(grpc::StatusCode::UNIMPLEMENTED, method + " " + issue);
  });
}

}  // namespace

grpc::Status PendingNotificationService::IssueNotification(grpc::ServerContext* context,
                                                           const v1::IssueNotificationRequest*,
                                                           v1::Notification*) {
  return Pending(rpc_, context, "/sitrep.v1.NotificationService/IssueNotification", kNoticeIssuers,
                 kNoticeIssue);
}

grpc::Status PendingNotificationService::ListNotifications(grpc::ServerContext* context,
                                                           const v1::ListNotificationsRequest*,
                                                           v1::ListNotificationsResponse*) {
  return Pending(rpc_, context, "/sitrep.v1.NotificationService/ListNotifications", kNoticeParties,
                 kNoticeIssue);
}

grpc::Status PendingNotificationService::GetNotification(grpc::ServerContext* context,
                                                         const v1::GetNotificationRequest*,
                                                         v1::Notification*) {
  return Pending(rpc_, context, "/sitrep.v1.NotificationService/GetNotification", kNoticeParties,
                 kNoticeIssue);
}

grpc::Status PendingNotificationService::WatchNotifications(
    grpc::ServerContext* context, const v1::WatchNotificationsRequest*,
    grpc::ServerWriter<v1::WatchNotificationsResponse>*) {
  return Pending(rpc_, context, "/sitrep.v1.NotificationService/WatchNotifications", kNoticeParties,
                 kNoticeIssue);
}

grpc::Status PendingNotificationService::Acknowledge(grpc::ServerContext* context,
                                                     const v1::AcknowledgeRequest*,
                                                     v1::Notification*) {
  return Pending(rpc_, context, "/sitrep.v1.NotificationService/Acknowledge", kNoticeParties,
                 kNoticeIssue);
}

grpc::Status PendingNotificationService::SubmitFeedback(grpc::ServerContext* context,
                                                        const v1::SubmitFeedbackRequest*,
                                                        v1::Notification*) {
  return Pending(rpc_, context, "/sitrep.v1.NotificationService/SubmitFeedback", kNoticeParties,
                 kNoticeIssue);
}

grpc::Status PendingNotificationService::CloseNotification(grpc::ServerContext* context,
                                                           const v1::CloseNotificationRequest*,
                                                           v1::Notification*) {
  return Pending(rpc_, context, "/sitrep.v1.NotificationService/CloseNotification", kNoticeIssuers,
                 kNoticeIssue);
}

}  // namespace sitrep
