#include "cli/feed_filters.h"

#include <google/protobuf/util/time_util.h>

#include <CLI/CLI.hpp>
#include <optional>

#include "cli/enum_words.h"
#include "cli/timestamps.h"
#include "cli/usage_error.h"
#include "sitrep/v1/common.pb.h"

namespace sitrep::cli {
namespace {

namespace v1 = ::sitrep::v1;

void AddPlaceFlags(CLI::App& command, std::vector<std::string>& provinces,
                   std::vector<std::string>& sectors) {
  command
      .add_option("--province", provinces,
                  "only this province: code or name, e.g. 440000, Guangdong, 广东 (repeatable)")
      ->type_name("PROVINCE")
      ->delimiter(',');
  command
      .add_option("--sector", sectors,
                  "only this sector: code or Chinese name, e.g. energy "
                  "(repeatable)")
      ->type_name("SECTOR")
      ->delimiter(',');
}

void AddTimeFlag(CLI::App& command, const std::string& name, std::string& text,
                 const std::string& help) {
  command.add_option(name, text, help + ": a duration ago (24h, 7d) or an RFC 3339 time")
      ->check(TimeWordValidator());
}

std::vector<std::string> ResolveSectors(const std::vector<std::string>& words_given,
                                        const ReferenceWords& words) {
  std::vector<std::string> codes;
  for (const std::string& word : words_given) {
    std::optional<std::string> code = words.ParseSector(word);
    if (!code) {
      throw UsageError("--sector: unknown sector '" + word +
                       "'; valid codes: " + words.SectorCodes());
    }
    codes.push_back(std::move(*code));
  }
  return codes;
}

}  // namespace

std::optional<v1::TimeRange> TimeRangeOf(const std::string& since, const std::string& until,
                                         const char* since_flag, const char* until_flag,
                                         std::chrono::system_clock::time_point now) {
  if (since.empty() && until.empty()) return std::nullopt;
  v1::TimeRange range;
  // The flags were checked while parsing, so the times are there.
  if (!since.empty()) *range.mutable_start_time() = *ParseTimeWord(since, now);
  if (!until.empty()) *range.mutable_end_time() = *ParseTimeWord(until, now);
  if (range.has_start_time() && range.has_end_time() && range.end_time() <= range.start_time()) {
    throw UsageError(std::string(until_flag) + " " + until + " is not later than " + since_flag +
                     " " + since);
  }
  return range;
}

std::vector<std::uint32_t> ResolveProvinces(const std::vector<std::string>& words_given,
                                            const ReferenceWords& words) {
  std::vector<std::uint32_t> codes;
  for (const std::string& word : words_given) {
    const std::optional<std::uint32_t> code = words.ParseProvince(word);
    if (!code) {
      throw UsageError("--province: unknown province '" + word +
                       "'; give its code or name, e.g. 440000, Guangdong or 广东");
    }
    codes.push_back(*code);
  }
  return codes;
}

void AddIncidentFilterFlags(CLI::App& command, IncidentFilterFlags& flags) {
  AddPlaceFlags(command, flags.provinces, flags.sectors);
  AddEnumOption(command, "--min-severity", *v1::Severity_descriptor(), flags.min_severity,
                "only this severity or worse (I is the worst)");
  AddEnumListOption(command, "--category", *v1::Category_descriptor(), flags.categories,
                    "only this category (repeatable)");
  AddEnumListOption(command, "--status", *v1::IncidentStatus_descriptor(), flags.statuses,
                    "only this status (repeatable)");
  AddTimeFlag(command, "--since", flags.since, "only received from");
  AddTimeFlag(command, "--until", flags.until, "only received before");
  AddTimeFlag(command, "--occurred-since", flags.occurred_since, "only occurred from");
  AddTimeFlag(command, "--occurred-until", flags.occurred_until, "only occurred before");
  command.add_option("--enterprise", flags.enterprise_id, "only of this victim enterprise id");
  command.add_option("--cve", flags.cve_id, "only naming this CVE, e.g. CVE-2023-3595");
  command.add_option("--indicator", flags.indicator_value,
                     "only with an indicator of exactly this value, e.g. 203.0.113.7");
  command.add_option("--title", flags.title_contains,
                     "only with this text in the title (any case)");
}

void AddAssetFilterFlags(CLI::App& command, AssetFilterFlags& flags) {
  AddPlaceFlags(command, flags.provinces, flags.sectors);
  command.add_option("--protocol", flags.protocols, "only this protocol, e.g. modbus (repeatable)")
      ->delimiter(',');
  command.add_option("--vendor", flags.vendor, "only this vendor (exact, any case)");
  command.add_flag("--exposed", flags.exposed_only, "only assets exposed to the Internet");
  command.add_option("--cve", flags.cve_id, "only carrying this CVE, e.g. CVE-2022-45788");
  AddTimeFlag(command, "--seen-since", flags.seen_since, "only last seen from");
  AddTimeFlag(command, "--seen-until", flags.seen_until, "only last seen before");
  command.add_option("--enterprise", flags.enterprise_id, "only of this owner enterprise id");
}

bool NeedsReferenceWords(const IncidentFilterFlags& flags) {
  return !flags.provinces.empty() || !flags.sectors.empty();
}

bool NeedsReferenceWords(const AssetFilterFlags& flags) {
  return !flags.provinces.empty() || !flags.sectors.empty();
}

v1::IncidentFilter BuildIncidentFilter(const IncidentFilterFlags& flags,
                                       const ReferenceWords& words,
                                       std::chrono::system_clock::time_point now) {
  v1::IncidentFilter filter;
  for (const std::uint32_t code : ResolveProvinces(flags.provinces, words)) {
    filter.add_provinces(code);
  }
  for (std::string& code : ResolveSectors(flags.sectors, words)) {
    filter.add_sectors(std::move(code));
  }
  filter.set_min_severity(static_cast<v1::Severity>(flags.min_severity));
  for (const int category : flags.categories) {
    filter.add_categories(static_cast<v1::Category>(category));
  }
  for (const int status : flags.statuses) {
    filter.add_statuses(static_cast<v1::IncidentStatus>(status));
  }
  if (std::optional<v1::TimeRange> range =
          TimeRangeOf(flags.since, flags.until, "--since", "--until", now)) {
    *filter.mutable_receive_time() = std::move(*range);
  }
  if (std::optional<v1::TimeRange> range =
          TimeRangeOf(flags.occurred_since, flags.occurred_until, "--occurred-since",
                      "--occurred-until", now)) {
    *filter.mutable_occur_time() = std::move(*range);
  }
  filter.set_enterprise_id(flags.enterprise_id);
  filter.set_cve_id(flags.cve_id);
  filter.set_indicator_value(flags.indicator_value);
  filter.set_title_contains(flags.title_contains);
  return filter;
}

v1::AssetFilter BuildAssetFilter(const AssetFilterFlags& flags, const ReferenceWords& words,
                                 std::chrono::system_clock::time_point now) {
  v1::AssetFilter filter;
  for (const std::uint32_t code : ResolveProvinces(flags.provinces, words)) {
    filter.add_provinces(code);
  }
  for (std::string& code : ResolveSectors(flags.sectors, words)) {
    filter.add_sectors(std::move(code));
  }
  for (const std::string& protocol : flags.protocols) filter.add_protocols(protocol);
  filter.set_vendor(flags.vendor);
  filter.set_internet_exposed_only(flags.exposed_only);
  filter.set_cve_id(flags.cve_id);
  if (std::optional<v1::TimeRange> range =
          TimeRangeOf(flags.seen_since, flags.seen_until, "--seen-since", "--seen-until", now)) {
    *filter.mutable_last_seen_time() = std::move(*range);
  }
  filter.set_enterprise_id(flags.enterprise_id);
  return filter;
}

}  // namespace sitrep::cli
