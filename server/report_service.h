#pragma once

#include "ingest/reports.h"
#include "server/rpc_runner.h"
#include "sitrep/v1/report.grpc.pb.h"

namespace sitrep {

// The gRPC edge of ReportService: unpack, call ingest::Reports, pack. Enterprises report;
// collectors may too (their unary path); the national centre amends (grades and closes).
class ReportService final : public v1::ReportService::Service {
 public:
  ReportService(RpcRunner& rpc, ingest::Reports& reports) : rpc_(rpc), reports_(reports) {}

  grpc::Status ReportIncident(grpc::ServerContext* context,
                              const v1::ReportIncidentRequest* request,
                              v1::ReportIncidentResponse* response) override;
  grpc::Status AmendIncident(grpc::ServerContext* context, const v1::AmendIncidentRequest* request,
                             v1::Incident* response) override;
  grpc::Status ListMyIncidents(grpc::ServerContext* context,
                               const v1::ListMyIncidentsRequest* request,
                               v1::ListMyIncidentsResponse* response) override;
  grpc::Status ListIncidentRevisions(grpc::ServerContext* context,
                                     const v1::ListIncidentRevisionsRequest* request,
                                     v1::ListIncidentRevisionsResponse* response) override;

 private:
  RpcRunner& rpc_;
  ingest::Reports& reports_;
};

}  // namespace sitrep
