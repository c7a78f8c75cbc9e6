#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "storage/pool.h"

namespace sitrep::storage {

// taxii_statuses (storage/migrations/0037_taxii_statuses.sql): the status resources of TAXII
// POSTs, as JSON text. Throws only when PostgreSQL fails.
class TaxiiStatusStore final {
 public:
  explicit TaxiiStatusStore(Pool& pool) : pool_(pool) {}

  // Keeps `resource_json` (a TAXII status resource) under `id` (a UUID) for `principal_id`;
  // also forgets statuses older than 30 days.
  void Save(std::string_view id, int64_t principal_id, std::string_view resource_json);
  // The resource of status `id` if `principal_id` posted it; nullopt for another poster's, an
  // unknown id or text that is no UUID.
  [[nodiscard]] std::optional<std::string> Find(std::string_view id, int64_t principal_id);

 private:
  Pool& pool_;
};

}  // namespace sitrep::storage
