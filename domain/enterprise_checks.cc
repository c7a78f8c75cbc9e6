#include "domain/enterprise_checks.h"

#include "domain/credit_code.h"
#include "domain/field_checks.h"

namespace sitrep {

FieldViolations CheckEnterprise(const v1::Enterprise& enterprise, const ReferenceCodes& codes,
                                const std::string& prefix) {
  FieldViolations violations;
  const auto path = [&](const char* field) { return prefix + "." + field; };

  if (!IsValidCreditCode(enterprise.credit_code())) {
    violations.push_back({path("credit_code"), "INVALID_CREDIT_CODE",
                          "credit_code must be an 18-character unified social credit code "
                          "with a valid check character."});
  }
  CheckText(enterprise.name(), path("name"), 1, 200, violations);
  if (!codes.HasProvince(enterprise.province())) {
    violations.push_back({path("province"), "UNKNOWN_PROVINCE",
                          "province " + std::to_string(enterprise.province()) +
                              " is not a GB/T 2260 provincial code."});
  }
  if (!codes.HasSector(enterprise.sector())) {
    violations.push_back(
        {path("sector"), "UNKNOWN_SECTOR", "sector must be one of the seeded sector codes."});
  }
  if (enterprise.type() == v1::ENTERPRISE_TYPE_UNSPECIFIED ||
      !v1::EnterpriseType_IsValid(enterprise.type())) {
    violations.push_back({path("type"), "INVALID_ENUM", "type must be set."});
  }
  if (enterprise.size() == v1::ENTERPRISE_SIZE_UNSPECIFIED ||
      !v1::EnterpriseSize_IsValid(enterprise.size())) {
    violations.push_back({path("size"), "INVALID_ENUM", "size must be set."});
  }
  if (enterprise.grade() > 3) {
    violations.push_back(
        {path("grade"), "OUT_OF_RANGE", "grade must be 1, 2 or 3, or 0 when not graded."});
  }
  return violations;
}

}  // namespace sitrep
