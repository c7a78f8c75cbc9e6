#include "escalation/rules.h"

#include <string>

namespace sitrep::escalation {
namespace {

constexpr const char* kGradeNumerals[] = {"?", "I", "II", "III", "IV"};
constexpr const char* kGradeNames[] = {"", "特别重大", "重大", "较大", "一般"};

int GradeIndex(v1::Severity severity) {
  return severity >= v1::SEVERITY_I && severity <= v1::SEVERITY_IV ? static_cast<int>(severity) : 0;
}

std::string GradeText(v1::Severity severity) {
  const int index = GradeIndex(severity);
  return std::string(kGradeNumerals[index]) + " " + kGradeNames[index];
}

// The more severe of two grades has the lower number (I = 1); unspecified counts as none.
bool MoreSevere(v1::Severity a, v1::Severity b) {
  return GradeIndex(a) != 0 && (GradeIndex(b) == 0 || GradeIndex(a) < GradeIndex(b));
}

// "NETWORK_ATTACK" for CATEGORY_NETWORK_ATTACK, as the database and the CLI write it.
std::string CategoryText(v1::Category category) {
  const std::string& name = v1::Category_Name(category);
  return name.starts_with("CATEGORY_") ? name.substr(9) : name;
}

std::string IncidentBody(int64_t incident_id, const v1::Incident& incident,
                         uint32_t enterprise_grade) {
  std::string body = "Raised by the escalation rule (SPEC §5): incident " +
                     std::to_string(incident_id) + " (" + incident.external_id() + ") of grade " +
                     GradeText(incident.severity()) + " in province " +
                     std::to_string(incident.province()) + ", sector " + incident.sector() +
                     ", category " + CategoryText(incident.category()) + ".";
  if (incident.enterprise_id() != 0) {
    body += " Enterprise " + std::to_string(incident.enterprise_id()) +
            (enterprise_grade == 0 ? std::string(" (ungraded).")
                                   : " (grade " + std::to_string(enterprise_grade) + ").");
  }
  return body;
}

}  // namespace

std::chrono::seconds EscalationRules::DeadlineFor(v1::Severity priority) const {
  const int index = GradeIndex(priority);
  return deadlines[index == 0 ? 3 : index - 1];
}

bool Escalates(v1::Severity severity, uint32_t enterprise_grade) {
  return severity == v1::SEVERITY_I || severity == v1::SEVERITY_II || enterprise_grade == 3;
}

std::vector<storage::EscalationNotice> IncidentNotices(const EscalationRules& rules,
                                                       int64_t incident_id,
                                                       const v1::Incident& incident,
                                                       uint32_t enterprise_grade,
                                                       std::chrono::system_clock::time_point now) {
  std::vector<storage::EscalationNotice> notices;
  if (!rules.enabled || incident_id <= 0 || !Escalates(incident.severity(), enterprise_grade)) {
    return notices;
  }
  storage::EscalationNotice notice;
  notice.key = "incident:" + std::to_string(incident_id) + ":sev" +
               std::to_string(static_cast<int>(incident.severity()));
  notice.origin = v1::NOTIFICATION_ORIGIN_INCIDENT_RULE;
  notice.priority = GradeIndex(incident.severity()) == 0 ? v1::SEVERITY_IV : incident.severity();
  notice.province = incident.province();
  notice.title = "Grade " + GradeText(incident.severity()) + " incident: " + incident.title();
  notice.body = IncidentBody(incident_id, incident, enterprise_grade);
  notice.required_action =
      "Acknowledge at once, verify the incident with the enterprise concerned, direct its "
      "handling and submit feedback before the deadline.";
  notice.deadline = now + rules.DeadlineFor(notice.priority);
  notice.tlp = incident.tlp() == v1::TLP_UNSPECIFIED ? v1::TLP_AMBER : incident.tlp();
  notice.incident_id = incident_id;
  notice.cve_ids.assign(incident.cve_ids().begin(), incident.cve_ids().end());
  notices.push_back(notice);
  if (incident.severity() == v1::SEVERITY_I) {
    // The national centre's own notice about the same incident (migrations/0007).
    notice.key += ":national";
    notice.national = true;
    notice.required_action =
        "Acknowledge at once and oversee the provincial response; coordinate national "
        "emergency handling if the incident spreads beyond the province.";
    notices.push_back(std::move(notice));
  }
  return notices;
}

std::vector<storage::EscalationNotice> AmendmentNotices(
    const EscalationRules& rules, int64_t incident_id, const v1::Incident& before,
    uint32_t before_grade, const v1::Incident& after, uint32_t after_grade,
    std::chrono::system_clock::time_point now) {
  const bool was_escalated = Escalates(before.severity(), before_grade);
  if (was_escalated && !MoreSevere(after.severity(), before.severity())) return {};
  return IncidentNotices(rules, incident_id, after, after_grade, now);
}

std::vector<storage::EscalationNotice> AssetNotices(const EscalationRules& rules, int64_t asset_id,
                                                    const v1::Asset& asset, const KevCatalog& kev,
                                                    std::chrono::system_clock::time_point now) {
  std::vector<storage::EscalationNotice> notices;
  // Whether the asset is internet-exposed, in that province and carries the CVE is decided once,
  // by sitrep_raise_escalations against the asset as stored (storage/schema/04_notifications.sql):
  // the pushed observation may be older than the row. Here only the catalog, which the database
  // does not hold, picks the candidates.
  if (!rules.enabled || asset_id <= 0) return notices;
  for (const std::string& cve : asset.cve_ids()) {
    const KevEntry* entry = kev.Find(cve);
    if (entry == nullptr) continue;
    storage::EscalationNotice notice;
    notice.key = "asset:" + std::to_string(asset_id) + ":kev:" + cve;
    notice.origin = v1::NOTIFICATION_ORIGIN_KEV_RULE;
    notice.priority = rules.kev_priority;
    notice.province = asset.province();
    const std::string device = asset.vendor().empty() && asset.product().empty()
                                   ? asset.asset_key()
                                   : asset.vendor() + " " + asset.product();
    notice.title = "Internet-exposed " + device + " with known-exploited " + cve;
    notice.body = "Raised by the known-exploited vulnerability rule (SPEC §5): asset " +
                  std::to_string(asset_id) + " (" + asset.asset_key() + ", " +
                  (asset.ip().empty() ? std::string("no address") : asset.ip()) + ", " +
                  (asset.protocol().empty() ? std::string("protocol unknown") : asset.protocol()) +
                  ") in province " + std::to_string(asset.province()) +
                  " is reachable from the Internet and carries " + cve;
    if (!entry->vulnerability_name.empty()) notice.body += " (" + entry->vulnerability_name + ")";
    notice.body += ", which the CISA catalog lists as exploited in the wild";
    if (!entry->due_date.empty()) notice.body += " (remediation due " + entry->due_date + ")";
    notice.body += ".";
    notice.required_action =
        "Have the owner patch the asset or take it off the Internet, then submit feedback.";
    if (!entry->required_action.empty()) {
      notice.required_action += " Catalog's action: " + entry->required_action;
    }
    notice.deadline = now + rules.DeadlineFor(rules.kev_priority);
    notice.tlp = v1::TLP_AMBER;
    notice.asset_id = asset_id;
    notice.cve_ids = {cve};
    notices.push_back(std::move(notice));
  }
  return notices;
}

namespace {

// What a notice asks when an advisory names no remediation.
constexpr const char* kAdvisoryAction =
    "Have the owner apply the vendor's fix or mitigation or take the asset off the Internet, "
    "then submit feedback.";

std::string JoinCves(const std::vector<std::string>& cve_ids) {
  std::string joined;
  for (const std::string& cve : cve_ids) joined += (joined.empty() ? "" : ", ") + cve;
  return joined.empty() ? std::string("no CVE") : joined;
}

storage::EscalationNotice AdvisoryNotice(const EscalationRules& rules,
                                         const AdvisoryExposure& exposure,
                                         std::chrono::system_clock::time_point now) {
  const storage::CandidateAsset& asset = *exposure.asset;
  const storage::CandidateProduct& advisory = *exposure.product;
  storage::EscalationNotice notice;
  notice.key = "asset:" + std::to_string(asset.id) + ":advisory:" + advisory.tracking_id;
  notice.origin = v1::NOTIFICATION_ORIGIN_ADVISORY_RULE;
  notice.priority = rules.kev_priority;
  notice.province = asset.province;
  notice.title = "Internet-exposed " + asset.vendor + " " + asset.product + " affected by " +
                 advisory.tracking_id;
  notice.body = "Raised by the advisory rule (SPEC §10): asset " + std::to_string(asset.id) + " (" +
                asset.asset_type + ", version " +
                (asset.version.empty() ? std::string("unknown") : asset.version) +
                ") in province " + std::to_string(asset.province) +
                " is reachable from the Internet and matches advisory " + advisory.tracking_id +
                " (" + advisory.title + "), branch " + advisory.branch_path + " (" +
                advisory.expression + "): " + exposure.reason +
                " The advisory lists a known-exploited or critical (CVSS ≥ 9.0) vulnerability: " +
                JoinCves(advisory.cve_ids) + ".";
  notice.required_action =
      advisory.required_action.empty()
          ? std::string(kAdvisoryAction)
          : std::string(kAdvisoryAction) + " Advisory's remediation: " + advisory.required_action;
  notice.deadline = now + rules.DeadlineFor(rules.kev_priority);
  notice.tlp = v1::TLP_AMBER;
  notice.asset_id = asset.id;
  notice.advisory_id = advisory.advisory_id;
  notice.cve_ids = advisory.cve_ids;
  return notice;
}

}  // namespace

std::vector<storage::EscalationNotice> AdvisoryNotices(const EscalationRules& rules,
                                                       std::span<const AdvisoryExposure> exposures,
                                                       std::chrono::system_clock::time_point now) {
  std::vector<storage::EscalationNotice> notices;
  if (!rules.enabled) return notices;
  for (const AdvisoryExposure& exposure : exposures) {
    if (!exposure.asset->internet_exposed || !exposure.product->raises_notice) continue;
    notices.push_back(AdvisoryNotice(rules, exposure, now));
  }
  return notices;
}

}  // namespace sitrep::escalation
