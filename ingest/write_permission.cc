#include "ingest/write_permission.h"

#include <string>

namespace sitrep::ingest {

std::optional<FieldViolation> CheckMayWrite(const Principal& caller, uint32_t province,
                                            int64_t enterprise_id, const std::string& prefix) {
  const auto path = [&](const char* field) {
    return prefix.empty() ? field : prefix + "." + field;
  };
  switch (caller.role) {
    case v1::ROLE_COLLECTOR:
      if (caller.province != 0 && province != caller.province) {
        return FieldViolation{path("province"), "PERMISSION_DENIED",
                              "a collector of province " + std::to_string(caller.province) +
                                  " may not write records of province " + std::to_string(province) +
                                  "."};
      }
      return std::nullopt;
    case v1::ROLE_ENTERPRISE:
      if (enterprise_id != 0 && enterprise_id != caller.enterprise_id) {
        return FieldViolation{path("enterprise_id"), "PERMISSION_DENIED",
                              "an enterprise may report only about itself (enterprise " +
                                  std::to_string(caller.enterprise_id) + ")."};
      }
      // Its province is its enterprise's (read at authentication): reporting elsewhere is a
      // question of permission, as for a collector, not a wrong value.
      if (province != caller.province) {
        return FieldViolation{path("province"), "PERMISSION_DENIED",
                              "an enterprise of province " + std::to_string(caller.province) +
                                  " may not write records of province " + std::to_string(province) +
                                  "."};
      }
      return std::nullopt;
    default:
      return FieldViolation{path("province"), "PERMISSION_DENIED",
                            "only collectors and enterprises write records."};
  }
}

}  // namespace sitrep::ingest
