#pragma once

#include "server/rpc_runner.h"
#include "sitrep/v1/notification.grpc.pb.h"

namespace sitrep {

// The services of SPEC §4 whose issues have not landed yet. Every call is still authenticated,
// role-checked and audited like a real one, then answers UNIMPLEMENTED naming the issue that
// brings it: nothing pretends to work. Each class is replaced by its real service when that
// issue lands.

class PendingNotificationService final : public v1::NotificationService::Service {
 public:
  explicit PendingNotificationService(RpcRunner& rpc) : rpc_(rpc) {}
  grpc::Status IssueNotification(grpc::ServerContext* context, const v1::IssueNotificationRequest*,
                                 v1::Notification*) override;
  grpc::Status ListNotifications(grpc::ServerContext* context, const v1::ListNotificationsRequest*,
                                 v1::ListNotificationsResponse*) override;
  grpc::Status GetNotification(grpc::ServerContext* context, const v1::GetNotificationRequest*,
                               v1::Notification*) override;
  grpc::Status WatchNotifications(grpc::ServerContext* context,
                                  const v1::WatchNotificationsRequest*,
                                  grpc::ServerWriter<v1::WatchNotificationsResponse>*) override;
  grpc::Status Acknowledge(grpc::ServerContext* context, const v1::AcknowledgeRequest*,
                           v1::Notification*) override;
  grpc::Status SubmitFeedback(grpc::ServerContext* context, const v1::SubmitFeedbackRequest*,
                              v1::Notification*) override;
  grpc::Status CloseNotification(grpc::ServerContext* context, const v1::CloseNotificationRequest*,
                                 v1::Notification*) override;

 private:
  RpcRunner& rpc_;
};

}  // namespace sitrep
