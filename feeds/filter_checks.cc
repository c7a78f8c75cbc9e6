#include "feeds/filter_checks.h"

#include <string>

#include "domain/field_checks.h"
#include "domain/record_checks.h"

namespace sitrep::feeds {
namespace {

constexpr size_t kMaxFilterValues = 100;
constexpr size_t kMaxSearchChars = 200;

class FilterChecker final {
 public:
  FilterChecker(const ReferenceCodes& codes, const std::string& prefix)
      : codes_(codes), prefix_(prefix) {}

  std::string Path(const std::string& field) const {
    return prefix_.empty() ? field : prefix_ + "." + field;
  }

  void Provinces(const google::protobuf::RepeatedField<uint32_t>& provinces) {
    if (!Count(provinces.size(), "provinces")) return;
    for (int i = 0; i < provinces.size(); ++i) {
      if (!codes_.HasProvince(provinces[i])) {
        Add("provinces[" + std::to_string(i) + "]", "UNKNOWN_PROVINCE",
            std::to_string(provinces[i]) + " is not a provincial code.");
      }
    }
  }

  void Sectors(const google::protobuf::RepeatedPtrField<std::string>& sectors) {
    if (!Count(sectors.size(), "sectors")) return;
    for (int i = 0; i < sectors.size(); ++i) {
      if (!codes_.HasSector(sectors[i])) {
        Add("sectors[" + std::to_string(i) + "]", "UNKNOWN_SECTOR",
            "not one of the seeded sector codes.");
      }
    }
  }

  template <class IsValid>
  void Enums(const google::protobuf::RepeatedField<int>& values, const std::string& field,
             IsValid is_valid) {
    if (!Count(values.size(), field)) return;
    for (int i = 0; i < values.size(); ++i) {
      if (values[i] == 0 || !is_valid(values[i])) {
        Add(field + "[" + std::to_string(i) + "]", "INVALID_ENUM", "not a known value.");
      }
    }
  }

  void Cve(const std::string& cve_id) {
    if (!cve_id.empty() && !IsValidCveId(cve_id)) {
      Add("cve_id", "INVALID_CVE_ID", "cve_id must look like CVE-2024-12345.");
    }
  }

  void Text(const std::string& text, const std::string& field, size_t max_chars) {
    CheckText(text, Path(field), 0, max_chars, violations_);
  }

  void Range(const v1::TimeRange& range, const std::string& field) {
    const bool start_ok =
        !range.has_start_time() ||
        CheckTimestamp(range.start_time(), Path(field + ".start_time"), violations_);
    const bool end_ok = !range.has_end_time() ||
                        CheckTimestamp(range.end_time(), Path(field + ".end_time"), violations_);
    if (start_ok && end_ok && range.has_start_time() && range.has_end_time() &&
        (range.end_time().seconds() < range.start_time().seconds() ||
         (range.end_time().seconds() == range.start_time().seconds() &&
          range.end_time().nanos() < range.start_time().nanos()))) {
      Add(field + ".end_time", "BEFORE_START_TIME", "end_time must not precede start_time.");
    }
  }

  // A CVSS base score floor: 0..10, and a number (NaN compares false both ways).
  void Score(double score, const std::string& field) {
    if (!(score >= 0.0 && score <= 10.0)) {
      Add(field, "OUT_OF_RANGE", "a CVSS base score is 0..10.");
    }
  }

  void OptionalId(int64_t value, const std::string& field) {
    CheckId(value, Path(field), violations_, /*zero_means_none=*/true);
  }

  FieldViolations Take() { return std::move(violations_); }

 private:
  bool Count(int size, const std::string& field) {
    if (static_cast<size_t>(size) <= kMaxFilterValues) return true;
    Add(field, "TOO_MANY", "at most " + std::to_string(kMaxFilterValues) + " values.");
    return false;
  }

  void Add(const std::string& field, const char* reason, const std::string& sentence) {
    violations_.push_back({Path(field), reason, Path(field) + ": " + sentence});
  }

  const ReferenceCodes& codes_;
  const std::string prefix_;  // a copy: callers pass literals
  FieldViolations violations_;
};

}  // namespace

FieldViolations CheckIncidentFilter(const v1::IncidentFilter& filter, const ReferenceCodes& codes,
                                    const std::string& prefix) {
  FilterChecker check(codes, prefix);
  check.Provinces(filter.provinces());
  check.Sectors(filter.sectors());
  if (!v1::Severity_IsValid(filter.min_severity())) {
    FieldViolations violations = check.Take();
    violations.push_back({check.Path("min_severity"), "INVALID_ENUM",
                          check.Path("min_severity") + ": not a known value."});
    return violations;
  }
  check.Enums(filter.categories(), "categories", v1::Category_IsValid);
  check.Enums(filter.statuses(), "statuses", v1::IncidentStatus_IsValid);
  check.Range(filter.occur_time(), "occur_time");
  check.Range(filter.receive_time(), "receive_time");
  check.OptionalId(filter.enterprise_id(), "enterprise_id");
  check.Cve(filter.cve_id());
  check.Text(filter.indicator_value(), "indicator_value", kMaxIndicatorChars);
  check.Text(filter.title_contains(), "title_contains", kMaxSearchChars);
  return check.Take();
}

FieldViolations CheckAssetFilter(const v1::AssetFilter& filter, const ReferenceCodes& codes,
                                 const std::string& prefix) {
  FilterChecker check(codes, prefix);
  check.Provinces(filter.provinces());
  check.Sectors(filter.sectors());
  for (int i = 0; i < filter.protocols_size(); ++i) {
    check.Text(filter.protocols(i), "protocols[" + std::to_string(i) + "]", kMaxProtocolChars);
  }
  check.Text(filter.vendor(), "vendor", kMaxAssetTextChars);
  check.Cve(filter.cve_id());
  check.Range(filter.last_seen_time(), "last_seen_time");
  check.OptionalId(filter.enterprise_id(), "enterprise_id");
  return check.Take();
}

FieldViolations CheckAdvisoryFilter(const v1::AdvisoryFilter& filter, const ReferenceCodes& codes,
                                    const std::string& prefix) {
  FilterChecker check(codes, prefix);
  check.Text(filter.vendor(), "vendor", kMaxSearchChars);
  check.Text(filter.product(), "product", kMaxSearchChars);
  check.Cve(filter.cve_id());
  check.Score(filter.min_cvss(), "min_cvss");
  check.Range(filter.published_time(), "published_time");
  check.Text(filter.text(), "text", kMaxSearchChars);
  return check.Take();
}

FieldViolations CheckAffectedProvinces(const google::protobuf::RepeatedField<uint32_t>& provinces,
                                       const ReferenceCodes& codes) {
  FilterChecker check(codes, "");
  check.Provinces(provinces);
  return check.Take();
}

}  // namespace sitrep::feeds
