#pragma once

#include <atomic>

#include "notifications/notices.h"
#include "server/rpc_runner.h"
#include "sitrep/v1/notification.grpc.pb.h"

namespace sitrep {

// The gRPC edge of NotificationService (SPEC §4): unpack, call notifications::Notices, pack;
// every call, read or step, is audited with its target and row count by the RpcRunner. The
// national centre and provincial regulators issue and close; they and enterprises read,
// acknowledge and answer (notice_rules.h decides which notice each may act on).
class NotificationService final : public v1::NotificationService::Service {
 public:
  // `stopping` turns true when the server shuts down, ending live watches.
  NotificationService(RpcRunner& rpc, notifications::Notices& notices,
                      const std::atomic<bool>& stopping)
      : rpc_(rpc), notices_(notices), stopping_(stopping) {}

  grpc::Status IssueNotification(grpc::ServerContext* context,
                                 const v1::IssueNotificationRequest* request,
                                 v1::Notification* response) override;
  grpc::Status ListNotifications(grpc::ServerContext* context,
                                 const v1::ListNotificationsRequest* request,
                                 v1::ListNotificationsResponse* response) override;
  grpc::Status GetNotification(grpc::ServerContext* context,
                               const v1::GetNotificationRequest* request,
                               v1::Notification* response) override;
  grpc::Status WatchNotifications(
      grpc::ServerContext* context, const v1::WatchNotificationsRequest* request,
      grpc::ServerWriter<v1::WatchNotificationsResponse>* writer) override;
  grpc::Status Acknowledge(grpc::ServerContext* context, const v1::AcknowledgeRequest* request,
                           v1::Notification* response) override;
  grpc::Status SubmitFeedback(grpc::ServerContext* context,
                              const v1::SubmitFeedbackRequest* request,
                              v1::Notification* response) override;
  grpc::Status CloseNotification(grpc::ServerContext* context,
                                 const v1::CloseNotificationRequest* request,
                                 v1::Notification* response) override;

 private:
  RpcRunner& rpc_;
  notifications::Notices& notices_;
  const std::atomic<bool>& stopping_;
};

}  // namespace sitrep
