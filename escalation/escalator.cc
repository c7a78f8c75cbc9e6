#include "escalation/escalator.h"

#include <utility>
#include <vector>

#include "domain/principal.h"
#include "logging/log.h"
#include "storage/enterprise_store.h"
#include "storage/escalation_store.h"
#include "storage/vuln_store.h"

namespace sitrep::escalation {
namespace {

uint32_t GradeOf(int64_t enterprise_id,
                 const std::unordered_map<int64_t, storage::EnterpriseFacts>& enterprises) {
  if (enterprise_id == 0) return 0;
  const auto found = enterprises.find(enterprise_id);
  return found == enterprises.end() ? 0 : found->second.grade;
}

size_t Raise(storage::Tx& tx, const std::vector<storage::EscalationNotice>& notices,
             std::chrono::system_clock::time_point now) {
  if (notices.empty()) return 0;
  const std::vector<storage::RaisedNotice> raised =
      storage::EscalationStore::Raise(tx, notices, now);
  for (const storage::RaisedNotice& notice : raised) {
    Log(LogLevel::kDebug, "escalation.raised",
        {{"notification_id", std::to_string(notice.notification_id)}, {"key", notice.key}});
  }
  return raised.size();
}

// Assets a sweep reads and raises for per transaction.
constexpr int kSweepPage = 1'000;

// The sweep reads every province's assets, as the ingest writer that stored them.
Principal SweepPrincipal() {
  Principal sweeper;
  sweeper.name = "escalation-sweep";
  sweeper.role = v1::ROLE_ADMIN;
  return sweeper;
}

// One page of a sweep: how many rows it read, where the next page starts, notices raised.
template <class Cursor>
struct SweepPage {
  size_t rows = 0;
  Cursor last{};
  size_t raised = 0;
};

// Runs `page(tx, after)` (returning a SweepPage<Cursor>) in transactions of its own, from a
// default cursor on, until a page reads fewer than kSweepPage rows. Everything a page changes
// is in its result, so that a retried transaction starts over. Returns the notices raised.
template <class Cursor, class Page>
size_t SweepPages(storage::Pool& pool, Page&& page) {
  size_t raised = 0;
  Cursor after{};
  for (;;) {
    const SweepPage<Cursor> done = storage::InTransaction(
        pool, SweepPrincipal(), [&](storage::Tx& tx) { return page(tx, after); });
    raised += done.raised;
    after = done.last;
    if (done.rows < static_cast<size_t>(kSweepPage)) return raised;
  }
}

}  // namespace

Escalator::Escalator(EscalationRules rules, std::filesystem::path kev_file)
    : rules_(std::move(rules)),
      kev_file_(std::move(kev_file)),
      kev_(std::make_shared<const KevCatalog>()) {
  if (kev_file_.empty()) {
    Log(LogLevel::kInfo, "escalation.kev_idle", {{"reason", "no --kev-file given"}});
    return;
  }
  Reload();
}

bool Escalator::Reload() {
  if (kev_file_.empty()) return false;
  std::string error;
  std::optional<KevCatalog> catalog = KevCatalog::Load(kev_file_, error);
  if (!catalog) {
    Log(LogLevel::kWarn, "escalation.kev_not_loaded",
        {{"file", kev_file_.string()},
         {"reason", error},
         {"in_use", std::to_string(known_exploited()->size()) + " CVEs"}});
    return false;
  }
  Log(LogLevel::kInfo, "escalation.kev_loaded",
      {{"file", kev_file_.string()},
       {"version", catalog->version()},
       {"cves", std::to_string(catalog->size())}});
  auto loaded = std::make_shared<const KevCatalog>(*std::move(catalog));
  std::lock_guard lock(mu_);
  kev_ = std::move(loaded);
  return true;
}

std::shared_ptr<const KevCatalog> Escalator::known_exploited() const {
  std::lock_guard lock(mu_);
  return kev_;
}

size_t Escalator::RaiseForIngest(storage::Tx& tx, std::span<const StoredIncident> incidents,
                                 std::span<const StoredAsset> assets,
                                 std::chrono::system_clock::time_point now) const {
  if (!rules_.enabled) return 0;
  std::vector<storage::EscalationNotice> notices;
  for (const StoredIncident& stored : incidents) {
    for (storage::EscalationNotice& notice :
         IncidentNotices(rules_, stored.id, *stored.incident, stored.enterprise_grade, now)) {
      notices.push_back(std::move(notice));
    }
  }
  if (!assets.empty()) {
    const std::shared_ptr<const KevCatalog> kev = known_exploited();
    for (size_t k = 0; k < assets.size() && kev->size() > 0; ++k) {
      for (storage::EscalationNotice& notice :
           AssetNotices(rules_, assets[k].id, *assets[k].asset, *kev, now)) {
        notices.push_back(std::move(notice));
      }
    }
  }
  return Raise(tx, notices, now);
}

void Escalator::StoreKnownExploited(storage::Pool& pool) const {
  const std::shared_ptr<const KevCatalog> kev = known_exploited();
  std::vector<storage::KevRow> rows;
  rows.reserve(kev->size());
  for (const auto& [cve, entry] : kev->entries()) {
    rows.push_back({cve, entry.vendor_project, entry.product, entry.vulnerability_name,
                    entry.date_added, entry.due_date, entry.known_ransomware_use,
                    entry.required_action});
  }
  storage::InTransaction(pool, SweepPrincipal(), [&](storage::Tx& tx) {
    storage::VulnStore::ReplaceKevCatalog(tx, rows, kev->version());
  });
}

size_t Escalator::RaiseForMatches(storage::Tx& tx, std::span<const AdvisoryExposure> exposures,
                                  std::chrono::system_clock::time_point now) const {
  if (!rules_.enabled || exposures.empty()) return 0;
  return Raise(tx, AdvisoryNotices(rules_, exposures, now), now);
}

size_t Escalator::RaiseForAmendment(storage::Tx& tx, const v1::Incident& before,
                                    const v1::Incident& after,
                                    std::chrono::system_clock::time_point now) const {
  if (!rules_.enabled) return 0;
  std::vector<int64_t> enterprise_ids;
  for (const int64_t id : {before.enterprise_id(), after.enterprise_id()}) {
    if (id != 0) enterprise_ids.push_back(id);
  }
  const auto enterprises = storage::FindEnterpriseFacts(tx, enterprise_ids);
  return Raise(
      tx,
      AmendmentNotices(rules_, after.id(), before, GradeOf(before.enterprise_id(), enterprises),
                       after, GradeOf(after.enterprise_id(), enterprises), now),
      now);
}

size_t Escalator::SweepStoredAssets(storage::Pool& pool,
                                    std::chrono::system_clock::time_point now) const {
  const std::shared_ptr<const KevCatalog> kev = known_exploited();
  if (!rules_.enabled || kev->size() == 0) return 0;
  const size_t raised = SweepAssetCves(pool, *kev, now) + SweepAdvisoryMatches(pool, now);
  Log(LogLevel::kInfo, "escalation.kev_swept", {{"raised", std::to_string(raised)}});
  return raised;
}

size_t Escalator::SweepAdvisoryMatches(storage::Pool& pool,
                                       std::chrono::system_clock::time_point now) const {
  using Cursor = std::pair<int64_t, int64_t>;  // (asset, advisory) of the last match read
  return SweepPages<Cursor>(pool, [&](storage::Tx& tx, const Cursor& after) {
    const std::vector<storage::StoredExposure> stored =
        storage::VulnStore::ExposedMatchesRaisingNotice(tx, after.first, after.second, kSweepPage);
    std::vector<AdvisoryExposure> exposures;
    exposures.reserve(stored.size());
    for (const storage::StoredExposure& exposure : stored) {
      exposures.push_back({&exposure.asset, &exposure.product, exposure.reason});
    }
    return SweepPage<Cursor>{
        stored.size(),
        stored.empty() ? after : Cursor{stored.back().asset.id, stored.back().product.advisory_id},
        Raise(tx, AdvisoryNotices(rules_, exposures, now), now)};
  });
}

size_t Escalator::SweepAssetCves(storage::Pool& pool, const KevCatalog& kev,
                                 std::chrono::system_clock::time_point now) const {
  const std::vector<std::string>& cve_ids = kev.CveIds();
  return SweepPages<int64_t>(pool, [&](storage::Tx& tx, int64_t after_id) {
    const std::vector<v1::Asset> assets =
        storage::EscalationStore::ExposedAssetsCarrying(tx, cve_ids, after_id, kSweepPage);
    std::vector<storage::EscalationNotice> notices;
    for (const v1::Asset& asset : assets) {
      for (storage::EscalationNotice& notice : AssetNotices(rules_, asset.id(), asset, kev, now)) {
        notices.push_back(std::move(notice));
      }
    }
    return SweepPage<int64_t>{assets.size(), assets.empty() ? after_id : assets.back().id(),
                              Raise(tx, notices, now)};
  });
}

}  // namespace sitrep::escalation
