#include "domain/principal_checks.h"

#include "domain/field_checks.h"

namespace sitrep {

FieldViolations CheckNewPrincipal(const v1::Principal& principal, const ReferenceCodes& codes) {
  FieldViolations violations;
  CheckIdentifier(principal.name(), "principal.name", 100, violations);
  CheckText(principal.description(), "principal.description", 0, 500, violations);

  const v1::Role role = principal.role();
  if (role == v1::ROLE_UNSPECIFIED || !v1::Role_IsValid(role)) {
    violations.push_back({"principal.role", "INVALID_ENUM", "role must be set."});
    return violations;
  }
  const bool needs_province = role == v1::ROLE_PROVINCIAL;
  const bool may_have_province = needs_province || role == v1::ROLE_COLLECTOR;
  if (needs_province && principal.province() == 0) {
    violations.push_back(
        {"principal.province", "REQUIRED", "a PROVINCIAL principal must be bound to a province."});
  } else if (!may_have_province && principal.province() != 0) {
    violations.push_back({"principal.province", "NOT_ALLOWED",
                          "only PROVINCIAL and COLLECTOR principals are bound to a province."});
  } else if (principal.province() != 0 && !codes.HasProvince(principal.province())) {
    violations.push_back({"principal.province", "UNKNOWN_PROVINCE",
                          "province " + std::to_string(principal.province()) +
                              " is not a GB/T 2260 provincial code."});
  }
  if (role == v1::ROLE_ENTERPRISE && principal.enterprise_id() <= 0) {
    violations.push_back({"principal.enterprise_id", "REQUIRED",
                          "an ENTERPRISE principal must be bound to an enterprise."});
  } else if (role != v1::ROLE_ENTERPRISE && principal.enterprise_id() != 0) {
    violations.push_back({"principal.enterprise_id", "NOT_ALLOWED",
                          "only ENTERPRISE principals are bound to an enterprise."});
  }
  return violations;
}

}  // namespace sitrep
