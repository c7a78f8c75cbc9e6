#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "domain/principal.h"
#include "sitrep/v1/feed.pb.h"
#include "storage/feed_horizon.h"
#include "storage/pool.h"

namespace pqxx {
class result;
class transaction_base;
}  // namespace pqxx

namespace sitrep::storage {

// What one situation overview reads; checked and aligned by feeds/situation.cc.
struct SituationQuery {
  std::chrono::system_clock::time_point previous_start;  // = start − (end − start)
  std::chrono::system_clock::time_point start;           // aligned to `bucket`
  std::chrono::system_clock::time_point end;             // aligned to `bucket`
  v1::Bucket bucket = v1::BUCKET_DAY;                    // HOUR or DAY
  std::vector<uint32_t> provinces;                       // empty: all
  int top_enterprises = 10;
  int max_exposures = 100;
  // Sorted; null or empty: no list loaded.
  std::shared_ptr<const std::vector<std::string>> known_exploited_cves;
  std::chrono::system_clock::time_point now;  // what "overdue" compares with
};

// One incident count of the rollups in the bucket starting at `bucket_micros`, broken down by
// exactly one of province, sector and category (the others unset).
struct IncidentCell {
  int64_t bucket_micros = 0;
  uint32_t province = 0;
  std::string sector;
  v1::Category category = v1::CATEGORY_UNSPECIFIED;
  v1::Severity severity = v1::SEVERITY_UNSPECIFIED;
  int64_t count = 0;
  // The rollups' slot of this dimension value and severity: cells of one slot differ
  // only in their bucket.
  size_t slot = 0;
};

// Everything an overview is made of, as read in one transaction as the caller.
struct SituationRows {
  std::vector<IncidentCell> incidents;  // both periods, by bucket
  std::vector<v1::ExposureCount> exposures;
  int64_t exposed_assets = 0;
  int64_t exposed_assets_with_known_exploited_cves = 0;
  std::vector<v1::NoticeBacklog> notice_backlog;
  std::vector<v1::EnterpriseCount> top_enterprises;
  // The vulnerability base's view (issue 18): at most max_exposures advisories, most first.
  std::vector<v1::AdvisoryExposureCount> advisory_exposures;
  int64_t exposed_assets_matched = 0;
  int64_t exposed_assets_matched_known_exploited = 0;
};

// The situation rollups of storage/schema/05_situation.sql. Reads run as the caller, so
// row-level security decides what is counted; NATIONAL, ADMIN and PROVINCIAL callers read
// rollup rows only, an ENTERPRISE caller also its own incidents and assets directly (indexed by
// enterprise and reporter). Thread-safe; throws only when PostgreSQL fails.
class SituationStore final {
 public:
  // `horizon` exempts each compaction from the feeds' horizon: it writes no feed row.
  SituationStore(Pool& pool, FeedHorizon& horizon) : pool_(pool), horizon_(horizon) {}

  [[nodiscard]] SituationRows Read(const Principal& caller, const SituationQuery& query);

  // One compaction step (storage/situation_compaction.cc): folds up to `max_revisions` incident
  // revisions past the rollups' cursor into the cells and up to as many asset writes past the
  // asset cursor into the exposure counts, and moves both cursors. Returns how many changes
  // (revisions and the ones they replaced) and asset writes it folded (0 when it had caught
  // up), or -1 when another compaction was running.
  int64_t Compact(int64_t max_revisions = kCompactionStep);

  static constexpr int64_t kCompactionStep = 20000;

 private:
  // What each position of the cells' count arrays counts (situation_slots), as a cell
  // without bucket and count: element i is slot i + 1. Read from situation_slots once and again
  // when one past the end, `slot`, is asked for. Immutable: a reader keeps its list while
  // another thread loads a newer one.
  std::shared_ptr<const std::vector<IncidentCell>> Slots(pqxx::transaction_base& tx, int slot);
  std::vector<IncidentCell> ReadIncidentCells(pqxx::transaction_base& tx,
                                              const pqxx::result& result);

  Pool& pool_;
  FeedHorizon& horizon_;
  std::mutex slots_mu_;
  std::shared_ptr<const std::vector<IncidentCell>> slots_;  // guarded by slots_mu_
};

}  // namespace sitrep::storage
