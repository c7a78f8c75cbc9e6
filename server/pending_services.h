#pragma once

#include "server/rpc_runner.h"
#include "sitrep/v1/feed.grpc.pb.h"
#include "sitrep/v1/notification.grpc.pb.h"

namespace sitrep {

// The services of SPEC §4 whose issues have not landed yet. Every call is still authenticated,
// role-checked and audited like a real one, then answers UNIMPLEMENTED naming the issue that
// brings it: nothing pretends to work. Each class is replaced by its real service when that
// issue lands.

class PendingFeedService final : public v1::FeedService::Service {
 public:
  explicit PendingFeedService(RpcRunner& rpc) : rpc_(rpc) {}
  grpc::Status ListIncidents(grpc::ServerContext* context, const v1::ListIncidentsRequest*,
                             v1::ListIncidentsResponse*) override;
  grpc::Status GetIncident(grpc::ServerContext* context, const v1::GetIncidentRequest*,
                           v1::Incident*) override;
  grpc::Status WatchIncidents(grpc::ServerContext* context, const v1::WatchIncidentsRequest*,
                              grpc::ServerWriter<v1::WatchIncidentsResponse>*) override;
  grpc::Status ListAssets(grpc::ServerContext* context, const v1::ListAssetsRequest*,
                          v1::ListAssetsResponse*) override;
  grpc::Status GetAsset(grpc::ServerContext* context, const v1::GetAssetRequest*,
                        v1::Asset*) override;
  grpc::Status WatchAssets(grpc::ServerContext* context, const v1::WatchAssetsRequest*,
                           grpc::ServerWriter<v1::WatchAssetsResponse>*) override;
  grpc::Status GetSituation(grpc::ServerContext* context, const v1::GetSituationRequest*,
                            v1::Situation*) override;

 private:
  RpcRunner& rpc_;
};

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
