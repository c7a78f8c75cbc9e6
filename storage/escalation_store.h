#pragma once

#include <chrono>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "sitrep/v1/common.pb.h"
#include "sitrep/v1/notification.pb.h"
#include "sitrep/v1/records.pb.h"
#include "storage/tx.h"

namespace sitrep::storage {

// One notice a rule of SPEC §5 raises, as storage/schema/04_notifications.sql shapes it: a
// national-level notice from the 'sitrep-rules' principal with one target, the regulator of
// `province`, or the national centre itself when `national` is set.
struct EscalationNotice {
  std::string key;  // raised at most once ever: "incident:<id>:sev<n>", "asset:<id>:kev:<cve>",
                    // "asset:<id>:advisory:<tracking id>"
  v1::NotificationOrigin origin = v1::NOTIFICATION_ORIGIN_INCIDENT_RULE;
  v1::Severity priority = v1::SEVERITY_UNSPECIFIED;
  uint32_t province = 0;
  bool national = false;
  std::string title;
  std::string body;
  std::string required_action;
  std::chrono::system_clock::time_point deadline;
  v1::Tlp tlp = v1::TLP_AMBER;
  int64_t incident_id = 0;  // 0: none
  int64_t asset_id = 0;     // 0: none
  std::vector<std::string> cve_ids;
  int64_t advisory_id = 0;  // 0: none; an ADVISORY_RULE notice's advisory (checked, not stored)
};

// A notice that a Raise call stored (its key had never been raised before).
struct RaisedNotice {
  int64_t notification_id = 0;
  std::string key;
};

// The rule notices (SPEC §5); the manual ones belong to the notification service.
class EscalationStore final {
 public:
  // Stores, inside the caller's transaction `tx` and in one statement, every notice of
  // `notices` whose key was never raised (by this transaction, a concurrent one or any earlier
  // one), with its target, delivered at `now`; returns those, in key
  // order. A KEV notice is kept only when its asset as stored is still internet-exposed in
  // that province with those CVEs. Works whatever the caller's row-level-security settings
  // (the migration's function acts for the rules). Throws only when PostgreSQL fails.
  [[nodiscard]] static std::vector<RaisedNotice> Raise(Tx& tx,
                                                       std::span<const EscalationNotice> notices,
                                                       std::chrono::system_clock::time_point now);

  // Up to `limit` internet-exposed assets carrying any of `cve_ids`, with ids above
  // `after_id`, in id order (a reloaded KEV list sweeping the assets stored before it), as the
  // caller of `tx` may see them.
  [[nodiscard]] static std::vector<v1::Asset> ExposedAssetsCarrying(
      Tx& tx, const std::vector<std::string>& cve_ids, int64_t after_id, int limit);
};

}  // namespace sitrep::storage
