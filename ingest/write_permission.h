#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "domain/field_violation.h"
#include "domain/outcome.h"
#include "domain/principal.h"
#include "sitrep/v1/records.pb.h"

namespace sitrep::ingest {

// The write-permission rules, one function per kind of write, called by every path that
// writes it: a new record (Push, ReportIncident) runs CheckMayWrite and
// CheckEnterpriseInProvince in the writer's transaction (WriteRecords, ingest/record_writer.h);
// an amendment (AmendIncident) runs CheckMayAmend, which applies both to the resulting record
// and adds the loosening rule. The database's write policies
// (storage/migrations/0028_write_policies.sql) admit the same rows for the real caller.

// Why `caller` may not write a record of `province` about `enterprise_id` (0: none), as a
// violation of `prefix`.province or `prefix`.enterprise_id with reason PERMISSION_DENIED;
// nullopt when it may (SPEC §1: a record's province never widens what its submitter may
// write). A provincial collector writes its own province only, a national one (province 0)
// any; an enterprise writes about itself and in its own province only. Whether the enterprise lies
// in the province is checked against the registry when the record is written.
[[nodiscard]] std::optional<FieldViolation> CheckMayWrite(const Principal& caller,
                                                          uint32_t province, int64_t enterprise_id,
                                                          const std::string& prefix);

// Why `caller` may not push advisories, as a violation of tracking_id with reason
// PERMISSION_DENIED; nullopt when it may. Advisories are national reference data about
// products, not records of a province: collectors (whatever their province) and
// administrators push them; enterprises and regulators do not (SPEC §10). The database's
// policy sitrep_may_write_advisory (storage/schema/07_vulns.sql) admits the same.
[[nodiscard]] std::optional<FieldViolation> CheckMayPushAdvisory(const Principal& caller);

// PERMISSION_DENIED naming the field of `violation` (a unary write's answer to CheckMayWrite).
[[nodiscard]] Error WriteDenied(FieldViolation violation);

// Why a record of `province` about `enterprise_id` cannot be stored, given the province the
// registry has for that enterprise (nullopt: not registered): ENTERPRISE_NOT_FOUND on
// `prefix`.enterprise_id or ENTERPRISE_NOT_IN_PROVINCE on `prefix`.province. nullopt when the
// record names no enterprise or its enterprise lies in its province.
[[nodiscard]] std::optional<FieldViolation> CheckEnterpriseInProvince(
    uint32_t province, int64_t enterprise_id, std::optional<uint32_t> registered_province,
    const std::string& prefix);

// Why `caller`, who may amend `current` (its reporter, the enterprise it is about, or the
// national centre), may not make it `amended`; `registered_province` is the registry's
// province of amended.enterprise_id(). The resulting record must pass the rules of a new
// record (for collectors and enterprises CheckMayWrite, for everyone CheckEnterpriseInProvince:
// INVALID_ARGUMENT, as ReportIncident answers it), and TLP (toward CLEAR) or the sharing scope
// (toward PUBLIC) may be loosened only by the reporter or NATIONAL (PERMISSION_DENIED naming
// incident.tlp or incident.sharing_scope); tightening is anyone's who may amend.
[[nodiscard]] std::optional<Error> CheckMayAmend(const Principal& caller,
                                                 const v1::Incident& current,
                                                 const v1::Incident& amended,
                                                 std::optional<uint32_t> registered_province);

}  // namespace sitrep::ingest
