#include "cli/feed_columns.h"

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "cli/enum_words.h"
#include "cli/severity_colour.h"
#include "cli/timestamps.h"

namespace sitrep::cli {
namespace {

namespace v1 = ::sitrep::v1;

std::string IdOrDash(std::int64_t id) { return id == 0 ? "-" : std::to_string(id); }

// "key: value" lines sorted by key: a proto map has no order of its own.
std::string AttributeLines(const google::protobuf::Map<std::string, std::string>& attributes) {
  std::vector<std::pair<std::string, std::string>> sorted(attributes.begin(), attributes.end());
  std::sort(sorted.begin(), sorted.end());
  std::string lines;
  for (const auto& [key, value] : sorted) {
    if (!lines.empty()) lines += '\n';
    lines += key + ": " + value;
  }
  return lines;
}

std::string IndicatorLines(const v1::Incident& incident) {
  std::string lines;
  for (const v1::Indicator& indicator : incident.indicators()) {
    if (!lines.empty()) lines += '\n';
    lines += EnumWord(indicator.type()) + " " + indicator.value();
  }
  return lines;
}

// "198.51.100.23:502/tcp", "[2001:db8::1]:502/tcp"; the address alone without a port; "-" when
// redacted or unknown.
std::string AddressText(const v1::Asset& asset) {
  if (asset.ip().empty()) return "-";
  if (asset.port() == 0) return asset.ip();
  const bool ipv6 = asset.ip().find(':') != std::string::npos;
  std::string address =
      (ipv6 ? "[" + asset.ip() + "]" : asset.ip()) + ":" + std::to_string(asset.port());
  if (asset.transport() != v1::TRANSPORT_UNSPECIFIED) address += "/" + EnumWord(asset.transport());
  return address;
}

std::string ProductText(const v1::Asset& asset) {
  std::vector<std::string> parts;
  for (const std::string* part : {&asset.vendor(), &asset.product(), &asset.version()}) {
    if (!part->empty()) parts.push_back(*part);
  }
  return Joined(parts, " ");
}

std::string SeverityColourOf(const v1::Incident& incident) {
  return SeverityColour(incident.severity());
}

}  // namespace

Columns<v1::Incident> IncidentRowColumns(const ReferenceWords& words) {
  return {
      {"ID", [](const v1::Incident& i) { return std::to_string(i.id()); }},
      {"REV", [](const v1::Incident& i) { return std::to_string(i.revision()); }},
      {"RECEIVED", [](const v1::Incident& i) { return FormatTimestamp(i.receive_time()); }},
      {"PROV", [&words](const v1::Incident& i) { return words.ProvinceShortName(i.province()); }},
      {"SECTOR", [](const v1::Incident& i) { return i.sector(); }},
      {"SEVERITY", [](const v1::Incident& i) { return SeverityText(i.severity()); },
       SeverityColourOf},
      {"CATEGORY", [](const v1::Incident& i) { return EnumWord(i.category()); }},
      {"STATUS", [](const v1::Incident& i) { return EnumWord(i.status()); }},
      {"TLP", [](const v1::Incident& i) { return EnumWord(i.tlp()); }},
      {"TITLE", [](const v1::Incident& i) { return i.title(); }},
  };
}

Columns<v1::Incident> IncidentFieldColumns(const ReferenceWords& words) {
  return {
      {"ID", [](const v1::Incident& i) { return std::to_string(i.id()); }},
      {"REVISION", [](const v1::Incident& i) { return std::to_string(i.revision()); }},
      {"TITLE", [](const v1::Incident& i) { return i.title(); }},
      {"SEVERITY", [](const v1::Incident& i) { return SeverityText(i.severity()); },
       SeverityColourOf},
      {"CATEGORY", [](const v1::Incident& i) { return EnumWord(i.category()); }},
      {"SUBCATEGORY", [](const v1::Incident& i) { return i.subcategory(); }},
      {"STATUS", [](const v1::Incident& i) { return EnumWord(i.status()); }},
      {"PROVINCE",
       [&words](const v1::Incident& i) { return words.ProvinceFullName(i.province()); }},
      {"SECTOR", [&words](const v1::Incident& i) { return words.SectorFullName(i.sector()); }},
      {"ENTERPRISE", [](const v1::Incident& i) { return IdOrDash(i.enterprise_id()); }},
      {"TLP", [](const v1::Incident& i) { return EnumWord(i.tlp()); }},
      {"SHARING", [](const v1::Incident& i) { return EnumWord(i.sharing_scope()); }},
      {"REDACTED", [](const v1::Incident& i) { return YesNo(i.redacted()); }},
      {"OCCURRED", [](const v1::Incident& i) { return FormatTimestamp(i.occur_time()); }},
      {"DETECTED", [](const v1::Incident& i) { return FormatTimestamp(i.detect_time()); }},
      {"RECEIVED", [](const v1::Incident& i) { return FormatTimestamp(i.receive_time()); }},
      {"UPDATED", [](const v1::Incident& i) { return FormatTimestamp(i.update_time()); }},
      {"REPORTER", [](const v1::Incident& i) { return std::to_string(i.reporter_id()); }},
      {"EXTERNAL ID", [](const v1::Incident& i) { return i.external_id(); }},
      {"INDICATORS", IndicatorLines},
      {"CVES", [](const v1::Incident& i) { return Joined(i.cve_ids(), "\n"); }},
      {"TECHNIQUES", [](const v1::Incident& i) { return Joined(i.attack_technique_ids(), ", "); }},
      {"ASSETS", [](const v1::Incident& i) { return Joined(i.affected_asset_keys(), "\n"); }},
      {"ATTRIBUTES", [](const v1::Incident& i) { return AttributeLines(i.attributes()); }},
      {"DESCRIPTION", [](const v1::Incident& i) { return i.description(); }},
      {"CURSOR", [](const v1::Incident& i) { return i.cursor(); }},
  };
}

Columns<v1::Asset> AssetRowColumns(const ReferenceWords& words) {
  return {
      {"ID", [](const v1::Asset& a) { return std::to_string(a.id()); }},
      {"PROV", [&words](const v1::Asset& a) { return words.ProvinceShortName(a.province()); }},
      {"SECTOR", [](const v1::Asset& a) { return a.sector(); }},
      {"ADDRESS", AddressText},
      {"PROTOCOL", [](const v1::Asset& a) { return a.protocol(); }},
      {"TYPE", [](const v1::Asset& a) { return EnumWord(a.type()); }},
      {"EXPOSED", [](const v1::Asset& a) { return YesNo(a.internet_exposed()); }},
      {"CVES", [](const v1::Asset& a) { return std::to_string(a.cve_ids_size()); }},
      {"LAST SEEN", [](const v1::Asset& a) { return FormatTimestamp(a.last_seen_time()); }},
      {"PRODUCT", ProductText},
  };
}

Columns<v1::Asset> AssetFieldColumns(const ReferenceWords& words) {
  return {
      {"ID", [](const v1::Asset& a) { return std::to_string(a.id()); }},
      {"ASSET KEY", [](const v1::Asset& a) { return a.asset_key(); }},
      {"PROVINCE", [&words](const v1::Asset& a) { return words.ProvinceFullName(a.province()); }},
      {"SECTOR", [&words](const v1::Asset& a) { return words.SectorFullName(a.sector()); }},
      {"ENTERPRISE", [](const v1::Asset& a) { return IdOrDash(a.enterprise_id()); }},
      {"ADDRESS", AddressText},
      {"PROTOCOL", [](const v1::Asset& a) { return a.protocol(); }},
      {"TYPE", [](const v1::Asset& a) { return EnumWord(a.type()); }},
      {"VENDOR", [](const v1::Asset& a) { return a.vendor(); }},
      {"PRODUCT", [](const v1::Asset& a) { return a.product(); }},
      {"VERSION", [](const v1::Asset& a) { return a.version(); }},
      {"EXPOSED", [](const v1::Asset& a) { return YesNo(a.internet_exposed()); }},
      {"CVES", [](const v1::Asset& a) { return Joined(a.cve_ids(), "\n"); }},
      {"REDACTED", [](const v1::Asset& a) { return YesNo(a.redacted()); }},
      {"FIRST SEEN", [](const v1::Asset& a) { return FormatTimestamp(a.first_seen_time()); }},
      {"LAST SEEN", [](const v1::Asset& a) { return FormatTimestamp(a.last_seen_time()); }},
      {"TIMES SEEN", [](const v1::Asset& a) { return std::to_string(a.times_seen()); }},
      {"REPORTER", [](const v1::Asset& a) { return std::to_string(a.reporter_id()); }},
      {"ATTRIBUTES", [](const v1::Asset& a) { return AttributeLines(a.attributes()); }},
      {"CURSOR", [](const v1::Asset& a) { return a.cursor(); }},
  };
}

}  // namespace sitrep::cli
