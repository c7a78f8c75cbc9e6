#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <span>

#include "escalation/kev_catalog.h"
#include "escalation/rules.h"
#include "sitrep/v1/records.pb.h"
#include "storage/tx.h"

namespace sitrep::escalation {

// An incident the write path has just stored (not a duplicate): its new id, the record as
// stored (not owned) and the grade of the enterprise it is about (0: none or ungraded).
struct StoredIncident {
  int64_t id = 0;
  const v1::Incident* incident = nullptr;
  uint32_t enterprise_grade = 0;
};

// An asset observation the write path has just stored (new, or changed).
struct StoredAsset {
  int64_t id = 0;
  const v1::Asset* asset = nullptr;
};

// Applies the rules of SPEC §5 inside the transactions that store records, so that a notice
// commits with the record that calls for it or not at all. Holds the rules' settings and the
// known-exploited list, which Reload() replaces while writers keep using the one they hold.
// Thread-safe.
class Escalator final {
 public:
  // Loads `kev_file` (empty path: none). A missing or bad file is logged and leaves the KEV
  // rule idle until a Reload() finds a good one; the incident rule works regardless.
  Escalator(EscalationRules rules, std::filesystem::path kev_file);

  // Stores the KEV list in use as the kev_entries table (replacing it, in a transaction of its
  // own on `pool`), which the advisory rule joins: sitrepd calls it at start and after every
  // Reload, so the table and the list in use are the same catalog.
  void StoreKnownExploited(storage::Pool& pool) const;

  // Re-reads the KEV file (SIGHUP). A file that has become unreadable or bad keeps the list
  // in use and is logged. Returns whether a list was loaded.
  bool Reload();

  // Raises, inside the write `tx`, the notices that the newly stored records call for:
  // incidents against their enterprise's grade, assets against the KEV list. Returns how many
  // notices were new.
  size_t RaiseForIngest(storage::Tx& tx, std::span<const StoredIncident> incidents,
                        std::span<const StoredAsset> assets,
                        std::chrono::system_clock::time_point now) const;

  // Raises, inside the write `tx`, the notices of the exposed assets that advisories MATCH
  // (ingest/advisory_matching.cc, for an asset written or an advisory arriving). Returns how
  // many notices were new.
  size_t RaiseForMatches(storage::Tx& tx, std::span<const AdvisoryExposure> exposures,
                         std::chrono::system_clock::time_point now) const;

  // Raises, inside the amending transaction `tx`, what the amendment of an incident from
  // `before` to `after` (same id) calls for: an upgrade of severity, or a first escalation.
  // Returns how many notices were new.
  size_t RaiseForAmendment(storage::Tx& tx, const v1::Incident& before, const v1::Incident& after,
                           std::chrono::system_clock::time_point now) const;

  // Raises, in transactions of its own on `pool`, the notices the KEV list in use calls for on
  // what was stored before it was loaded (after a Reload, which adds CVEs): assets carrying a
  // listed CVE, and exposed assets matched by an advisory whose CVE is now listed (the
  // advisory rule; call it after StoreKnownExploited, whose table that rule joins). Keys make a
  // second sweep raise nothing. Returns how many notices were new.
  size_t SweepStoredAssets(storage::Pool& pool, std::chrono::system_clock::time_point now) const;

  [[nodiscard]] const EscalationRules& rules() const { return rules_; }
  // The KEV list in use (empty when none could be loaded).
  [[nodiscard]] std::shared_ptr<const KevCatalog> known_exploited() const;

 private:
  size_t SweepAssetCves(storage::Pool& pool, const KevCatalog& kev,
                        std::chrono::system_clock::time_point now) const;
  size_t SweepAdvisoryMatches(storage::Pool& pool, std::chrono::system_clock::time_point now) const;

  // Set at construction.
  const EscalationRules rules_;
  const std::filesystem::path kev_file_;

  mutable std::mutex mu_;
  std::shared_ptr<const KevCatalog> kev_;  // never null; guarded by mu_
};

}  // namespace sitrep::escalation
