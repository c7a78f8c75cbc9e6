#include "feeds/situation.h"

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "domain/field_checks.h"
#include "domain/time_convert.h"

namespace sitrep::feeds {
namespace {

using std::chrono::hours;
using std::chrono::system_clock;

constexpr int kDefaultTopEnterprises = 10;
constexpr auto kChinaOffset = hours(8);          // China Standard Time, UTC+8, no daylight saving
constexpr int64_t kEarliestSeconds = 631152000;  // 1990-01-01, as records (README)
constexpr auto kFutureSlack = hours(24);

// For a time that passed CheckTimestamp: whether an overview may start or end there.
bool WithinSituationReach(const google::protobuf::Timestamp& time, system_clock::time_point now) {
  return time.seconds() >= kEarliestSeconds && FromTimestamp(time) <= now + kFutureSlack;
}

// The start and end the request means, before widening to buckets.
std::pair<system_clock::time_point, system_clock::time_point> RequestedRange(
    const v1::GetSituationRequest& request, system_clock::time_point now) {
  const v1::TimeRange& range = request.time_range();
  const system_clock::time_point end = range.has_end_time() ? FromTimestamp(range.end_time()) : now;
  const system_clock::time_point start = range.has_start_time()
                                             ? FromTimestamp(range.start_time())
                                             : end - hours(24 * kDefaultSituationDays);
  return {start, end};
}

system_clock::time_point Floor(system_clock::time_point time, system_clock::duration step,
                               system_clock::duration offset) {
  const auto shifted = (time + offset).time_since_epoch();
  auto floored = shifted - shifted % step;
  if (shifted % step < system_clock::duration::zero()) floored -= step;
  return system_clock::time_point(floored) - offset;
}

system_clock::time_point Ceil(system_clock::time_point time, system_clock::duration step,
                              system_clock::duration offset) {
  const system_clock::time_point floored = Floor(time, step, offset);
  return floored == time ? time : floored + step;
}

// The key of one total: which dimension and value, and the severity.
using TotalKey = std::tuple<uint32_t, std::string, int, int>;

TotalKey KeyOf(const storage::IncidentCell& cell) {
  return {cell.province, cell.sector, static_cast<int>(cell.category),
          static_cast<int>(cell.severity)};
}

v1::IncidentCount CountOf(const storage::IncidentCell& cell) {
  v1::IncidentCount count;
  count.set_province(cell.province);
  count.set_sector(cell.sector);
  count.set_category(cell.category);
  count.set_severity(cell.severity);
  count.set_count(cell.count);
  return count;
}

// Sums of one period by slot: a slot is one dimension value and severity, a total's key.
struct SlotTotals {
  std::vector<int64_t> counts;
  std::vector<const storage::IncidentCell*> cells;  // one cell of each slot counted

  void Add(const storage::IncidentCell& cell) {
    if (cell.slot >= counts.size()) {
      counts.resize(cell.slot + 1, 0);
      cells.resize(cell.slot + 1, nullptr);
    }
    counts[cell.slot] += cell.count;
    cells[cell.slot] = &cell;
  }

