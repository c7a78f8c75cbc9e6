#include "ingest/amendment.h"

#include <google/protobuf/util/field_mask_util.h>

#include <set>
#include <string>

#include "domain/field_checks.h"

namespace sitrep::ingest {
namespace {

using google::protobuf::util::FieldMaskUtil;

constexpr size_t kMaxNoteChars = 2'000;

// Incident fields an amendment may change; identity and output-only fields stay.
const std::set<std::string> kAmendableFields = {
    "enterprise_id",       "sector",    "category",
    "subcategory",         "severity",  "tlp",
    "sharing_scope",       "status",    "occur_time",
    "detect_time",         "title",     "description",
    "indicators",          "cve_ids",   "attack_technique_ids",
    "affected_asset_keys", "attributes"};

}  // namespace

FieldViolations CheckAmendRequest(const v1::AmendIncidentRequest& request) {
  FieldViolations violations;
  if (request.incident_id() <= 0) {
    violations.push_back({"incident_id", "REQUIRED", "incident_id must name an incident."});
  }
  if (request.kind() == v1::AMENDMENT_KIND_UNSPECIFIED ||
      !v1::AmendmentKind_IsValid(request.kind())) {
    violations.push_back({"kind", "INVALID_ENUM", "kind must be set."});
  }
  if (request.update_mask().paths().empty()) {
    violations.push_back(
        {"update_mask", "REQUIRED", "update_mask must name the fields that change."});
  }
  const auto& paths = request.update_mask().paths();
  for (int i = 0; i < paths.size(); ++i) {
    const std::string field = "update_mask.paths[" + std::to_string(i) + "]";
    // A path that names no field at all is a typo, not a field the caller may not change.
    if (v1::Incident::descriptor()->FindFieldByName(paths[i]) == nullptr) {
      violations.push_back(
          {field, "UNKNOWN_FIELD", field + " names no field of Incident (a typo?)."});
    } else if (!kAmendableFields.contains(paths[i])) {
      violations.push_back(
          {field, "IMMUTABLE_FIELD",
           field + ": \"" + paths[i] + "\" is not a field an amendment may change."});
    }
  }
  CheckText(request.note(), "note", 0, kMaxNoteChars, violations, true);
  return violations;
}

v1::Incident AmendedIncident(const v1::Incident& current, const v1::AmendIncidentRequest& request) {
  v1::Incident amended = current;
  FieldMaskUtil::MergeOptions options;
  options.set_replace_repeated_fields(true);
  options.set_replace_message_fields(true);
  FieldMaskUtil::MergeMessageTo(request.incident(), request.update_mask(), options, &amended);
  return amended;
}

}  // namespace sitrep::ingest
