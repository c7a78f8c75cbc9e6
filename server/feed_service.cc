#include "server/feed_service.h"

#include <string>

#include "server/read_calls.h"
#include "server/reply.h"

namespace sitrep {
namespace {

constexpr auto kReaders = {v1::ROLE_ADMIN, v1::ROLE_NATIONAL, v1::ROLE_PROVINCIAL,
                           v1::ROLE_ENTERPRISE, v1::ROLE_COLLECTOR};
// SPEC §1: collectors read back what they pushed, not the overview.
constexpr auto kSituationReaders = {v1::ROLE_ADMIN, v1::ROLE_NATIONAL, v1::ROLE_PROVINCIAL,
                                    v1::ROLE_ENTERPRISE};

}  // namespace

grpc::Status FeedService::ListIncidents(grpc::ServerContext* context,
                                        const v1::ListIncidentsRequest* request,
                                        v1::ListIncidentsResponse* response) {
  return rpc_.Run(context, "/sitrep.v1.FeedService/ListIncidents", kReaders,
                  [&](const Principal& caller, CallRecord& record) {
                    record.target = AuditText(request->filter());
                    return Reply(
                        feeds_.ListIncidents(caller, *request), response, record,
                        +[](const v1::ListIncidentsResponse& page) -> int64_t {
                          return page.incidents_size();
                        });
                  });
}

grpc::Status FeedService::GetIncident(grpc::ServerContext* context,
                                      const v1::GetIncidentRequest* request,
                                      v1::Incident* response) {
  return rpc_.Run(context, "/sitrep.v1.FeedService/GetIncident", kReaders,
                  [&](const Principal& caller, CallRecord& record) {
                    record.target = "id=" + std::to_string(request->id());
                    return Reply(feeds_.GetIncident(caller, request->id()), response, record);
                  });
}

grpc::Status FeedService::WatchIncidents(grpc::ServerContext* context,
                                         const v1::WatchIncidentsRequest* request,
                                         grpc::ServerWriter<v1::WatchIncidentsResponse>* writer) {
  return rpc_.RunLive(
      context, "/sitrep.v1.FeedService/WatchIncidents", kReaders,
      [&](const Principal& caller, CallRecord& record, const LiveCalls::Call& live) {
        return RunWatch(context, writer, stopping_, live, record, *request,
                        [&](const auto& send, const auto& stopped) {
                          return feeds_.WatchIncidents(caller, *request, send, stopped);
                        });
      });
}

grpc::Status FeedService::ListAssets(grpc::ServerContext* context,
                                     const v1::ListAssetsRequest* request,
                                     v1::ListAssetsResponse* response) {
  return rpc_.Run(
      context, "/sitrep.v1.FeedService/ListAssets", kReaders,
      [&](const Principal& caller, CallRecord& record) {
        record.target = AuditText(request->filter());
        return Reply(
            feeds_.ListAssets(caller, *request), response, record,
            +[](const v1::ListAssetsResponse& page) -> int64_t { return page.assets_size(); });
      });
}

grpc::Status FeedService::GetAsset(grpc::ServerContext* context, const v1::GetAssetRequest* request,
                                   v1::Asset* response) {
  return rpc_.Run(context, "/sitrep.v1.FeedService/GetAsset", kReaders,
                  [&](const Principal& caller, CallRecord& record) {
                    record.target = "id=" + std::to_string(request->id());
                    return Reply(feeds_.GetAsset(caller, request->id()), response, record);
                  });
}

grpc::Status FeedService::WatchAssets(grpc::ServerContext* context,
                                      const v1::WatchAssetsRequest* request,
                                      grpc::ServerWriter<v1::WatchAssetsResponse>* writer) {
  return rpc_.RunLive(
      context, "/sitrep.v1.FeedService/WatchAssets", kReaders,
      [&](const Principal& caller, CallRecord& record, const LiveCalls::Call& live) {
        return RunWatch(context, writer, stopping_, live, record, *request,
                        [&](const auto& send, const auto& stopped) {
                          return feeds_.WatchAssets(caller, *request, send, stopped);
                        });
      });
}

grpc::Status FeedService::GetSituation(grpc::ServerContext* context,
                                       const v1::GetSituationRequest* request,
                                       v1::Situation* response) {
  return rpc_.Run(
      context, "/sitrep.v1.FeedService/GetSituation", kSituationReaders,
      [&](const Principal& caller, CallRecord& record) {
        record.target = AuditText(*request);
        return Reply(
            situation_.Get(caller, *request), response, record,
            +[](const v1::Situation& situation) -> int64_t { return situation.incidents_size(); });
      });
}

}  // namespace sitrep
