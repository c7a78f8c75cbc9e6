#include "server/report_service.h"

#include <string>

#include "server/reply.h"

namespace sitrep {
namespace {

constexpr auto kReporters = {v1::ROLE_ENTERPRISE, v1::ROLE_COLLECTOR};
constexpr auto kAmenders = {v1::ROLE_ENTERPRISE, v1::ROLE_COLLECTOR, v1::ROLE_NATIONAL};
constexpr auto kRevisionReaders = {v1::ROLE_ENTERPRISE, v1::ROLE_COLLECTOR, v1::ROLE_NATIONAL,
                                   v1::ROLE_ADMIN};

}  // namespace

grpc::Status ReportService::ReportIncident(grpc::ServerContext* context,
                                           const v1::ReportIncidentRequest* request,
                                           v1::ReportIncidentResponse* response) {
  return rpc_.Run(
      context, "/sitrep.v1.ReportService/ReportIncident", kReporters,
      [&](const Principal& caller, CallRecord& record) {
        record.target = "external_id=" + request->incident().external_id();
        Outcome<ingest::RecordVerdict> verdict = reports_.Report(caller, request->incident());
        if (!verdict.ok()) return ToStatus(verdict.error());
        response->set_duplicate(verdict.value().kind == ingest::RecordVerdict::kDuplicate);
        *response->mutable_incident() = *std::move(verdict.value().row);
        record.rows = 1;
        return grpc::Status::OK;
      });
}

grpc::Status ReportService::AmendIncident(grpc::ServerContext* context,
                                          const v1::AmendIncidentRequest* request,
                                          v1::Incident* response) {
  return rpc_.Run(context, "/sitrep.v1.ReportService/AmendIncident", kAmenders,
                  [&](const Principal& caller, CallRecord& record) {
                    record.target = "incident_id=" + std::to_string(request->incident_id());
                    return Reply(reports_.Amend(caller, *request), response, record);
                  });
}

grpc::Status ReportService::ListMyIncidents(grpc::ServerContext* context,
                                            const v1::ListMyIncidentsRequest* request,
                                            v1::ListMyIncidentsResponse* response) {
  return rpc_.Run(context, "/sitrep.v1.ReportService/ListMyIncidents", kReporters,
                  [&](const Principal& caller, CallRecord& record) {
                    return Reply(
                        reports_.ListMine(caller, *request), response, record,
                        +[](const v1::ListMyIncidentsResponse& page) -> int64_t {
                          return page.incidents_size();
                        });
                  });
}

grpc::Status ReportService::ListIncidentRevisions(grpc::ServerContext* context,
                                                  const v1::ListIncidentRevisionsRequest* request,
                                                  v1::ListIncidentRevisionsResponse* response) {
  return rpc_.Run(context, "/sitrep.v1.ReportService/ListIncidentRevisions", kRevisionReaders,
                  [&](const Principal& caller, CallRecord& record) {
                    record.target = "incident_id=" + std::to_string(request->incident_id());
                    return Reply(
                        reports_.Revisions(caller, request->incident_id()), response, record,
                        +[](const v1::ListIncidentRevisionsResponse& revisions) -> int64_t {
                          return revisions.revisions_size();
                        });
                  });
}

}  // namespace sitrep
