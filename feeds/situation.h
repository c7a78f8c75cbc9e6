#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "domain/clock.h"
#include "domain/field_violation.h"
#include "domain/outcome.h"
#include "domain/principal.h"
#include "domain/reference_codes.h"
#include "sitrep/v1/feed.pb.h"
#include "storage/situation_store.h"

namespace sitrep::feeds {

inline constexpr int kDefaultSituationDays = 30;
inline constexpr int kMaxSituationDays = 366;
inline constexpr int kMaxHourBucketDays = 31;
inline constexpr int kMaxTopEnterprises = 100;

// Every wrong field of a GetSituation request (time range, bucket, provinces, top_enterprises),
// judged at `now`; empty when it may be answered.
[[nodiscard]] FieldViolations CheckSituationRequest(const v1::GetSituationRequest& request,
                                                    const ReferenceCodes& codes,
                                                    std::chrono::system_clock::time_point now);

// The request's range with its defaults, widened to whole buckets: hours, or days of China
// Standard Time (UTC+8). The request must have passed CheckSituationRequest.
struct AlignedRange {
  std::chrono::system_clock::time_point start;
  std::chrono::system_clock::time_point end;
  v1::Bucket bucket = v1::BUCKET_DAY;
};
[[nodiscard]] AlignedRange AlignSituationRange(const v1::GetSituationRequest& request,
                                               std::chrono::system_clock::time_point now);

// FeedService.GetSituation (SPEC §4; issue #5): the overview of a time range and the provinces
// the caller names, counted from maintained rollups, with the previous period of the same length
// for trends. Thread-safe.
class Situation final {
 public:
  // `known_exploited_cves` gives the current known-exploited CVE list, sorted and shared (null
  // or empty when none is loaded); it is asked once per request.
  using CveList = std::function<std::shared_ptr<const std::vector<std::string>>()>;
  Situation(storage::SituationStore& store, const ReferenceCodes& codes, const Clock& clock,
            CveList known_exploited_cves)
      : store_(store),
        codes_(codes),
        clock_(clock),
        known_exploited_cves_(std::move(known_exploited_cves)) {}

  [[nodiscard]] Outcome<v1::Situation> Get(const Principal& caller,
                                           const v1::GetSituationRequest& request);

 private:
  storage::SituationStore& store_;
  const ReferenceCodes& codes_;
  const Clock& clock_;
  const CveList known_exploited_cves_;
};

}  // namespace sitrep::feeds
