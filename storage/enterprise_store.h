#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "domain/principal.h"
#include "sitrep/v1/registry.pb.h"
#include "storage/page.h"
#include "storage/pool.h"
#include "storage/tx.h"

namespace sitrep::storage {

enum class UpdateEnterpriseResult { kUpdated, kNotFound, kCreditCodeTaken };

struct EnterpriseQuery {
  uint32_t province = 0;  // 0: any
  std::string sector;     // empty: any
  int64_t after_id = 0;   // keyset position
  int limit = 100;
};

// The enterprises table. Each call is one transaction as `caller`; throws only when
// PostgreSQL fails. Callers have checked every field (domain/enterprise_checks.h).
class EnterpriseStore final {
 public:
  explicit EnterpriseStore(Pool& pool) : pool_(pool) {}

  // Stores a new enterprise and returns it with id and times; nullopt when its credit code is
  // already registered (decided by the unique key, not by a prior SELECT).
  [[nodiscard]] std::optional<v1::Enterprise> Create(const Principal& caller,
                                                     const v1::Enterprise& enterprise);
  [[nodiscard]] std::optional<v1::Enterprise> Get(const Principal& caller, int64_t id);
  // Ordered by id; at most query.limit items; last_key set when more may follow.
  [[nodiscard]] Page<v1::Enterprise> List(const Principal& caller, const EnterpriseQuery& query);
  // Replaces every writable field of enterprise `enterprise.id()` and sets `updated` to the
  // stored row when the result is kUpdated.
  [[nodiscard]] UpdateEnterpriseResult Update(const Principal& caller,
                                              const v1::Enterprise& enterprise,
                                              v1::Enterprise& updated);

 private:
  Pool& pool_;
};

// What record checks need to know of a registered enterprise.
struct EnterpriseFacts {
  uint32_t province = 0;
  std::string sector;
  uint32_t grade = 0;
};

// The facts of every enterprise of `ids` that exists, by id, inside the caller's transaction
// (the ingest path's group write).
[[nodiscard]] std::unordered_map<int64_t, EnterpriseFacts> FindEnterpriseFacts(
    Tx& tx, const std::vector<int64_t>& ids);

}  // namespace sitrep::storage
