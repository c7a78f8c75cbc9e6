#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "escalation/kev_catalog.h"
#include "sitrep/v1/common.pb.h"
#include "sitrep/v1/records.pb.h"
#include "storage/escalation_store.h"
#include "storage/vuln_store.h"

// The rules the server applies on its own (SPEC §5), as pure functions: records in, the
// notices they call for out. Which of those notices are new is decided by their keys in SQL
// (storage/escalation_store.h), so evaluating a record twice is harmless.
namespace sitrep::escalation {

// The rules' settings: sitrepd's --escalation, --deadline-i … --deadline-iv, --kev-priority.
struct EscalationRules {
  bool enabled = true;
  // A notice's response deadline by its priority: [0] for I … [3] for IV. The defaults are
  // sitrep's own choice (shared/reference/incidents.md, "Clocks").
  std::array<std::chrono::seconds, 4> deadlines = {std::chrono::hours(1), std::chrono::hours(2),
                                                   std::chrono::hours(24), std::chrono::hours(72)};
  // Priority (and so deadline) of a notice about an exposed asset with a known-exploited CVE.
  v1::Severity kev_priority = v1::SEVERITY_III;

  // The deadline of `priority`; an unspecified or unknown priority gets IV's.
  [[nodiscard]] std::chrono::seconds DeadlineFor(v1::Severity priority) const;
};

// Whether an incident of `severity` at an enterprise of `enterprise_grade` (0: none or
// ungraded) raises a notice: severity II or above (I, II), or any severity at grade 3.
[[nodiscard]] bool Escalates(v1::Severity severity, uint32_t enterprise_grade);

// The notices stored incident `incident_id` raises at `now`: none; one to its province; or,
// for severity I, that one and one to the national centre. Keys "incident:<id>:sev<n>" (and
// "…:national"), so the same severity never raises twice and an upgrade raises anew.
[[nodiscard]] std::vector<storage::EscalationNotice> IncidentNotices(
    const EscalationRules& rules, int64_t incident_id, const v1::Incident& incident,
    uint32_t enterprise_grade, std::chrono::system_clock::time_point now);

// The notices an amendment from `before` to `after` raises: those of `after` when it
// escalates and `before` did not, or did at a lower severity (an upgrade). A downgrade, or
// an amendment that leaves the severity alone, raises nothing.
[[nodiscard]] std::vector<storage::EscalationNotice> AmendmentNotices(
    const EscalationRules& rules, int64_t incident_id, const v1::Incident& before,
    uint32_t before_grade, const v1::Incident& after, uint32_t after_grade,
    std::chrono::system_clock::time_point now);

// The candidate notices of stored asset `asset_id` at `now`: one to its province per CVE of it
// that `kev` lists, keyed "asset:<id>:kev:<cve>". The database raises only those of an asset
// stored as internet-exposed and carrying the CVE (sitrep_raise_escalations, the one home of
// that half of the rule).
[[nodiscard]] std::vector<storage::EscalationNotice> AssetNotices(
    const EscalationRules& rules, int64_t asset_id, const v1::Asset& asset, const KevCatalog& kev,
    std::chrono::system_clock::time_point now);

// An internet-exposed stored asset that a product leaf of an advisory MATCHes (vulns/match.h),
// found by ingest/advisory_matching.cc; neither pointer is owned.
struct AdvisoryExposure {
  const storage::CandidateAsset* asset = nullptr;
  const storage::CandidateProduct* product = nullptr;  // the leaf and its advisory
  std::string reason;                                  // why it matched
};

// The candidate notices of `exposures` at `now`: one to the asset's province per (asset,
// advisory) whose advisory raises notices, keyed "asset:<id>:advisory:<tracking id>", with
// the advisory's remediations as required action. The database raises only those whose match
// and exposure hold as stored and whose advisory has a known-exploited CVE or a CVSS ≥ 9.0
// vulnerability (sitrep_raise_escalations with sitrep_advisory_raises_notice, the one home of
// that rule; product->raises_notice is its answer, read with the candidates).
[[nodiscard]] std::vector<storage::EscalationNotice> AdvisoryNotices(
    const EscalationRules& rules, std::span<const AdvisoryExposure> exposures,
    std::chrono::system_clock::time_point now);

}  // namespace sitrep::escalation