  // The non-zero totals in key order.
  void AppendTo(google::protobuf::RepeatedPtrField<v1::IncidentCount>* out) const {
    std::vector<std::pair<TotalKey, size_t>> keyed;
    for (size_t slot = 0; slot < counts.size(); ++slot) {
      if (counts[slot] != 0) keyed.emplace_back(KeyOf(*cells[slot]), slot);
    }
    std::sort(keyed.begin(), keyed.end());
    for (const auto& [key, slot] : keyed) {
      v1::IncidentCount& total = *out->Add() = CountOf(*cells[slot]);
      total.set_count(counts[slot]);
    }
  }
};

}  // namespace

FieldViolations CheckSituationRequest(const v1::GetSituationRequest& request,
                                      const ReferenceCodes& codes, system_clock::time_point now) {
  FieldViolations violations;
  const v1::TimeRange& range = request.time_range();
  bool times_valid = true;
  for (const auto& [present, time, field] :
       {std::tuple{range.has_start_time(), &range.start_time(), "time_range.start_time"},
        std::tuple{range.has_end_time(), &range.end_time(), "time_range.end_time"}}) {
    if (present && !CheckTimestamp(*time, field, violations)) {
      times_valid = false;
    } else if (present && !WithinSituationReach(*time, now)) {
      times_valid = false;
      violations.push_back(
          {field, "OUT_OF_RANGE", std::string(field) + " must lie between 1990 and tomorrow."});
    }
  }
  if (!v1::Bucket_IsValid(request.bucket())) {
    violations.push_back({"bucket", "INVALID_ENUM", "bucket: not a known value."});
  }
  if (times_valid) {
    const auto [start, end] = RequestedRange(request, now);
    const auto days = kMaxSituationDays;
    if (end <= start) {
      violations.push_back({"time_range.end_time", "BEFORE_START_TIME",
                            "time_range.end_time must come after start_time."});
    } else if (end - start > hours(24 * days)) {
      violations.push_back({"time_range", "TOO_LONG",
                            "time_range may span at most " + std::to_string(days) + " days."});
    } else if (request.bucket() == v1::BUCKET_HOUR &&
               end - start > hours(24 * kMaxHourBucketDays)) {
      violations.push_back({"bucket", "TOO_MANY_BUCKETS",
                            "bucket HOUR allows a time_range of at most " +
                                std::to_string(kMaxHourBucketDays) + " days; use DAY."});
    }
  }
  if (static_cast<size_t>(request.provinces_size()) > codes.provinces.size()) {
    violations.push_back(
        {"provinces", "TOO_MANY",
         "provinces: at most " + std::to_string(codes.provinces.size()) + " values."});
  } else {
    std::set<uint32_t> seen;
    for (int i = 0; i < request.provinces_size(); ++i) {
      const std::string field = "provinces[" + std::to_string(i) + "]";
      const uint32_t province = request.provinces(i);
      if (!codes.HasProvince(province)) {
        violations.push_back(
            {field, "UNKNOWN_PROVINCE",
             field + ": " + std::to_string(province) + " is not a provincial code."});
      } else if (!seen.insert(province).second) {
        violations.push_back({field, "DUPLICATE", field + ": named twice."});
      }
    }
  }
  if (request.top_enterprises() < 0 || request.top_enterprises() > kMaxTopEnterprises) {
    violations.push_back(
        {"top_enterprises", "OUT_OF_RANGE",
         "top_enterprises must be 0.." + std::to_string(kMaxTopEnterprises) + " (0: 10)."});
  }
  return violations;
}

AlignedRange AlignSituationRange(const v1::GetSituationRequest& request,
                                 system_clock::time_point now) {
  const auto [start, end] = RequestedRange(request, now);
  AlignedRange aligned;
  aligned.bucket = request.bucket() == v1::BUCKET_HOUR ? v1::BUCKET_HOUR : v1::BUCKET_DAY;
  const system_clock::duration step = aligned.bucket == v1::BUCKET_HOUR ? hours(1) : hours(24);
  const system_clock::duration offset =
      aligned.bucket == v1::BUCKET_HOUR ? system_clock::duration::zero() : kChinaOffset;
  aligned.start = Floor(start, step, offset);
  aligned.end = Ceil(end, step, offset);
  return aligned;
}

Outcome<v1::Situation> Situation::Get(const Principal& caller,
                                      const v1::GetSituationRequest& request) {
  const system_clock::time_point now = clock_.Now();
  FieldViolations violations = CheckSituationRequest(request, codes_, now);
  if (!violations.empty()) return InvalidArgument(std::move(violations));
  if (caller.is(v1::ROLE_COLLECTOR) || caller.is(v1::ROLE_UNSPECIFIED)) {
    return PermissionDenied("the situation overview is for regulators and enterprises.");
  }

  const AlignedRange range = AlignSituationRange(request, now);
  storage::SituationQuery query;
  query.start = range.start;
  query.end = range.end;
  query.previous_start = range.start - (range.end - range.start);
  query.bucket = range.bucket;
  query.provinces.assign(request.provinces().begin(), request.provinces().end());
  query.top_enterprises =
      request.top_enterprises() == 0 ? kDefaultTopEnterprises : request.top_enterprises();
  if (known_exploited_cves_) query.known_exploited_cves = known_exploited_cves_();
  query.now = now;
  storage::SituationRows rows = store_.Read(caller, query);

  v1::Situation situation;
  *situation.mutable_time_range()->mutable_start_time() = ToTimestamp(range.start);
  *situation.mutable_time_range()->mutable_end_time() = ToTimestamp(range.end);
  situation.set_bucket(range.bucket);
  const int64_t start_micros =
      std::chrono::duration_cast<std::chrono::microseconds>(range.start.time_since_epoch()).count();
  SlotTotals totals, previous_totals;
  std::map<int, int64_t> previous_by_severity;
  situation.mutable_incidents()->Reserve(static_cast<int>(rows.incidents.size()));
  for (const storage::IncidentCell& cell : rows.incidents) {
    const bool current = cell.bucket_micros >= start_micros;
    (current ? totals : previous_totals).Add(cell);
    // Every incident has exactly one category: the category cells count each incident once.
    const bool counts_each_once = cell.category != v1::CATEGORY_UNSPECIFIED;
    if (current) {
      v1::IncidentCount& count = *situation.add_incidents() = CountOf(cell);
      *count.mutable_bucket_start() =
          ToTimestamp(system_clock::time_point(std::chrono::microseconds(cell.bucket_micros)));
      if (counts_each_once) situation.set_total_incidents(situation.total_incidents() + cell.count);
    } else if (counts_each_once) {
      situation.set_previous_period_total_incidents(situation.previous_period_total_incidents() +
                                                    cell.count);
      previous_by_severity[cell.severity] += cell.count;
    }
  }
  totals.AppendTo(situation.mutable_totals());
  previous_totals.AppendTo(situation.mutable_previous_period_totals());
  for (const auto& [severity, count] : previous_by_severity) {
    if (count == 0) continue;
    v1::IncidentCount& cell = *situation.add_previous_period_by_severity();
    cell.set_severity(static_cast<v1::Severity>(severity));
    cell.set_count(count);
  }
  for (v1::ExposureCount& exposure : rows.exposures) {
    *situation.add_exposures() = std::move(exposure);
  }
  situation.set_exposed_assets(rows.exposed_assets);
  situation.set_exposed_assets_with_known_exploited_cves(
      rows.exposed_assets_with_known_exploited_cves);
  situation.set_known_exploited_list_loaded(query.known_exploited_cves &&
                                            !query.known_exploited_cves->empty());
  for (v1::AdvisoryExposureCount& exposure : rows.advisory_exposures) {
    *situation.add_advisory_exposures() = std::move(exposure);
  }
  situation.set_exposed_assets_matched(rows.exposed_assets_matched);
  situation.set_exposed_assets_matched_known_exploited(rows.exposed_assets_matched_known_exploited);
  for (v1::NoticeBacklog& backlog : rows.notice_backlog) {
    *situation.add_notice_backlog() = std::move(backlog);
  }
  for (v1::EnterpriseCount& enterprise : rows.top_enterprises) {
    *situation.add_top_enterprises() = std::move(enterprise);
  }
  return situation;
}

}  // namespace sitrep::feeds
