#pragma once

#include "feeds/feeds.h"
#include "feeds/situation.h"
#include "server/rpc_runner.h"
#include "sitrep/v1/feed.grpc.pb.h"

namespace sitrep {

// The gRPC edge of FeedService: unpack, call feeds::Feeds, pack, audit every read with its
// filter and row count. Every role may read; row-level security decides what it sees (SPEC
// §3). GetSituation answers regulators and enterprises from the situation rollups.
class FeedService final : public v1::FeedService::Service {
 public:
  // `stopping` turns true when the server shuts down, ending live watches.
  FeedService(RpcRunner& rpc, feeds::Feeds& feeds, feeds::Situation& situation,
              const std::atomic<bool>& stopping)
      : rpc_(rpc), feeds_(feeds), situation_(situation), stopping_(stopping) {}

  grpc::Status ListIncidents(grpc::ServerContext* context, const v1::ListIncidentsRequest* request,
                             v1::ListIncidentsResponse* response) override;
  grpc::Status GetIncident(grpc::ServerContext* context, const v1::GetIncidentRequest* request,
                           v1::Incident* response) override;
  grpc::Status WatchIncidents(grpc::ServerContext* context,
                              const v1::WatchIncidentsRequest* request,
                              grpc::ServerWriter<v1::WatchIncidentsResponse>* writer) override;
  grpc::Status ListAssets(grpc::ServerContext* context, const v1::ListAssetsRequest* request,
                          v1::ListAssetsResponse* response) override;
  grpc::Status GetAsset(grpc::ServerContext* context, const v1::GetAssetRequest* request,
                        v1::Asset* response) override;
  grpc::Status WatchAssets(grpc::ServerContext* context, const v1::WatchAssetsRequest* request,
                           grpc::ServerWriter<v1::WatchAssetsResponse>* writer) override;
  grpc::Status GetSituation(grpc::ServerContext* context, const v1::GetSituationRequest* request,
                            v1::Situation* response) override;

 private:
  RpcRunner& rpc_;
  feeds::Feeds& feeds_;
  feeds::Situation& situation_;
  const std::atomic<bool>& stopping_;
};

}  // namespace sitrep
