#include "storage/situation_store.h"

#include <algorithm>
#include <map>
#include <stdexcept>
#include <string>
#include <string_view>
#include <tuple>

#include "storage/copy_text.h"
#include "storage/prepared_statement.h"
#include "storage/sql_types.h"
#include "storage/transaction.h"

namespace sitrep::storage {
namespace {

// The rollups' changes past their cursor, as of the statement's snapshot.
constexpr const char* kPastCursorChanges =
    "sitrep_situation_changes((SELECT feed_xid FROM situation_cursor),"
    " (SELECT feed_seq FROM situation_cursor), '18446744073709551615'::xid8,"
    " 9223372036854775807)";

// The bucket of an incident's time, as storage/schema/05_situation.sql buckets it; $2 is the
// grain.
constexpr const char* kIncidentBucket =
    "CASE WHEN $2 = 'h' "
    "THEN date_trunc('hour', coalesce(i.occurred_at, i.detected_at, i.received_at), 'UTC') "
    "ELSE sitrep_situation_day(coalesce(i.occurred_at, i.detected_at, i.received_at)) END";

// $1 provinces (the cells' province keys: {0} without a filter), $2 grain, $3/$4 the range in
// micros, $5 no province filter, $6 the caller is an enterprise, $7 its enterprise, $8 its
// principal. Three parts: the cells as of the rollups' cursor (a bucket and its
// count array per row; decoded by slot here, which is cheaper than unnesting in SQL), the
// revisions past it, and an enterprise's own incidents that no viewer it holds covers (SECTOR or
// PUBLIC sharing would count them twice). One statement, so all three see one snapshot. Rows:
// bucket micros, then a count array (cells) or a slot and its count (the others).
const std::string kIncidentCellsSql =
    std::string(
        "SELECT sitrep_micros(c.bucket), c.n::text, NULL, NULL"
        " FROM situation_cells c"
        " WHERE c.viewer = ANY (sitrep_caller_viewers()) AND c.province = ANY ($1::integer[])"
        " AND c.grain = $2::\"char\" AND c.bucket >= sitrep_time($3)"
        " AND c.bucket < sitrep_time($4)"
        " UNION ALL "
        "SELECT sitrep_micros(x.bucket), NULL, s.slot, sum(x.n)::bigint FROM ("
        " SELECT CASE WHEN $2 = 'h' THEN date_trunc('hour', x.at, 'UTC')"
        " ELSE sitrep_situation_day(x.at) END AS bucket, d.dimension, d.value, x.severity,"
        " x.sign AS n"
        " FROM ") +
    kPastCursorChanges +
    " x CROSS JOIN LATERAL (VALUES ('province', x.province::text),"
    " ('sector', x.sector), ('category', x.category)) AS d(dimension, value)"
    " WHERE x.at >= sitrep_time($3) AND x.at < sitrep_time($4)"
    " AND ($5 OR x.province = ANY ($1::integer[]))"
    " UNION ALL"
    " SELECT " +
    kIncidentBucket +
    ", d.dimension, d.value, i.severity, 1"
    " FROM incidents i CROSS JOIN LATERAL (VALUES ('province', i.province::text),"
    " ('sector', i.sector), ('category', i.category)) AS d(dimension, value)"
    " WHERE $6 AND (i.enterprise_id = $7 OR i.reporter_id = $8)"
    " AND NOT (sitrep_situation_viewers(i.province, i.sector, i.tlp, i.sharing_scope)"
    " && sitrep_caller_viewers())"
    " AND coalesce(i.occurred_at, i.detected_at, i.received_at) >= sitrep_time($3)"
    " AND coalesce(i.occurred_at, i.detected_at, i.received_at) < sitrep_time($4)"
    " AND ($5 OR i.province = ANY ($1::integer[]))"
    ") AS x JOIN situation_slots s ON s.dimension = x.dimension AND s.value = x.value"
    " AND s.severity = x.severity GROUP BY 1, 3";

// $1 provinces, $2 no province filter, $3 the caller is an enterprise, $4 its enterprise, $5
// its principal. The counts as of the asset cursor plus the asset writes past it, in one
// statement (one snapshot), as for incidents. Assets have no sharing: an enterprise counts its
// own assets directly.
constexpr const char* kExposureSql =
    "SELECT protocol, vendor, sum(n)::bigint FROM ("
    " SELECT protocol, vendor, n FROM situation_exposure_counts"
    " WHERE viewer = ANY (sitrep_caller_viewers()) AND province = ANY ($1::integer[])"
    " UNION ALL"
    " SELECT protocol, vendor, sign FROM sitrep_exposure_changes("
    " (SELECT asset_feed_xid FROM situation_cursor), (SELECT asset_feed_seq FROM situation_cursor),"
    " '18446744073709551615'::xid8, 9223372036854775807) x"
    " WHERE ($2 OR x.province = ANY ($1::integer[]))"
    " UNION ALL"
    " SELECT protocol, vendor, 1 FROM assets a"
    " WHERE $3 AND a.internet_exposed AND (a.enterprise_id = $4 OR a.reporter_id = $5)"
    " AND ($2 OR a.province = ANY ($1::integer[]))"
    ") AS exposure GROUP BY 1, 2 HAVING sum(n) > 0";

// Row-level security on assets leaves exactly the assets the caller may see; the GIN index on
// cve_ids finds those carrying any listed CVE.
constexpr const char* kKnownExploitedSql =
    "SELECT protocol, vendor, count(*) FROM assets"
    " WHERE internet_exposed AND cve_ids && $1::text[] AND ($2 OR province = ANY ($3::integer[]))"
    " GROUP BY 1, 2";

// $1 provinces, $2 no province filter. The vulnerability base's exposure panel: exposed assets
// matched by each advisory, most first, and the distinct exposed assets matched by any and by
// one with a known-exploited CVE, in one statement over the matches and their assets, both under
// row-level security (an asset the caller may not read, or an advisory its TLP keeps from it,
// is not counted). NEEDS_REVIEW matches are not counted.
constexpr const char* kAdvisoryExposureSql =
    "WITH m AS ("
    " SELECT m.advisory_id, m.asset_id,"
    " EXISTS (SELECT 1 FROM kev_entries k WHERE k.cve_id = ANY (a.cve_ids)) AS kev"
    " FROM asset_advisory_matches m JOIN assets s ON s.id = m.asset_id AND s.province = m.province"
    " JOIN advisories a ON a.id = m.advisory_id"
    " WHERE m.verdict = 'MATCH' AND s.internet_exposed AND ($2 OR m.province = ANY ($1::integer[]))"
    "), per AS (SELECT advisory_id, bool_or(kev) AS kev, count(*) AS n FROM m GROUP BY 1)"
    " SELECT a.tracking_id, a.title, coalesce((SELECT p.vendor_norm FROM advisory_products p"
    " WHERE p.advisory_id = a.id ORDER BY p.ordinal LIMIT 1), lower(a.vendors[1]), ''),"
    " per.kev, a.max_cvss, per.n,"
    " (SELECT count(DISTINCT asset_id) FROM m),"
    " (SELECT count(DISTINCT asset_id) FROM m WHERE kev)"
    " FROM per JOIN advisories a ON a.id = per.advisory_id"
    " ORDER BY per.n DESC, a.tracking_id LIMIT $3";

// $1 provinces, $2 no province filter, $3 the caller is a regulator, $4 the caller is an
// enterprise, $5 its enterprise, $6 how many. Regulators count from the rollups and the
// revisions past their cursor; an enterprise sees no other enterprise named, so it counts its
// own open incidents.
const std::string kTopEnterprisesSql =
    std::string(
        "SELECT o.enterprise_id, coalesce(min(e.name), ''), sum(o.n)::bigint FROM ("
        " SELECT enterprise_id, n FROM situation_open_counts"
        " WHERE viewer = ANY (sitrep_caller_viewers()) AND ($2 OR province = ANY ($1::integer[]))"
        " UNION ALL"
        " SELECT open_enterprise_id, sign FROM ") +
    kPastCursorChanges +
    " x WHERE $3 AND x.open_enterprise_id IS NOT NULL"
    " AND ($2 OR x.province = ANY ($1::integer[]))"
    " UNION ALL"
    " SELECT enterprise_id, 1 FROM incidents i"
    " WHERE $4 AND i.enterprise_id = $5 AND i.status IN ('REPORTED', 'CONFIRMED', 'HANDLING')"
    " AND ($2 OR i.province = ANY ($1::integer[]))"
    ") AS o LEFT JOIN enterprises e ON e.id = o.enterprise_id"
    " GROUP BY 1 HAVING sum(o.n) > 0 ORDER BY 3 DESC, 1 LIMIT $6";

// $1 provinces, $2 no province filter, $3/$4 the range in micros, $5 now in micros. Row-level
// security on notification_targets decides which targets the caller sees. A target the
// national centre itself must answer (a `national` target) is its backlog, not its province's.
// Each target carries its notice's deadline and creation time: no join to notifications.
constexpr const char* kNoticeBacklogSql =
    "SELECT t.province,"
    " count(*) FILTER (WHERE t.state IN ('DELIVERED', 'ACKNOWLEDGED')),"
    " count(*) FILTER (WHERE sitrep_notice_overdue(t.state, t.response_deadline,"
    "   sitrep_time($5))),"
    " coalesce(percentile_cont(0.5) WITHIN GROUP (ORDER BY"
    "   extract(epoch FROM t.acknowledged_at - t.notice_created_at)) FILTER (WHERE"
    "   t.acknowledged_at IS NOT NULL AND t.notice_created_at >= sitrep_time($3)"
    "   AND t.notice_created_at < sitrep_time($4)), 0),"
    " coalesce(percentile_cont(0.5) WITHIN GROUP (ORDER BY"
    "   extract(epoch FROM t.feedback_at - t.notice_created_at)) FILTER (WHERE"
    "   t.feedback_at IS NOT NULL AND t.notice_created_at >= sitrep_time($3)"
    "   AND t.notice_created_at < sitrep_time($4)), 0)"
    " FROM notification_targets t"
    " WHERE (t.state IN ('DELIVERED', 'ACKNOWLEDGED')"
    "   OR (t.notice_created_at >= sitrep_time($3) AND t.notice_created_at < sitrep_time($4)))"
    " AND ($2 OR t.province = ANY ($1::integer[]))"
    " AND NOT t.national"
    " GROUP BY 1 ORDER BY 1";

std::string IntArray(const std::vector<uint32_t>& values) {
  std::string literal = "{";
  for (size_t i = 0; i < values.size(); ++i) literal += (i ? "," : "") + std::to_string(values[i]);
  return literal + "}";
}

std::string TextArray(const std::vector<std::string>& values) {
  google::protobuf::RepeatedPtrField<std::string> repeated(values.begin(), values.end());
  return ArrayLiteral(repeated);
}

// Calls `add(slot, count)` for every non-zero element of a count array's text, "{0,3,NULL,1}".
template <class Add>
void ForEachCount(std::string_view text, Add&& add) {
  int slot = 1;
  int64_t value = 0;
  bool negative = false, digits = false;
  for (size_t i = 1; i < text.size(); ++i) {
    const char c = text[i];
    if (c == ',' || c == '}') {
      if (digits && value != 0) add(slot, negative ? -value : value);
      ++slot;
      value = 0;
      negative = digits = false;
    } else if (c == '-') {
      negative = true;
    } else if (c >= '0' && c <= '9') {
      value = value * 10 + (c - '0');
      digits = true;
    }  // the letters of NULL: an element never counted
  }
}

}  // namespace

std::shared_ptr<const std::vector<IncidentCell>> SituationStore::Slots(pqxx::transaction_base& tx,
                                                                       int slot) {
  std::lock_guard lock(slots_mu_);
  if (slots_ && static_cast<size_t>(slot) <= slots_->size()) return slots_;
  // Slots are only ever appended, so a list that lacks one is merely old.
  auto slots = std::make_shared<std::vector<IncidentCell>>();
  for (const pqxx::row& row :
       tx.exec("SELECT slot, dimension, value, severity FROM situation_slots ORDER BY slot")) {
    slots->resize(row[0].as<size_t>());
    IncidentCell& cell = slots->back();
    const std::string dimension = row[1].as<std::string>();
    if (dimension == "province") {
      cell.province = row[2].as<uint32_t>();
    } else if (dimension == "sector") {
      cell.sector = row[2].as<std::string>();
    } else {
      cell.category = EnumFromText<v1::Category>(row[2].as<std::string>());
    }
    cell.severity = static_cast<v1::Severity>(row[3].as<int>());
  }
  slots_ = std::move(slots);
  return slots_;
}

std::vector<IncidentCell> SituationStore::ReadIncidentCells(pqxx::transaction_base& tx,
                                                            const pqxx::result& result) {
  // bucket → count by slot − 1, summed over the cells and the other parts.
  std::map<int64_t, std::vector<int64_t>> sums;
  const auto add = [&](int64_t bucket, int slot, int64_t count) {
    std::vector<int64_t>& counts = sums[bucket];
    if (counts.size() < static_cast<size_t>(slot)) counts.resize(slot, 0);
    counts[slot - 1] += count;
  };
  for (const pqxx::row& row : result) {
    const int64_t bucket = row[0].as<int64_t>();
    if (row[1].is_null()) {
      add(bucket, row[2].as<int>(), row[3].as<int64_t>());
    } else {
      ForEachCount(row[1].c_str(), [&](int slot, int64_t count) { add(bucket, slot, count); });
    }
  }
  size_t highest_slot = 0;
  for (const auto& [bucket, counts] : sums) highest_slot = std::max(highest_slot, counts.size());
  const std::shared_ptr<const std::vector<IncidentCell>> slots =
      Slots(tx, static_cast<int>(highest_slot));
  size_t nonzero = 0;
  for (const auto& [bucket, counts] : sums) {
    nonzero += static_cast<size_t>(
        std::count_if(counts.begin(), counts.end(), [](int64_t count) { return count != 0; }));
  }
  std::vector<IncidentCell> cells;
  cells.reserve(nonzero);
  for (const auto& [bucket, counts] : sums) {
    for (size_t i = 0; i < counts.size(); ++i) {
      if (counts[i] == 0) continue;
      if (i >= slots->size()) throw std::runtime_error("a situation cell with an unknown slot");
      IncidentCell& cell = cells.emplace_back((*slots)[i]);
      cell.bucket_micros = bucket;
      cell.count = counts[i];
      cell.slot = i;
    }
  }
  return cells;
}

SituationRows SituationStore::Read(const Principal& caller, const SituationQuery& query) {
  const bool all_provinces = query.provinces.empty();
  const std::string count_provinces = all_provinces ? "{0}" : IntArray(query.provinces);
  const std::string provinces = IntArray(query.provinces);
  const std::string grain = query.bucket == v1::BUCKET_HOUR ? "h" : "d";
  const bool enterprise = caller.is(v1::ROLE_ENTERPRISE);
  const bool regulator = !enterprise;  // COLLECTOR callers never get here (feeds/situation.cc)
  const int64_t from = ToMicros(query.previous_start);
  const int64_t start = ToMicros(query.start);
  const int64_t end = ToMicros(query.end);

  // Every notice target a provincial regulator may see is addressed to its own province (it
  // issues only to its own enterprises), so its backlog reads that province's targets first
  // instead of asking the row-level security functions about every other province's.
  const bool own_backlog = caller.is(v1::ROLE_PROVINCIAL) && all_provinces;
  const std::string backlog_provinces = own_backlog ? IntArray({caller.province}) : provinces;

  return InTransaction(pool_, caller, [&](pqxx::work& tx) {
    SituationRows rows;
    rows.incidents = ReadIncidentCells(
        tx, ExecPrepared(tx, "situation_cells", kIncidentCellsSql, count_provinces, grain, from,
                         end, all_provinces, enterprise, caller.enterprise_id, caller.id));

    std::map<std::pair<std::string, std::string>, v1::ExposureCount> exposures;
    for (const pqxx::row& row :
         ExecPrepared(tx, "situation_exposure", kExposureSql, count_provinces, all_provinces,
                      enterprise, caller.enterprise_id, caller.id)) {
      v1::ExposureCount& count = exposures[{row[0].as<std::string>(), row[1].as<std::string>()}];
      count.set_protocol(row[0].as<std::string>());
      count.set_vendor(row[1].as<std::string>());
      count.set_assets(row[2].as<int64_t>());
      rows.exposed_assets += count.assets();
    }
    if (query.known_exploited_cves && !query.known_exploited_cves->empty()) {
      for (const pqxx::row& row :
           ExecPrepared(tx, "situation_known_exploited", kKnownExploitedSql,
                        TextArray(*query.known_exploited_cves), all_provinces, provinces)) {
        const auto found = exposures.find({row[0].as<std::string>(), row[1].as<std::string>()});
        if (found == exposures.end()) continue;  // cannot happen within one snapshot
        found->second.set_assets_with_known_exploited_cves(row[2].as<int64_t>());
        rows.exposed_assets_with_known_exploited_cves += row[2].as<int64_t>();
      }
    }
    for (auto& [key, count] : exposures) rows.exposures.push_back(std::move(count));
    std::sort(rows.exposures.begin(), rows.exposures.end(), [](const auto& a, const auto& b) {
      if (a.assets() != b.assets()) return a.assets() > b.assets();
      return std::tie(a.protocol(), a.vendor()) < std::tie(b.protocol(), b.vendor());
    });
    if (static_cast<int>(rows.exposures.size()) > query.max_exposures) {
      rows.exposures.resize(query.max_exposures);
    }

    for (const pqxx::row& row :
         ExecPrepared(tx, "situation_advisory_exposure", kAdvisoryExposureSql, provinces,
                      all_provinces, query.max_exposures)) {
      v1::AdvisoryExposureCount& count = rows.advisory_exposures.emplace_back();
      count.set_advisory_id(row[0].as<std::string>());
      count.set_title(row[1].as<std::string>());
      count.set_vendor(row[2].as<std::string>());
      count.set_known_exploited(row[3].as<bool>());
      count.set_max_cvss(row[4].as<double>());
      count.set_exposed_assets(row[5].as<int64_t>());
      rows.exposed_assets_matched = row[6].as<int64_t>();
      rows.exposed_assets_matched_known_exploited = row[7].as<int64_t>();
    }

    for (const pqxx::row& row :
         ExecPrepared(tx, "situation_backlog", kNoticeBacklogSql, backlog_provinces,
                      all_provinces && !own_backlog, start, end, ToMicros(query.now))) {
      v1::NoticeBacklog backlog;
      backlog.set_province(row[0].as<uint32_t>());
      backlog.set_open(row[1].as<int64_t>());
      backlog.set_overdue(row[2].as<int64_t>());
      backlog.set_median_seconds_to_acknowledge(row[3].as<double>());
      backlog.set_median_seconds_to_feedback(row[4].as<double>());
      rows.notice_backlog.push_back(std::move(backlog));
    }

    for (const pqxx::row& row :
         ExecPrepared(tx, "situation_top_enterprises", kTopEnterprisesSql, provinces, all_provinces,
                      regulator, enterprise, caller.enterprise_id, query.top_enterprises)) {
      v1::EnterpriseCount count;
      count.set_enterprise_id(row[0].as<int64_t>());
      count.set_name(row[1].as<std::string>());
      count.set_open_incidents(row[2].as<int64_t>());
      rows.top_enterprises.push_back(std::move(count));
    }
    return rows;
  });
}

}  // namespace sitrep::storage
