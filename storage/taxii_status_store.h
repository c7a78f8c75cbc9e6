#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/principal.h"
#include "storage/pool.h"

namespace sitrep::storage {

// The version of a STIX object a poster's incident was made from (docs/stix-inbound.md).
struct StoredStixVersion {
  int64_t incident_id = 0;
  std::string modified;  // attributes["stix_modified"]; empty when the incident has none
};

// taxii_statuses (storage/migrations/0037_taxii_statuses.sql): the status resources of TAXII
// POSTs, as JSON text; and the STIX versions a TAXII POST compares against. Throws only when
// PostgreSQL fails.
class TaxiiStatusStore final {
 public:
  explicit TaxiiStatusStore(Pool& pool) : pool_(pool) {}

  // Keeps `resource_json` (a TAXII status resource) under `id` (a UUID) for `principal_id`;
  // also forgets statuses older than 30 days.
  void Save(std::string_view id, int64_t principal_id, std::string_view resource_json);
  // The resource of status `id` if `principal_id` posted it; nullopt for another poster's, an
  // unknown id or text that is no UUID.
  [[nodiscard]] std::optional<std::string> Find(std::string_view id, int64_t principal_id);
  // The incidents `poster` reported under any of `external_ids` (STIX ids), by external id, read
  // as `poster` (row-level security): a TAXII POST's idempotency key is the poster's own
  // (reporter, external id), so only the poster's rows count, whatever it may see of others'.
  [[nodiscard]] std::map<std::string, StoredStixVersion> StixVersions(
      const Principal& poster, const std::vector<std::string>& external_ids);

 private:
  Pool& pool_;
};

}  // namespace sitrep::storage
