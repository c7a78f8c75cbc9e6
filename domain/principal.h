#pragma once

#include <cstdint>
#include <string>

#include "sitrep/v1/common.pb.h"

namespace sitrep {

// The authenticated caller of one request, as bound at creation (SPEC §1).
struct Principal {
  int64_t id = 0;
  std::string name;
  v1::Role role = v1::ROLE_UNSPECIFIED;
  uint32_t province = 0;      // 0 for ADMIN, NATIONAL and national collectors
  int64_t enterprise_id = 0;  // ENTERPRISE only
  std::string sector;         // ENTERPRISE only: its enterprise's sector (SECTOR sharing)
  // The token the caller presented; 0 for the server's own work. Every transaction run for the
  // caller re-checks it (storage/transaction.h SetCaller).
  int64_t token_id = 0;

  [[nodiscard]] bool is(v1::Role r) const { return role == r; }
};

}  // namespace sitrep
