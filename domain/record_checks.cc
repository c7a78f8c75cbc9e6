#include "domain/record_checks.h"

#include <arpa/inet.h>

#include <algorithm>
#include <cstdint>

#include "domain/field_checks.h"

namespace sitrep {
namespace {

using google::protobuf::Map;
using google::protobuf::RepeatedPtrField;
using google::protobuf::Timestamp;
using std::chrono::system_clock;

constexpr int64_t kEarliestSeconds = 631'152'000;  // 1990-01-01T00:00:00Z
constexpr size_t kMaxDomainChars = 253;
constexpr size_t kMaxLabelChars = 63;
constexpr size_t kMaxEmailLocalChars = 64;
constexpr uint32_t kMaxPort = 65'535;

std::string Path(const std::string& prefix, std::string_view field) {
  return prefix.empty() ? std::string(field) : prefix + "." + std::string(field);
}

std::string Indexed(const std::string& field, int index) {
  return field + "[" + std::to_string(index) + "]";
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsLower(char c) { return c >= 'a' && c <= 'z'; }
bool IsAlnum(char c) { return IsDigit(c) || IsLower(c) || (c >= 'A' && c <= 'Z'); }
bool IsHexDigit(char c) { return IsDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

bool AllOf(std::string_view text, bool (*predicate)(char)) {
  return std::all_of(text.begin(), text.end(), predicate);
}

bool IsDigits(std::string_view text, size_t min_digits, size_t max_digits) {
  return text.size() >= min_digits && text.size() <= max_digits && AllOf(text, IsDigit);
}

bool IsHex(std::string_view text, size_t digits) {
  return text.size() == digits && AllOf(text, IsHexDigit);
}

// inet_pton takes only the canonical forms: dotted quad (no shortened or octal forms) for IPv4,
// and neither ports nor zone ids ("%eth0") for either family.
// A NUL would end the C string early: "10.0.0.1\0junk" must not pass as 10.0.0.1.
bool IsAddress(int family, std::string_view text) {
  unsigned char buffer[sizeof(in6_addr)];
  return text.find('\0') == std::string_view::npos &&
         inet_pton(family, std::string(text).c_str(), buffer) == 1;
}

bool IsIpv4(std::string_view text) { return IsAddress(AF_INET, text); }
bool IsIpv6(std::string_view text) { return IsAddress(AF_INET6, text); }
bool IsIp(std::string_view text) { return IsIpv4(text) || IsIpv6(text); }

// An RFC 1123 label: letters, digits and inner hyphens.
bool IsLabel(std::string_view label) {
  return !label.empty() && label.size() <= kMaxLabelChars && label.front() != '-' &&
         label.back() != '-' && AllOf(label, [](char c) { return IsAlnum(c) || c == '-'; });
}

// A fully qualified host name: at least two labels; an all-digit last label would make a
// mistyped IPv4 address ("10.0.0.300") pass as a name.
bool IsDomainName(std::string_view name) {
  if (name.size() > kMaxDomainChars || name.find('.') == std::string_view::npos) return false;
  size_t start = 0;
  for (size_t dot = name.find('.'); dot != std::string_view::npos; dot = name.find('.', start)) {
    if (!IsLabel(name.substr(start, dot - start))) return false;
    start = dot + 1;
  }
  const std::string_view last = name.substr(start);
  return IsLabel(last) && !AllOf(last, IsDigit);
}

// "host", "host:port", "[ipv6]" or "[ipv6]:port".
bool IsAuthority(std::string_view authority) {
  const size_t colon = authority.rfind(':');
  const size_t bracket = authority.rfind(']');
  std::string_view host = authority;
  if (colon != std::string_view::npos && (bracket == std::string_view::npos || colon > bracket)) {
    const std::string_view port = authority.substr(colon + 1);
    if (!IsDigits(port, 1, 5) || std::stoul(std::string(port)) > kMaxPort) return false;
    host = authority.substr(0, colon);
  }
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
    return IsIpv6(host.substr(1, host.size() - 2));
  }
  return IsIpv4(host) || IsDomainName(host);
}

// scheme://[userinfo@]authority[/path][?query][#fragment] with an http, https or ftp scheme.
bool IsUrl(std::string_view url) {
  const size_t scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) return false;
  std::string scheme(url.substr(0, scheme_end));
  std::transform(scheme.begin(), scheme.end(), scheme.begin(),
                 [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; });
  if (scheme != "http" && scheme != "https" && scheme != "ftp") return false;
  if (url.find(' ') != std::string_view::npos) return false;
  std::string_view authority = url.substr(scheme_end + 3);
  authority = authority.substr(0, authority.find_first_of("/?#"));
  if (const size_t at = authority.rfind('@'); at != std::string_view::npos) {
    authority.remove_prefix(at + 1);
  }
  return IsAuthority(authority);
}

// An RFC 5322 dot-atom character: the local part of an address without quoting.
bool IsAtomOrDot(char c) {
  return IsAlnum(c) || std::string_view("!#$%&'*+-/=?^_`{|}~.").find(c) != std::string_view::npos;
}

// local@domain with a dot-atom local part (no quoted strings, no IP literals).
bool IsEmail(std::string_view email) {
  const size_t at = email.rfind('@');
  if (at == std::string_view::npos) return false;
  const std::string_view local = email.substr(0, at);
  return !local.empty() && local.size() <= kMaxEmailLocalChars && local.front() != '.' &&
         local.back() != '.' && local.find("..") == std::string_view::npos &&
         AllOf(local, IsAtomOrDot) && IsDomainName(email.substr(at + 1));
}

bool IsIndicatorValue(v1::IndicatorType type, std::string_view value) {
  switch (type) {
    case v1::INDICATOR_TYPE_IPV4:
      return IsIpv4(value);
    case v1::INDICATOR_TYPE_IPV6:
      return IsIpv6(value);
    case v1::INDICATOR_TYPE_DOMAIN:
      return IsDomainName(value);
    case v1::INDICATOR_TYPE_URL:
      return IsUrl(value);
    case v1::INDICATOR_TYPE_SHA256:
      return IsHex(value, 64);
    case v1::INDICATOR_TYPE_MD5:
      return IsHex(value, 32);
    case v1::INDICATOR_TYPE_EMAIL:
      return IsEmail(value);
    default:
      return false;
  }
}

bool IsProtocolCode(std::string_view code) {
  return !code.empty() && code.size() <= kMaxProtocolChars &&
         AllOf(code, [](char c) { return IsLower(c) || IsDigit(c) || c == '_'; });
}

void CheckProvince(uint32_t province, const ReferenceCodes& codes, const std::string& field,
                   FieldViolations& violations) {
  if (codes.HasProvince(province)) return;
  violations.push_back(
      {field, "UNKNOWN_PROVINCE",
       "province " + std::to_string(province) + " is not a GB/T 2260 provincial code."});
}

// Every string of a record passes CheckText before any rule about its shape, so that a NUL, a
// control character or bytes that are not UTF-8 are reported as such, in the field that holds
// them, and never reach COPY (issue 14). No length limit here: the shape check that follows
// decides that.
bool IsCleanText(std::string_view text, const std::string& field, FieldViolations& violations) {
  return CheckText(text, field, 0, SIZE_MAX, violations);
}

void CheckSector(const std::string& sector, const ReferenceCodes& codes, const std::string& field,
                 FieldViolations& violations) {
  if (!IsCleanText(sector, field, violations) || codes.HasSector(sector)) return;
  violations.push_back(
      {field, "UNKNOWN_SECTOR", field + " must be one of the seeded sector codes."});
}

// Whether the enterprise exists is the store's question; only the shape is checked here.
void CheckEnterpriseId(int64_t enterprise_id, const std::string& field,
                       FieldViolations& violations) {
  CheckId(enterprise_id, field, violations, /*zero_means_none=*/true);
}

enum class Unspecified { kRejected, kAllowed };

// Proto3 enums are open: the wire can carry a number the schema does not name, so a value is
// checked with the generated *_IsValid as well as against _UNSPECIFIED.
bool CheckEnum(int value, bool (*is_valid)(int), Unspecified unspecified, const std::string& field,
               FieldViolations& violations) {
  if (is_valid(value) && (value != 0 || unspecified == Unspecified::kAllowed)) return true;
  violations.push_back({field, "INVALID_ENUM",
                        value == 0 ? field + " must be set." : field + " is not a known value."});
  return false;
}

// Reports a list over `max_items` once, for the whole list; its items then go unchecked.
bool CheckCount(size_t items, size_t max_items, const std::string& field,
                FieldViolations& violations) {
  if (items <= max_items) return true;
  violations.push_back(
      {field, "TOO_MANY", field + " holds more than " + std::to_string(max_items) + " items."});
  return false;
}

void CheckIndicators(const RepeatedPtrField<v1::Indicator>& indicators, const std::string& field,
                     FieldViolations& violations) {
  if (!CheckCount(indicators.size(), kMaxIndicators, field, violations)) return;
  for (int i = 0; i < indicators.size(); ++i) {
    const v1::Indicator& indicator = indicators[i];
    const std::string item = Indexed(field, i);
    const std::string value_field = item + ".value";
    const bool type_ok = CheckEnum(indicator.type(), v1::IndicatorType_IsValid,
                                   Unspecified::kRejected, item + ".type", violations);
    const bool text_ok =
        CheckText(indicator.value(), value_field, 1, kMaxIndicatorChars, violations);
    if (!type_ok || !text_ok || IsIndicatorValue(indicator.type(), indicator.value())) continue;
    violations.push_back(
        {value_field, "INVALID_INDICATOR",
         value_field + " is not a valid " + v1::IndicatorType_Name(indicator.type()) + " value."});
  }
}

void CheckCveIds(const RepeatedPtrField<std::string>& ids, const std::string& field,
                 FieldViolations& violations) {
  if (!CheckCount(ids.size(), kMaxCveIds, field, violations)) return;
  for (int i = 0; i < ids.size(); ++i) {
    if (!IsCleanText(ids[i], Indexed(field, i), violations) || IsValidCveId(ids[i])) continue;
    violations.push_back({Indexed(field, i), "INVALID_CVE_ID",
                          Indexed(field, i) + " must be a CVE id such as CVE-2024-12345."});
  }
}

void CheckTechniqueIds(const RepeatedPtrField<std::string>& ids, const std::string& field,
                       FieldViolations& violations) {
  if (!CheckCount(ids.size(), kMaxTechniqueIds, field, violations)) return;
  for (int i = 0; i < ids.size(); ++i) {
    if (!IsCleanText(ids[i], Indexed(field, i), violations) || IsValidIcsTechniqueId(ids[i])) {
      continue;
    }
    violations.push_back(
        {Indexed(field, i), "INVALID_TECHNIQUE_ID",
         Indexed(field, i) + " must be an ATT&CK for ICS technique id such as T0831."});
  }
}

void CheckAssetKeys(const RepeatedPtrField<std::string>& keys, const std::string& field,
                    FieldViolations& violations) {
  if (!CheckCount(keys.size(), kMaxAssetKeys, field, violations)) return;
  for (int i = 0; i < keys.size(); ++i) {
    CheckText(keys[i], Indexed(field, i), 1, kMaxExternalIdChars, violations);
  }
}

// A bad key is not repeated in the path (it travels as a proto string in the BadRequest
// detail, and a NUL or an escape sequence has no business in a client's log): such an entry is
// named by the map alone.
void CheckAttributes(const Map<std::string, std::string>& attributes, const std::string& field,
                     FieldViolations& violations) {
  if (!CheckCount(attributes.size(), kMaxAttributes, field, violations)) return;
  for (const auto& [key, value] : attributes) {
    if (!CheckText(key, field, 1, kMaxAttributeKeyChars, violations)) continue;
    CheckText(value, field + "[\"" + key + "\"]", 0, kMaxAttributeValueChars, violations,
              /*multiline=*/true);
  }
}

bool IsBefore(const Timestamp& a, const Timestamp& b) {
  return a.seconds() < b.seconds() || (a.seconds() == b.seconds() && a.nanos() < b.nanos());
}

// Only for seconds already known to lie near now: system_clock counts nanoseconds in 64 bits,
// which overflow 292 years from 1970, while a Timestamp on the wire may hold any int64 seconds.
system_clock::time_point ToTimePoint(const Timestamp& time) {
  return system_clock::time_point(std::chrono::duration_cast<system_clock::duration>(
      std::chrono::seconds(time.seconds()) + std::chrono::nanoseconds(time.nanos())));
}

// Seconds are compared before converting, so a far-future Timestamp cannot overflow.
bool CheckTime(const Timestamp& time, const std::string& field, system_clock::time_point now,
               FieldViolations& violations) {
  if (!CheckTimestamp(time, field, violations)) return false;
  if (time.seconds() < kEarliestSeconds) {
    violations.push_back({field, "TOO_EARLY", field + " lies before 1990-01-01."});
    return false;
  }
  const system_clock::time_point latest = now + kMaxClockSkew;
  const int64_t latest_seconds =
      std::chrono::duration_cast<std::chrono::seconds>(latest.time_since_epoch()).count();
  if (time.seconds() > latest_seconds || ToTimePoint(time) > latest) {
    violations.push_back({field, "IN_FUTURE", field + " lies in the future."});
    return false;
  }
  return true;
}

void CheckIncidentTimes(const v1::Incident& incident, const std::string& prefix,
                        system_clock::time_point now, FieldViolations& violations) {
  const bool occur_ok =
      incident.has_occur_time() &&
      CheckTime(incident.occur_time(), Path(prefix, "occur_time"), now, violations);
  const bool detect_ok =
      incident.has_detect_time() &&
      CheckTime(incident.detect_time(), Path(prefix, "detect_time"), now, violations);
  if (occur_ok && detect_ok && IsBefore(incident.detect_time(), incident.occur_time())) {
    const std::string field = Path(prefix, "detect_time");
    violations.push_back({field, "BEFORE_OCCUR_TIME", field + " must not lie before occur_time."});
  }
}

}  // namespace

FieldViolations CheckIncident(const v1::Incident& incident, const ReferenceCodes& codes,
                              system_clock::time_point now, const std::string& prefix) {
  FieldViolations violations;
  const auto path = [&](std::string_view field) { return Path(prefix, field); };

  CheckText(incident.external_id(), path("external_id"), 1, kMaxExternalIdChars, violations);
  CheckProvince(incident.province(), codes, path("province"), violations);
  CheckEnterpriseId(incident.enterprise_id(), path("enterprise_id"), violations);
  CheckSector(incident.sector(), codes, path("sector"), violations);
  CheckEnum(incident.category(), v1::Category_IsValid, Unspecified::kRejected, path("category"),
            violations);
  CheckText(incident.subcategory(), path("subcategory"), 0, kMaxSubcategoryChars, violations);
  CheckEnum(incident.severity(), v1::Severity_IsValid, Unspecified::kRejected, path("severity"),
            violations);
  CheckEnum(incident.tlp(), v1::Tlp_IsValid, Unspecified::kRejected, path("tlp"), violations);
  CheckEnum(incident.sharing_scope(), v1::SharingScope_IsValid, Unspecified::kAllowed,
            path("sharing_scope"), violations);
  CheckEnum(incident.status(), v1::IncidentStatus_IsValid, Unspecified::kAllowed, path("status"),
            violations);
  CheckIncidentTimes(incident, prefix, now, violations);
  CheckText(incident.title(), path("title"), 1, kMaxTitleChars, violations);
  CheckText(incident.description(), path("description"), 0, kMaxDescriptionChars, violations,
            /*multiline=*/true);
  CheckIndicators(incident.indicators(), path("indicators"), violations);
  CheckCveIds(incident.cve_ids(), path("cve_ids"), violations);
  CheckTechniqueIds(incident.attack_technique_ids(), path("attack_technique_ids"), violations);
  CheckAssetKeys(incident.affected_asset_keys(), path("affected_asset_keys"), violations);
  CheckAttributes(incident.attributes(), path("attributes"), violations);
  return violations;
}

FieldViolations CheckAsset(const v1::Asset& asset, const ReferenceCodes& codes,
                           system_clock::time_point now, const std::string& prefix) {
  FieldViolations violations;
  const auto path = [&](std::string_view field) { return Path(prefix, field); };

  CheckText(asset.asset_key(), path("asset_key"), 1, kMaxExternalIdChars, violations);
  CheckProvince(asset.province(), codes, path("province"), violations);
  CheckEnterpriseId(asset.enterprise_id(), path("enterprise_id"), violations);
  if (!asset.sector().empty()) CheckSector(asset.sector(), codes, path("sector"), violations);
  if (IsCleanText(asset.ip(), path("ip"), violations) && !asset.ip().empty() && !IsIp(asset.ip())) {
    violations.push_back({path("ip"), "INVALID_IP",
                          path("ip") + " must be an IPv4 or IPv6 address without a port."});
  }
  if (asset.port() > kMaxPort) {
    violations.push_back({path("port"), "OUT_OF_RANGE", path("port") + " must be 0..65535."});
  }
  CheckEnum(asset.transport(), v1::Transport_IsValid, Unspecified::kAllowed, path("transport"),
            violations);
  if (IsCleanText(asset.protocol(), path("protocol"), violations) && !asset.protocol().empty() &&
      !IsProtocolCode(asset.protocol())) {
    violations.push_back(
        {path("protocol"), "INVALID_PROTOCOL",
         path("protocol") + " must be a lowercase code such as modbus or s7comm."});
  }
  CheckText(asset.vendor(), path("vendor"), 0, kMaxAssetTextChars, violations);
  CheckText(asset.product(), path("product"), 0, kMaxAssetTextChars, violations);
  CheckText(asset.version(), path("version"), 0, kMaxAssetTextChars, violations);
  CheckEnum(asset.type(), v1::AssetType_IsValid, Unspecified::kAllowed, path("type"), violations);
  CheckCveIds(asset.cve_ids(), path("cve_ids"), violations);
  if (asset.has_last_seen_time()) {
    CheckTime(asset.last_seen_time(), path("last_seen_time"), now, violations);
  }
  CheckAttributes(asset.attributes(), path("attributes"), violations);
  return violations;
}

bool IsValidCveId(std::string_view id) {
  if (id.size() < 13 || !id.starts_with("CVE-") || id[8] != '-') return false;
  const std::string_view year = id.substr(4, 4);
  const std::string_view sequence = id.substr(9);
  return IsDigits(year, 4, 4) && year >= "1999" && IsDigits(sequence, 4, 19) &&
         (sequence.size() == 4 || sequence.front() != '0');
}

bool IsValidIcsTechniqueId(std::string_view id) {
  if (!id.starts_with("T0") || !IsDigits(id.substr(2, 3), 3, 3)) return false;
  const std::string_view rest = id.substr(std::min<size_t>(id.size(), 5));
  return rest.empty() || (rest.front() == '.' && IsDigits(rest.substr(1), 3, 3));
}

}  // namespace sitrep
