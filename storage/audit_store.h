#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "domain/principal.h"
#include "sitrep/v1/registry.pb.h"
#include "storage/page.h"
#include "storage/pool.h"

namespace sitrep::storage {

// One call, as the audit log keeps it (SPEC §2 "Audit entry").
struct AuditRecord {
  std::chrono::system_clock::time_point time;
  int64_t principal_id = 0;  // 0 when unauthenticated
  std::string method;
  std::string target;
  int64_t rows = 0;
  std::string status;  // gRPC code name
  std::string peer;
};

struct AuditQuery {
  int64_t principal_id = 0;  // 0: any
  std::string method;        // empty: any
  std::optional<std::chrono::system_clock::time_point> start_time, end_time;
  int64_t before_id = 0;  // keyset position, newest first; 0: from the newest
  int limit = 100;
};

// The append-only audit log: the app role may INSERT and SELECT, never UPDATE or DELETE.
class AuditStore final {
 public:
  explicit AuditStore(Pool& pool) : pool_(pool) {}

  // Appends the records, in order, in one transaction: all or none are stored, so a caller
  // may retry the same records after a failure without storing any twice. Throws when
  // PostgreSQL fails.
  void Append(const std::vector<AuditRecord>& records);
  // Newest first; last_key is the id to pass as before_id for the next page.
  [[nodiscard]] Page<v1::AuditEntry> List(const Principal& caller, const AuditQuery& query);

 private:
  Pool& pool_;
};

}  // namespace sitrep::storage
