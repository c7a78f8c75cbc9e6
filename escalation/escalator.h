#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <pqxx/pqxx>
#include <span>
#include <unordered_map>

#include "escalation/kev_catalog.h"
#include "escalation/rules.h"
#include "sitrep/v1/records.pb.h"
#include "storage/asset_store.h"
#include "storage/enterprise_store.h"
#include "storage/incident_store.h"
#include "storage/pool.h"

namespace sitrep::escalation {

// Applies the rules of SPEC §5 inside the transactions that store records, so that a notice
// commits with the record that calls for it or not at all. Holds the rules' settings and the
// known-exploited list, which Reload() replaces while writers keep using the one they hold.
// Thread-safe.
class Escalator final {
 public:
  // Loads `kev_file` (empty path: none). A missing or bad file is logged and leaves the KEV
  // rule idle until a Reload() finds a good one; the incident rule works regardless.
  Escalator(EscalationRules rules, std::filesystem::path kev_file);

  // Re-reads the KEV file (SIGHUP). A file that has become unreadable or bad keeps the list
  // in use and is logged. Returns whether a list was loaded.
  bool Reload();

  // Raises, inside the group write `tx`, the notices that the newly stored records call for:
  // incidents (`incidents[k]` stored as `incident_results[k]`) against the enterprise grades
  // of `enterprises`, assets (`assets[k]` as `asset_results[k]`) against the KEV list.
  // Duplicates (id 0) raise nothing. Returns how many notices were new.
  size_t RaiseForIngest(pqxx::work& tx, std::span<const storage::IncidentWrite> incidents,
                        std::span<const storage::WriteResult> incident_results,
                        const std::unordered_map<int64_t, storage::EnterpriseFacts>& enterprises,
                        std::span<const storage::AssetWrite> assets,
                        std::span<const storage::WriteResult> asset_results,
                        std::chrono::system_clock::time_point now) const;

  // Raises, inside the amending transaction `tx`, what the amendment of an incident from
  // `before` to `after` (same id) calls for: an upgrade of severity, or a first escalation.
  // Returns how many notices were new.
  size_t RaiseForAmendment(pqxx::work& tx, const v1::Incident& before, const v1::Incident& after,
                           std::chrono::system_clock::time_point now) const;

  // Raises, in transactions of its own on `pool`, the notices the KEV list in use calls for on
  // assets stored before it was loaded (after a Reload, which adds CVEs); keys make a second
  // sweep raise nothing. Returns how many notices were new.
  size_t SweepStoredAssets(storage::Pool& pool, std::chrono::system_clock::time_point now) const;

  [[nodiscard]] const EscalationRules& rules() const { return rules_; }
  // The KEV list in use (empty when none could be loaded).
  [[nodiscard]] std::shared_ptr<const KevCatalog> known_exploited() const;

 private:
  // Set at construction.
  const EscalationRules rules_;
  const std::filesystem::path kev_file_;

  mutable std::mutex mu_;
  std::shared_ptr<const KevCatalog> kev_;  // never null; guarded by mu_
};

}  // namespace sitrep::escalation
