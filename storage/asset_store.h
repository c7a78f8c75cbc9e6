#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "sitrep/v1/records.pb.h"
#include "storage/incident_store.h"  // WriteResult
#include "storage/tx.h"

namespace sitrep::storage {

// One asset observation of a group write (not owned; outlives the call). `seen` is the
// observation time: the asset's last_seen_time, or the receive time when it had none.
// `caller` as in IncidentWrite.
struct AssetWrite {
  int64_t reporter_id = 0;
  const v1::Asset* asset = nullptr;
  std::chrono::system_clock::time_point seen;
  const Principal* caller = nullptr;
  std::string vendor_norm;  // vulns::Normalise of the asset's vendor (the writer computes it)
  std::string product_key;  // vulns::ProductKey of the asset's product (the writer computes it)
};

// The assets table; functions run inside the caller's transaction, like IncidentStore's.
class AssetStore final {
 public:
  // Upserts every record by (reporter_id, asset_key) in one COPY and one INSERT … ON CONFLICT
  // per reporter (each under its caller's settings).
  // A new key, a new observation time or changed values is kStored (first_seen, last_seen and
  // times_seen maintained; values are replaced only by an observation at least as new as the
  // stored one); the same observation again changes nothing and is kDuplicate. Several
  // observations of one key in `records` are merged into the newest, each counted once.
  [[nodiscard]] static std::vector<WriteResult> Upsert(Tx& tx, std::span<const AssetWrite> records,
                                                       std::chrono::system_clock::time_point now);

  [[nodiscard]] static std::optional<v1::Asset> Get(Tx& tx, int64_t id);
  [[nodiscard]] static std::optional<v1::Asset> FindByKey(Tx& tx, int64_t reporter_id,
                                                          const std::string& asset_key);
};

}  // namespace sitrep::storage
