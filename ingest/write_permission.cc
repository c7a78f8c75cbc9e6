#include "ingest/write_permission.h"

#include <string>

namespace sitrep::ingest {
namespace {

constexpr const char* kIncident = "incident";

std::string Path(const std::string& prefix, const char* field) {
  return prefix.empty() ? field : prefix + "." + field;
}

// How widely a scope shares, narrowest first (SPEC §3: each scope adds readers to the one
// before it); UNSPECIFIED is stored as PROVINCE.
int Breadth(v1::SharingScope scope) {
  return scope == v1::SHARING_SCOPE_UNSPECIFIED ? v1::SHARING_SCOPE_PROVINCE : scope;
}

// TLP toward CLEAR and scope toward PUBLIC show a record to more readers.
std::optional<FieldViolation> CheckLoosening(const Principal& caller, const v1::Incident& current,
                                             const v1::Incident& amended) {
  if (caller.is(v1::ROLE_NATIONAL) || caller.id == current.reporter_id()) return std::nullopt;
  if (amended.tlp() < current.tlp()) {
    return FieldViolation{Path(kIncident, "tlp"), "PERMISSION_DENIED",
                          "only the incident's reporter or the national centre may loosen tlp "
                          "(from " +
                              v1::Tlp_Name(current.tlp()) + " to " + v1::Tlp_Name(amended.tlp()) +
                              ")."};
  }
  if (Breadth(amended.sharing_scope()) > Breadth(current.sharing_scope())) {
    return FieldViolation{Path(kIncident, "sharing_scope"), "PERMISSION_DENIED",
                          "only the incident's reporter or the national centre may widen "
                          "sharing_scope (from " +
                              v1::SharingScope_Name(current.sharing_scope()) + " to " +
                              v1::SharingScope_Name(amended.sharing_scope()) + ")."};
  }
  return std::nullopt;
}

}  // namespace

Error WriteDenied(FieldViolation violation) {
  std::string message = violation.field + ": " + violation.description;
  return Error{ErrorCode::kPermissionDenied, std::move(message), {std::move(violation)}};
}

std::optional<FieldViolation> CheckMayWrite(const Principal& caller, uint32_t province,
                                            int64_t enterprise_id, const std::string& prefix) {
  switch (caller.role) {
    case v1::ROLE_COLLECTOR:
      if (caller.province != 0 && province != caller.province) {
        return FieldViolation{Path(prefix, "province"), "PERMISSION_DENIED",
                              "a collector of province " + std::to_string(caller.province) +
                                  " may not write records of province " + std::to_string(province) +
                                  "."};
      }
      return std::nullopt;
    case v1::ROLE_ENTERPRISE:
      if (enterprise_id != 0 && enterprise_id != caller.enterprise_id) {
        return FieldViolation{Path(prefix, "enterprise_id"), "PERMISSION_DENIED",
                              "an enterprise may report only about itself (enterprise " +
                                  std::to_string(caller.enterprise_id) + ")."};
      }
      // Its province is its enterprise's (read at authentication): reporting elsewhere is a
      // question of permission, as for a collector, not a wrong value.
      if (province != caller.province) {
        return FieldViolation{Path(prefix, "province"), "PERMISSION_DENIED",
                              "an enterprise of province " + std::to_string(caller.province) +
                                  " may not write records of province " + std::to_string(province) +
                                  "."};
      }
      return std::nullopt;
    default:
      return FieldViolation{Path(prefix, "province"), "PERMISSION_DENIED",
                            "only collectors and enterprises write records."};
  }
}

std::optional<FieldViolation> CheckMayPushAdvisory(const Principal& caller) {
  if (caller.is(v1::ROLE_COLLECTOR) || caller.is(v1::ROLE_ADMIN)) return std::nullopt;
  return FieldViolation{"tracking_id", "PERMISSION_DENIED",
                        "only collectors and administrators push advisories."};
}

std::optional<FieldViolation> CheckEnterpriseInProvince(uint32_t province, int64_t enterprise_id,
                                                        std::optional<uint32_t> registered_province,
                                                        const std::string& prefix) {
  if (enterprise_id == 0) return std::nullopt;
  if (!registered_province) {
    return FieldViolation{Path(prefix, "enterprise_id"), "ENTERPRISE_NOT_FOUND",
                          "enterprise " + std::to_string(enterprise_id) + " is not registered."};
  }
  if (*registered_province != province) {
    return FieldViolation{Path(prefix, "province"), "ENTERPRISE_NOT_IN_PROVINCE",
                          "enterprise " + std::to_string(enterprise_id) +
                              " is registered in province " + std::to_string(*registered_province) +
                              ", not " + std::to_string(province) + "."};
  }
  return std::nullopt;
}

std::optional<Error> CheckMayAmend(const Principal& caller, const v1::Incident& current,
                                   const v1::Incident& amended,
                                   std::optional<uint32_t> registered_province) {
  // The national centre grades any record (SPEC §1); everyone else amends only into a record
  // they could have written themselves.
  if (caller.is(v1::ROLE_COLLECTOR) || caller.is(v1::ROLE_ENTERPRISE)) {
    if (auto denied =
            CheckMayWrite(caller, amended.province(), amended.enterprise_id(), kIncident)) {
      return WriteDenied(std::move(*denied));
    }
  }
  if (auto invalid = CheckEnterpriseInProvince(amended.province(), amended.enterprise_id(),
                                               registered_province, kIncident)) {
    return InvalidArgument({std::move(*invalid)});
  }
  if (auto denied = CheckLoosening(caller, current, amended))
    return WriteDenied(std::move(*denied));
  return std::nullopt;
}

}  // namespace sitrep::ingest
