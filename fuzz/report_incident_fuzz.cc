// ReportService (SPEC §4): the bytes of a ReportIncident or AmendIncident request, parsed as
// gRPC parses them, then the checks ingest::Reports runs before touching the database. The
// first byte picks the method; an amendment is applied to a stored incident and the result
// checked, as Reports::Amend does.

#include <cstddef>
#include <cstdint>

#include "domain/time_convert.h"
#include "fuzz/fuzz_support.h"
#include "ingest/amendment.h"
#include "ingest/write_permission.h"
#include "sitrep/v1/report.pb.h"

namespace {

using namespace sitrep;

// A valid stored incident for amendments to change.
const v1::Incident& Stored() {
  static const v1::Incident stored = [] {
    v1::Incident incident;
    incident.set_id(42);
    incident.set_external_id("gd-collector-2025-000731");
    incident.set_province(440000);
    incident.set_enterprise_id(17);
    incident.set_sector("energy");
    incident.set_category(v1::CATEGORY_NETWORK_ATTACK);
    incident.set_severity(v1::SEVERITY_III);
    incident.set_tlp(v1::TLP_AMBER);
    incident.set_sharing_scope(v1::SHARING_SCOPE_PROVINCE);
    incident.set_status(v1::INCIDENT_STATUS_REPORTED);
    *incident.mutable_occur_time() = ToTimestamp(fuzz::kNow - std::chrono::hours(2));
    *incident.mutable_detect_time() = ToTimestamp(fuzz::kNow - std::chrono::hours(1));
    incident.set_title("PLC logic changed");
    incident.add_cve_ids("CVE-2021-44228");
    return incident;
  }();
  return stored;
}

void Report(const uint8_t* data, size_t size, uint8_t selector) {
  v1::ReportIncidentRequest request;
  if (!request.ParseFromArray(data, static_cast<int>(size))) return;
  if (!CheckIncident(request.incident(), fuzz::Codes(), fuzz::kNow, "incident").empty()) return;
  (void)ingest::CheckMayWrite(fuzz::Caller(selector), request.incident().province(),
                              request.incident().enterprise_id(), "incident");
}

void Amend(const uint8_t* data, size_t size) {
  v1::AmendIncidentRequest request;
  if (!request.ParseFromArray(data, static_cast<int>(size))) return;
  if (!ingest::CheckAmendRequest(request).empty()) return;
  const v1::Incident amended = ingest::AmendedIncident(Stored(), request);
  if (amended.id() != Stored().id() || amended.external_id() != Stored().external_id()) {
    fuzz::Fail("an amendment changed the incident's identity");
  }
  (void)CheckIncident(amended, fuzz::Codes(), fuzz::kNow, "incident");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  sitrep::fuzz::QuietProtobuf();
  if (size == 0) return 0;
  if (data[0] % 2 == 0) {
    Report(data + 1, size - 1, data[0] / 2);
  } else {
    Amend(data + 1, size - 1);
  }
  return 0;
}
