#include "stix/inbound.h"

#include <google/protobuf/descriptor.h>
#include <google/protobuf/util/time_util.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <map>
#include <set>
#include <utility>

#include "domain/record_checks.h"
#include "domain/utf8.h"

namespace sitrep::stix {
namespace {

using google::protobuf::Timestamp;
using google::protobuf::util::TimeUtil;
using nlohmann::json;

// ParseStixDocument writes this in place of every byte that is not UTF-8 (U+FFFF, a
// noncharacter no text needs), so that only the object holding such bytes fails.
constexpr std::string_view kNotUtf8 = "\xEF\xBF\xBF";
// The member ParseStixDocument adds to an object of the document whose nesting it cut off.
constexpr const char* kTooDeepMarker = "\x01too_deep";
// Object depth in nlohmann's parser callback: the document is 0, its "objects" array 1.
constexpr int kTopObjectDepth = 2;

constexpr std::string_view kIncidentCoreExtension =
    "extension-definition--ef765651-680c-498d-9894-99799f2fa126";
constexpr size_t kMaxTypeChars = 250;
constexpr size_t kMaxIdChars = 300;
constexpr size_t kMaxAttributeStixChars = 300;
// SDOs and SROs must carry spec_version, created and modified; cyber-observables need not.
constexpr std::array<std::string_view, 21> kDomainTypes = {
    "attack-pattern", "campaign",      "course-of-action", "grouping",
    "identity",       "incident",      "indicator",        "infrastructure",
    "intrusion-set",  "location",      "malware",          "malware-analysis",
    "note",           "observed-data", "opinion",          "report",
    "threat-actor",   "tool",          "vulnerability",    "relationship",
    "sighting"};

// The first thing wrong with an object: its property path and one sentence.
struct Problem {
  std::string property;
  std::string message;
};

bool IsDomainType(std::string_view type) {
  return std::find(kDomainTypes.begin(), kDomainTypes.end(), type) != kDomainTypes.end();
}

bool IsHex(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); }

// STIX type names: 3..250 of [a-z0-9-], starting with a letter, not ending with a hyphen.
bool IsStixType(std::string_view type) {
  if (type.size() < 3 || type.size() > kMaxTypeChars) return false;
  if (type.front() < 'a' || type.front() > 'z' || type.back() == '-') return false;
  return std::all_of(type.begin(), type.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
  });
}

// A lowercase RFC 4122 UUID, version 1..5, variant 10xx: the identifier.json pattern.
bool IsUuid(std::string_view text) {
  if (text.size() != 36) return false;
  for (size_t i = 0; i < text.size(); ++i) {
    const bool hyphen = i == 8 || i == 13 || i == 18 || i == 23;
    if (hyphen ? text[i] != '-' : !IsHex(text[i])) return false;
  }
  return text[14] >= '1' && text[14] <= '5' &&
         (text[19] == '8' || text[19] == '9' || text[19] == 'a' || text[19] == 'b');
}

// "type--uuid" where type is `type` (or any STIX type when `type` is empty).
bool IsStixId(std::string_view id, std::string_view type) {
  const size_t separator = id.find("--");
  if (separator == std::string_view::npos) return false;
  const std::string_view prefix = id.substr(0, separator);
  if (type.empty() ? !IsStixType(prefix) : prefix != type) return false;
  return IsUuid(id.substr(separator + 2));
}

// A STIX timestamp: RFC 3339 in UTC with a literal Z, "2016-05-12T08:17:27.000Z", seconds
// fraction optional (1..9 digits).
std::optional<Timestamp> ParseStixTime(std::string_view text) {
  constexpr std::string_view kShape = "dddd-dd-ddTdd:dd:dd";
  if (text.size() < kShape.size() + 1 || text.size() > kShape.size() + 11 || text.back() != 'Z') {
    return std::nullopt;
  }
  for (size_t i = 0; i < kShape.size(); ++i) {
    const bool digit = text[i] >= '0' && text[i] <= '9';
    if (kShape[i] == 'd' ? !digit : text[i] != kShape[i]) return std::nullopt;
  }
  const std::string_view fraction = text.substr(kShape.size(), text.size() - kShape.size() - 1);
  if (!fraction.empty()) {
    if (fraction.size() < 2 || fraction[0] != '.') return std::nullopt;
    for (char c : fraction.substr(1)) {
      if (c < '0' || c > '9') return std::nullopt;
    }
  }
  Timestamp time;
  if (!TimeUtil::FromString(std::string(text), &time)) return std::nullopt;
  return time;
}

// Why `text` cannot be stored as one line (or, `multiline`, a paragraph) of at most `max_chars`
// code points; empty when it can.
std::string TextProblem(std::string_view text, size_t max_chars, bool multiline) {
  size_t chars = 0;
  uint32_t code_point = 0;
  for (size_t pos = 0; pos < text.size(); ++chars) {
    const size_t length = DecodeUtf8(text, pos, code_point);
    if (length == 0 || code_point == 0xFFFF) return "not valid UTF-8";
    const bool whitespace = code_point == '\n' || code_point == '\t' || code_point == '\r';
    if (IsControlCharacter(code_point) && !(multiline && whitespace)) {
      return "contains a control character";
    }
    pos += length;
  }
  if (chars > max_chars) return "longer than " + std::to_string(max_chars) + " characters";
  return std::string();
}

// Reads the properties of one object; the first wrong one is kept as the object's Problem and
// later reads return empty values, so a mapping reads straight through and checks once.
class PropertyReader {
 public:
  PropertyReader(const json& object, std::string path) : object_(object), path_(std::move(path)) {}

  [[nodiscard]] bool failed() const { return problem_.has_value(); }
  [[nodiscard]] const Problem& problem() const { return *problem_; }
  [[nodiscard]] const std::string& path() const { return path_; }
  [[nodiscard]] std::string PathOf(std::string_view name) const {
    return path_ + "." + std::string(name);
  }

  void Fail(std::string property, std::string message) {
    if (!problem_) problem_ = Problem{std::move(property), std::move(message)};
  }

  // The member, or nullptr when absent (or after a failure).
  [[nodiscard]] const json* Find(std::string_view name) const {
    if (failed()) return nullptr;
    const auto found = object_.find(name);
    return found == object_.end() ? nullptr : &*found;
  }

  // A string property of at most `max_chars`; "" when absent and not `required`.
  std::string Text(std::string_view name, size_t max_chars, bool required, bool multiline = false) {
    return TextAt(Find(name), PathOf(name), max_chars, required, multiline);
  }

  std::string TextAt(const json* value, const std::string& property, size_t max_chars,
                     bool required, bool multiline = false) {
    if (failed()) return std::string();
    if (value == nullptr) {
      if (required) Fail(property, "required");
      return std::string();
    }
    if (!value->is_string()) {
      Fail(property, "not a string");
      return std::string();
    }
    const std::string& text = value->get_ref<const std::string&>();
    if (const std::string why = TextProblem(text, max_chars, multiline); !why.empty()) {
      Fail(property, why);
      return std::string();
    }
    if (required && text.empty()) Fail(property, "required");
    return text;
  }

  std::optional<Timestamp> Time(std::string_view name, bool required) {
    const json* value = Find(name);
    if (value == nullptr) {
      if (required && !failed()) Fail(PathOf(name), "required");
      return std::nullopt;
    }
    const std::optional<Timestamp> time =
        value->is_string() ? ParseStixTime(value->get_ref<const std::string&>()) : std::nullopt;
    if (!time) Fail(PathOf(name), "not a STIX timestamp");
    return time;
  }

  // An array property; nullptr when absent. Wrong type or more than `max_items` items fails.
  const json* Array(std::string_view name, size_t max_items) {
    const json* value = Find(name);
    if (value == nullptr) return nullptr;
    if (!value->is_array()) {
      Fail(PathOf(name), "not a list");
      return nullptr;
    }
    if (value->size() > max_items) {
      Fail(PathOf(name), "more than " + std::to_string(max_items) + " items");
      return nullptr;
    }
    return value;
  }

  // An object property; nullptr when absent. Wrong type fails.
  const json* Object(std::string_view name) {
    const json* value = Find(name);
    if (value != nullptr && !value->is_object()) {
      Fail(PathOf(name), "not an object");
      return nullptr;
    }
    return value;
  }

 private:
  const json& object_;
  const std::string path_;
  std::optional<Problem> problem_;
};

std::string Indexed(const std::string& path, size_t index) {
  return path + "[" + std::to_string(index) + "]";
}

// The id and type as far as they are sane to repeat in a verdict.
void Identify(const json& object, ObjectVerdict& verdict) {
  const auto text = [&](const char* name, size_t max) -> std::string {
    const auto found = object.find(name);
    if (found == object.end() || !found->is_string()) return std::string();
    const std::string& value = found->get_ref<const std::string&>();
    return value.size() <= max && TextProblem(value, max, false).empty() ? value : std::string();
  };
  verdict.stix_id = text("id", kMaxIdChars);
  verdict.type = text("type", kMaxTypeChars);
}

// The common properties (STIX 2.1 §3.2): type, spec_version, id, created, modified, and the
// marking references. Returns the object's TLP (nullopt when it names none).
std::optional<v1::Tlp> CheckCommonProperties(PropertyReader& reader, std::string& version) {
  const std::string type = reader.Text("type", kMaxTypeChars, true);
  if (!reader.failed() && !IsStixType(type)) {
    reader.Fail(reader.PathOf("type"), "not a STIX type name");
  }
  const bool domain = IsDomainType(type);
  const json* spec_version = reader.Find("spec_version");
  if (spec_version == nullptr && domain && !reader.failed()) {
    reader.Fail(reader.PathOf("spec_version"), "required");
  } else if (spec_version != nullptr && *spec_version != "2.1") {
    reader.Fail(reader.PathOf("spec_version"), "not \"2.1\"");
  }
  const std::string id = reader.Text("id", kMaxIdChars, true);
  if (!reader.failed() && !IsStixId(id, type)) {
    reader.Fail(reader.PathOf("id"), "not \"" + type + "--\" followed by a UUID");
  }
  const bool dated = domain || type == "marking-definition";
  const std::optional<Timestamp> created = reader.Time("created", dated);
  const std::optional<Timestamp> modified = reader.Time("modified", domain);
  if (created && modified && *modified < *created) {
    reader.Fail(reader.PathOf("modified"), "earlier than created");
  }
  if (!reader.failed()) {
    const json* version_value = reader.Find(modified ? "modified" : "created");
    if (version_value != nullptr) version = version_value->get<std::string>();
  }
  std::optional<v1::Tlp> tlp;
  if (const json* refs = reader.Array("object_marking_refs", 100)) {
    for (size_t i = 0; i < refs->size() && !reader.failed(); ++i) {
      const std::string property = Indexed(reader.PathOf("object_marking_refs"), i);
      const std::string ref = reader.TextAt(&(*refs)[i], property, kMaxIdChars, true);
      if (reader.failed()) break;
      if (!IsStixId(ref, "marking-definition")) {
        reader.Fail(property, "not a marking-definition id");
        break;
      }
      // Several TLP markings: the strictest holds (the enum runs from CLEAR to RED).
      if (const std::optional<v1::Tlp> level = TlpOfMarking(ref)) {
        tlp = std::max(tlp.value_or(v1::TLP_CLEAR), *level);
      }
    }
  }
  if (reader.Find(kTooDeepMarker) != nullptr) {
    reader.Fail(reader.path(), "nested deeper than " + std::to_string(kMaxObjectDepth) + " levels");
  }
  return tlp;
}

// Integer property within [min, max]; nullopt when absent.
std::optional<int64_t> Integer(PropertyReader& reader, const json& holder, std::string_view name,
                               const std::string& path, int64_t min, int64_t max) {
  if (reader.failed()) return std::nullopt;
  const auto found = holder.find(name);
  if (found == holder.end()) return std::nullopt;
  const std::string property = path + "." + std::string(name);
  if (!found->is_number_integer()) {
    reader.Fail(property, "not an integer");
    return std::nullopt;
  }
  const int64_t value = found->is_number_unsigned() && found->get<uint64_t>() > uint64_t(INT64_MAX)
                            ? INT64_MAX
                            : found->get<int64_t>();
  if (value < min || value > max) {
    reader.Fail(property, "not between " + std::to_string(min) + " and " + std::to_string(max));
    return std::nullopt;
  }
  return value;
}

// An enum value named as sitrep's export writes it (docs/stix-mapping.md): the proto name
// without `prefix`, lowercase, '-' for '_' ("SHARING_SCOPE_ALL_REGULATORS" → "all-regulators").
// Returns 0 for "unspecified", -1 for a name that is none of them.
int EnumValue(const google::protobuf::EnumDescriptor& type, std::string_view prefix,
              std::string_view name) {
  for (int i = 0; i < type.value_count(); ++i) {
    std::string spelled = type.value(i)->name();
    if (spelled.rfind(prefix, 0) == 0) spelled.erase(0, prefix.size());
    for (char& c : spelled) c = c == '_' ? '-' : static_cast<char>(std::tolower(c));
    if (spelled == name) return type.value(i)->number();
  }
  return -1;
}

// The value of an enum property such as x_sitrep_category; `unset` when absent or
// "unspecified". A name that is none of the enum's fails, listing them.
template <typename Enum>
Enum ReadEnum(PropertyReader& reader, std::string_view property,
              const google::protobuf::EnumDescriptor& type, std::string_view prefix, Enum unset) {
  const std::string name = reader.Text(property, 40, false);
  if (name.empty() || reader.failed()) return unset;
  const int value = EnumValue(type, prefix, name);
  if (value < 0) {
    std::string names;
    for (int i = 1; i < type.value_count(); ++i) {
      std::string spelled = type.value(i)->name().substr(prefix.size());
      for (char& c : spelled) c = c == '_' ? '-' : static_cast<char>(std::tolower(c));
      names += (i == 1 ? "" : ", ") + spelled;
    }
    reader.Fail(reader.PathOf(property), "not one of " + names);
    return unset;
  }
  return value == 0 ? unset : static_cast<Enum>(value);
}

v1::Severity ReadSeverity(PropertyReader& reader) {
  const std::string name = reader.Text("x_sitrep_severity", 20, false);
  static const std::map<std::string, v1::Severity, std::less<>> kGrades = {
      {"I", v1::SEVERITY_I},
      {"II", v1::SEVERITY_II},
      {"III", v1::SEVERITY_III},
      {"IV", v1::SEVERITY_IV},
      {"unspecified", v1::SEVERITY_UNSPECIFIED}};
  if (name.empty()) return v1::SEVERITY_UNSPECIFIED;
  const auto found = kGrades.find(name);
  if (found == kGrades.end()) {
    reader.Fail(reader.PathOf("x_sitrep_severity"), "not one of I, II, III, IV");
    return v1::SEVERITY_UNSPECIFIED;
  }
  return found->second;
}

// sitrep's own custom properties (what its export writes), read when present; they win over
// what the STIX and Incident Core properties say, so that sitrep → sitrep loses nothing.
struct SitrepProperties {
  std::optional<uint32_t> province;
  std::string sector;
  std::string subcategory;
  v1::Category category = v1::CATEGORY_UNSPECIFIED;
  v1::Severity severity = v1::SEVERITY_UNSPECIFIED;
  v1::IncidentStatus status = v1::INCIDENT_STATUS_UNSPECIFIED;
  v1::SharingScope sharing_scope = v1::SHARING_SCOPE_UNSPECIFIED;
  std::optional<Timestamp> occur_time;
  std::optional<Timestamp> detect_time;
  std::vector<std::string> technique_ids;
};

SitrepProperties ReadSitrepProperties(PropertyReader& reader, const json& object) {
  SitrepProperties properties;
  if (const std::optional<int64_t> province =
          Integer(reader, object, "x_sitrep_province", reader.path(), 1, 999'999)) {
    properties.province = static_cast<uint32_t>(*province);
  }
  properties.sector = reader.Text("x_sitrep_sector", 40, false);
  properties.subcategory = reader.Text("x_sitrep_subcategory", kMaxSubcategoryChars, false);
  properties.category = ReadEnum(reader, "x_sitrep_category", *v1::Category_descriptor(),
                                 "CATEGORY_", v1::CATEGORY_UNSPECIFIED);
  properties.severity = ReadSeverity(reader);
  properties.status = ReadEnum(reader, "x_sitrep_status", *v1::IncidentStatus_descriptor(),
                               "INCIDENT_STATUS_", v1::INCIDENT_STATUS_UNSPECIFIED);
  properties.sharing_scope =
      ReadEnum(reader, "x_sitrep_sharing_scope", *v1::SharingScope_descriptor(), "SHARING_SCOPE_",
               v1::SHARING_SCOPE_UNSPECIFIED);
  properties.occur_time = reader.Time("x_sitrep_occur_time", false);
  properties.detect_time = reader.Time("x_sitrep_detect_time", false);
  if (const json* ids = reader.Array("x_sitrep_attack_technique_ids", kMaxTechniqueIds)) {
    for (size_t i = 0; i < ids->size(); ++i) {
      const std::string property = Indexed(reader.PathOf("x_sitrep_attack_technique_ids"), i);
      const std::string id = reader.TextAt(&(*ids)[i], property, 20, true);
      if (reader.failed()) break;
      // sitrep's export keeps unknown or revoked ids here too; sitrep's input takes only valid
      // ATT&CK for ICS ids, so the others are left out rather than failing the incident.
      if (IsValidIcsTechniqueId(id)) properties.technique_ids.push_back(id);
    }
  }
  return properties;
}

// external_references: CVE ids (source_name "cve") and ATT&CK for ICS technique ids
// ("mitre-attack", T0xxx; Enterprise techniques are not sitrep's) onto the incident, and the
// first URL.
void ReadExternalReferences(PropertyReader& reader, std::vector<std::string>& cve_ids,
                            std::vector<std::string>& technique_ids, std::string& url) {
  const json* references = reader.Array("external_references", 500);
  if (references == nullptr) return;
  for (size_t i = 0; i < references->size() && !reader.failed(); ++i) {
    const json& reference = (*references)[i];
    const std::string path = Indexed(reader.PathOf("external_references"), i);
    if (!reference.is_object()) {
      reader.Fail(path, "not an object");
      return;
    }
    const auto member = [&](const char* name) {
      const auto found = reference.find(name);
      return found == reference.end() ? nullptr : &*found;
    };
    const std::string source =
        reader.TextAt(member("source_name"), path + ".source_name", 200, true);
    const std::string external_id =
        reader.TextAt(member("external_id"), path + ".external_id", 200, false);
    const std::string link = reader.TextAt(member("url"), path + ".url", kMaxIndicatorChars, false);
    if (reader.failed()) return;
    if (url.empty()) url = link;
    if (source == "cve" && !external_id.empty()) {
      if (!IsValidCveId(external_id)) {
        reader.Fail(path + ".external_id", "not a CVE id such as CVE-2024-12345");
        return;
      }
      if (std::find(cve_ids.begin(), cve_ids.end(), external_id) == cve_ids.end()) {
        cve_ids.push_back(external_id);
      }
    } else if (source == "mitre-attack" && IsValidIcsTechniqueId(external_id) &&
               std::find(technique_ids.begin(), technique_ids.end(), external_id) ==
                   technique_ids.end()) {
      technique_ids.push_back(external_id);
    }
  }
  if (cve_ids.size() > kMaxCveIds) {
    reader.Fail(reader.PathOf("external_references"),
                "more than " + std::to_string(kMaxCveIds) + " CVE references");
  } else if (technique_ids.size() > kMaxTechniqueIds) {
    reader.Fail(reader.PathOf("external_references"),
                "more than " + std::to_string(kMaxTechniqueIds) + " ATT&CK for ICS techniques");
  }
}

// incident_types (Incident Core, an open vocabulary) → category: sitrep's own words first
// (what its export writes), then the nearest incident-type-ov terms.
v1::Category CategoryOf(const std::vector<std::string>& incident_types) {
  static const std::map<std::string, v1::Category, std::less<>> kOwn = {
      {"malware", v1::CATEGORY_MALWARE},
      {"network-attack", v1::CATEGORY_NETWORK_ATTACK},
      {"information-destruction", v1::CATEGORY_INFORMATION_DESTRUCTION},
      {"information-content", v1::CATEGORY_INFORMATION_CONTENT},
      {"facility-fault", v1::CATEGORY_FACILITY_FAULT},
      {"disaster", v1::CATEGORY_DISASTER},
      {"other", v1::CATEGORY_OTHER}};
  for (const std::string& type : incident_types) {
    if (const auto found = kOwn.find(type); found != kOwn.end()) return found->second;
  }
  const auto mentions = [&](std::initializer_list<std::string_view> words) {
    return std::any_of(incident_types.begin(), incident_types.end(), [&](const std::string& type) {
      return std::any_of(words.begin(), words.end(), [&](std::string_view word) {
        return type.find(word) != std::string::npos;
      });
    });
  };
  if (mentions({"malware", "ransomware", "virus", "worm", "trojan"})) return v1::CATEGORY_MALWARE;
  if (mentions({"integrity", "deletion", "destruction", "exfiltration", "leak", "theft",
                "confidentiality", "alteration"})) {
    return v1::CATEGORY_INFORMATION_DESTRUCTION;
  }
  if (mentions({"dos", "denial", "intrusion", "attack", "exploit", "phishing", "scan", "compromise",
                "unauthorized", "access"})) {
    return v1::CATEGORY_NETWORK_ATTACK;
  }
  return v1::CATEGORY_OTHER;
}

// Incident Core criticality 0..100 → the four grades, at the midpoints between the values
// sitrep's export writes for them (I 100, II 75, III 50, IV 25).
v1::Severity SeverityOf(int64_t criticality) {
  if (criticality >= 88) return v1::SEVERITY_I;
  if (criticality >= 63) return v1::SEVERITY_II;
  if (criticality >= 38) return v1::SEVERITY_III;
  return v1::SEVERITY_IV;
}

v1::IncidentStatus StatusOf(const std::string& determination, const std::string& investigation) {
  if (determination == "false-positive") return v1::INCIDENT_STATUS_FALSE_POSITIVE;
  if (investigation == "closed") return v1::INCIDENT_STATUS_CLOSED;
  if (determination == "successful-attempt" || determination == "confirmed") {
    return v1::INCIDENT_STATUS_CONFIRMED;
  }
  if (investigation == "open") return v1::INCIDENT_STATUS_HANDLING;
  return v1::INCIDENT_STATUS_REPORTED;
}

// The Incident Core extension's properties, when the incident carries it.
void ReadIncidentCore(PropertyReader& reader, v1::Incident& incident) {
  const json* extensions = reader.Object("extensions");
  if (extensions == nullptr) return;
  const auto found = extensions->find(kIncidentCoreExtension);
  if (found == extensions->end()) return;
  const std::string path =
      reader.PathOf("extensions") + "[\"" + std::string(kIncidentCoreExtension) + "\"]";
  if (!found->is_object()) {
    reader.Fail(path, "not an object");
    return;
  }
  const json& core = *found;
  const auto member = [&](const char* name) {
    const auto value = core.find(name);
    return value == core.end() ? nullptr : &*value;
  };
  const std::string determination =
      reader.TextAt(member("determination"), path + ".determination", 40, true);
  const std::string investigation =
      reader.TextAt(member("investigation_status"), path + ".investigation_status", 40, true);
  if (const std::optional<int64_t> criticality =
          Integer(reader, core, "criticality", path, 0, 100)) {
    incident.set_severity(SeverityOf(*criticality));
  }
  std::vector<std::string> types;
  if (const json* list = member("incident_types"); list != nullptr && !reader.failed()) {
    if (!list->is_array() || list->size() > 50) {
      reader.Fail(path + ".incident_types", "not a list of at most 50 strings");
      return;
    }
    for (size_t i = 0; i < list->size(); ++i) {
      types.push_back(reader.TextAt(&(*list)[i], Indexed(path + ".incident_types", i), 100, true));
    }
  }
  if (reader.failed()) return;
  incident.set_category(CategoryOf(types));
  incident.set_status(StatusOf(determination, investigation));
}

// The fields every record made from an incident or an indicator shares.
bool FillSharedFields(PropertyReader& reader, const json& object, const InboundContext& context,
                      std::optional<v1::Tlp> tlp, const std::string& version,
                      const Timestamp& default_time, v1::Incident& incident) {
  const SitrepProperties own = ReadSitrepProperties(reader, object);
  std::vector<std::string> cve_ids;
  std::vector<std::string> technique_ids;
  std::string url;
  ReadExternalReferences(reader, cve_ids, technique_ids, url);
  const std::string created_by = reader.Text("created_by_ref", kMaxIdChars, false);
  if (!created_by.empty() && !IsStixId(created_by, "identity")) {
    reader.Fail(reader.PathOf("created_by_ref"), "not an identity id");
  }
  if (reader.failed()) return false;
  const std::optional<uint32_t> province = own.province ? own.province : context.default_province;
  if (!province) {
    reader.Fail(reader.PathOf("x_sitrep_province"),
                "required: a national poster must say which province the record belongs to");
    return false;
  }
  incident.set_external_id(reader.Find("id")->get<std::string>());
  incident.set_province(*province);
  incident.set_sector(own.sector.empty() ? "other" : own.sector);
  if (!own.subcategory.empty()) incident.set_subcategory(own.subcategory);
  if (own.category != v1::CATEGORY_UNSPECIFIED) incident.set_category(own.category);
  if (own.severity != v1::SEVERITY_UNSPECIFIED) incident.set_severity(own.severity);
  if (own.status != v1::INCIDENT_STATUS_UNSPECIFIED) incident.set_status(own.status);
  for (const std::string& technique : own.technique_ids) {
    if (std::find(technique_ids.begin(), technique_ids.end(), technique) == technique_ids.end() &&
        technique_ids.size() < kMaxTechniqueIds) {
      technique_ids.push_back(technique);
    }
  }
  // Unmarked intelligence is treated as AMBER: the conservative default of TLP 2.0 practice.
  incident.set_tlp(tlp.value_or(v1::TLP_AMBER));
  incident.set_sharing_scope(own.sharing_scope);
  *incident.mutable_occur_time() = own.occur_time.value_or(default_time);
  *incident.mutable_detect_time() = own.detect_time.value_or(incident.occur_time());
  for (const std::string& cve : cve_ids) incident.add_cve_ids(cve);
  for (const std::string& technique : technique_ids) incident.add_attack_technique_ids(technique);
  auto& attributes = *incident.mutable_attributes();
  attributes["stix_modified"] = version;
  if (!created_by.empty()) attributes["stix_created_by_ref"] = created_by;
  if (!url.empty() && url.size() <= kMaxAttributeValueChars) attributes["url"] = url;
  return true;
}

bool ConvertIncident(PropertyReader& reader, const json& object, const InboundContext& context,
                     std::optional<v1::Tlp> tlp, const std::string& version, v1::Record& record) {
  v1::Incident& incident = *record.mutable_incident();
  incident.set_title(reader.Text("name", kMaxTitleChars, true));
  incident.set_description(reader.Text("description", kMaxDescriptionChars, false, true));
  incident.set_category(v1::CATEGORY_OTHER);
  incident.set_severity(v1::SEVERITY_IV);
  incident.set_status(v1::INCIDENT_STATUS_REPORTED);
  ReadIncidentCore(reader, incident);
  const std::optional<Timestamp> created = reader.Time("created", true);
  if (reader.failed()) return false;
  return FillSharedFields(reader, object, context, tlp, version, *created, incident);
}

// The object paths of a STIX pattern that sitrep's indicator types hold.
std::optional<v1::IndicatorType> IndicatorTypeOf(std::string_view object_path) {
  static const std::map<std::string, v1::IndicatorType, std::less<>> kPaths = {
      {"ipv4-addr:value", v1::INDICATOR_TYPE_IPV4},
      {"ipv6-addr:value", v1::INDICATOR_TYPE_IPV6},
      {"domain-name:value", v1::INDICATOR_TYPE_DOMAIN},
      {"url:value", v1::INDICATOR_TYPE_URL},
      {"email-addr:value", v1::INDICATOR_TYPE_EMAIL},
      {"file:hashes.'SHA-256'", v1::INDICATOR_TYPE_SHA256},
      {"file:hashes.\"SHA-256\"", v1::INDICATOR_TYPE_SHA256},
      {"file:hashes.SHA256", v1::INDICATOR_TYPE_SHA256},
      {"file:hashes.MD5", v1::INDICATOR_TYPE_MD5},
      {"file:hashes.'MD5'", v1::INDICATOR_TYPE_MD5}};
  const auto found = kPaths.find(object_path);
  if (found == kPaths.end()) return std::nullopt;
  return found->second;
}

void SkipSpaces(std::string_view text, size_t& pos) {
  while (pos < text.size() && (text[pos] == ' ' || text[pos] == '\t' || text[pos] == '\n')) ++pos;
}

// Reads one comparison "object-path = 'value'" at `pos`; nullopt when the text there is not one.
std::optional<v1::Indicator> ReadComparison(std::string_view text, size_t& pos) {
  SkipSpaces(text, pos);
  const size_t start = pos;
  while (pos < text.size() && text[pos] != ' ' && text[pos] != '=' && text[pos] != ']') ++pos;
  const std::optional<v1::IndicatorType> type = IndicatorTypeOf(text.substr(start, pos - start));
  SkipSpaces(text, pos);
  if (!type || pos >= text.size() || text[pos] != '=') return std::nullopt;
  ++pos;
  SkipSpaces(text, pos);
  if (pos >= text.size() || text[pos] != '\'') return std::nullopt;
  std::string value;
  for (++pos; pos < text.size() && text[pos] != '\''; ++pos) {
    if (text[pos] == '\\') {
      if (++pos >= text.size() || (text[pos] != '\'' && text[pos] != '\\')) return std::nullopt;
    }
    value.push_back(text[pos]);
  }
  if (pos >= text.size()) return std::nullopt;
  ++pos;  // the closing quote
  v1::Indicator indicator;
  indicator.set_type(*type);
  indicator.set_value(std::move(value));
  return indicator;
}

bool ReadKeyword(std::string_view text, size_t& pos, std::string_view keyword) {
  SkipSpaces(text, pos);
  if (text.substr(pos, keyword.size()) != keyword) return false;
  pos += keyword.size();
  return true;
}

}  // namespace

std::optional<std::vector<v1::Indicator>> ParsePattern(std::string_view pattern) {
  std::vector<v1::Indicator> indicators;
  size_t pos = 0;
  do {
    if (!ReadKeyword(pattern, pos, "[")) return std::nullopt;
    do {
      std::optional<v1::Indicator> indicator = ReadComparison(pattern, pos);
      if (!indicator) return std::nullopt;
      indicators.push_back(std::move(*indicator));
    } while (ReadKeyword(pattern, pos, "OR "));
    if (!ReadKeyword(pattern, pos, "]")) return std::nullopt;
  } while (ReadKeyword(pattern, pos, "OR "));
  SkipSpaces(pattern, pos);
  if (pos != pattern.size()) return std::nullopt;
  return indicators;
}

namespace {

bool ConvertIndicator(PropertyReader& reader, const json& object, const InboundContext& context,
                      std::optional<v1::Tlp> tlp, const std::string& version, v1::Record& record) {
  const std::string pattern_type = reader.Text("pattern_type", 40, true);
  const std::string pattern = reader.Text("pattern", 64 * 1024, true, true);
  const std::optional<Timestamp> valid_from = reader.Time("valid_from", true);
  const std::string name = reader.Text("name", kMaxTitleChars, false);
  const std::string description = reader.Text("description", kMaxDescriptionChars, false, true);
  std::vector<std::string> types;
  if (const json* list = reader.Array("indicator_types", 50)) {
    for (size_t i = 0; i < list->size(); ++i) {
      types.push_back(
          reader.TextAt(&(*list)[i], Indexed(reader.PathOf("indicator_types"), i), 100, true));
    }
  }
  if (reader.failed()) return false;
  if (pattern_type != "stix") {
    reader.Fail(reader.PathOf("pattern_type"), "not \"stix\": sitrep reads STIX patterns only");
    return false;
  }
  std::optional<std::vector<v1::Indicator>> indicators = ParsePattern(pattern);
  if (!indicators || indicators->size() > kMaxIndicators) {
    reader.Fail(reader.PathOf("pattern"),
                "not comparisons of ipv4-addr, ipv6-addr, domain-name, url or email-addr values "
                "or MD5/SHA-256 file hashes joined by OR (at most 100)");
    return false;
  }
  v1::Incident& incident = *record.mutable_incident();
  incident.set_title(name.empty() ? "Indicator " + indicators->front().value().substr(0, 200)
                                  : name);
  incident.set_description(description);
  const bool hashes = std::any_of(indicators->begin(), indicators->end(), [](const auto& one) {
    return one.type() == v1::INDICATOR_TYPE_SHA256 || one.type() == v1::INDICATOR_TYPE_MD5;
  });
  const bool malicious = std::find(types.begin(), types.end(), "malicious-activity") != types.end();
  incident.set_category(hashes      ? v1::CATEGORY_MALWARE
                        : malicious ? v1::CATEGORY_NETWORK_ATTACK
                                    : v1::CATEGORY_OTHER);
  incident.set_subcategory("STIX indicator");
  incident.set_severity(v1::SEVERITY_IV);
  incident.set_status(v1::INCIDENT_STATUS_REPORTED);
  for (v1::Indicator& indicator : *indicators) *incident.add_indicators() = std::move(indicator);
  return FillSharedFields(reader, object, context, tlp, version, *valid_from, incident);
}

// A vulnerability becomes an advisory stub (issue 18's Record.advisory): sitrep's vulnerability
// base is keyed by advisory, and a stub is "an advisory known with no document yet".
bool ConvertVulnerability(PropertyReader& reader, v1::Record& record) {
  const std::string name = reader.Text("name", kMaxTitleChars, true);
  std::vector<std::string> cve_ids;
  std::vector<std::string> technique_ids;
  std::string url;
  ReadExternalReferences(reader, cve_ids, technique_ids, url);
  const std::optional<Timestamp> created = reader.Time("created", true);
  if (reader.failed()) return false;
  v1::Advisory& advisory = *record.mutable_advisory();
  // The CVE id is the key peers share; without one, the STIX id stands for it.
  advisory.set_tracking_id(!cve_ids.empty()     ? cve_ids.front()
                           : IsValidCveId(name) ? name
                                                : reader.Find("id")->get<std::string>());
  advisory.set_title(name);
  if (url.size() <= kMaxIndicatorChars) advisory.set_url(url);
  *advisory.mutable_published_time() = *created;
  return true;
}

ObjectVerdict Rejected(ObjectVerdict verdict, const Problem& problem) {
  verdict.outcome = ObjectVerdict::Outcome::kRejected;
  verdict.property = problem.property;
  verdict.message = problem.property + ": " + problem.message;
  verdict.record.Clear();
  return verdict;
}

}  // namespace

std::optional<v1::Tlp> TlpOfMarking(std::string_view marking_id) {
  // TLP 2.0 (cti-stix-common-objects, extension-definition--60a3c5c5-…) and the TLP 1.0
  // markings STIX 2.1 predefines (§7.2.1.4), which older tools still send; WHITE is CLEAR.
  static const std::map<std::string, v1::Tlp, std::less<>> kMarkings = {
      {"marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487", v1::TLP_CLEAR},
      {"marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb", v1::TLP_GREEN},
      {"marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421", v1::TLP_AMBER},
      {"marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003", v1::TLP_AMBER_STRICT},
      {"marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1", v1::TLP_RED},
      {"marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9", v1::TLP_CLEAR},
      {"marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da", v1::TLP_GREEN},
      {"marking-definition--f88d31f6-486f-44da-b317-01333bde0b82", v1::TLP_AMBER},
      {"marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed", v1::TLP_RED}};
  const auto found = kMarkings.find(marking_id);
  if (found == kMarkings.end()) return std::nullopt;
  return found->second;
}

ObjectVerdict ConvertObject(const json& object, const std::string& path,
                            const InboundContext& context) {
  ObjectVerdict verdict;
  if (!object.is_object()) return Rejected(std::move(verdict), {path, "not a JSON object"});
  Identify(object, verdict);
  PropertyReader reader(object, path);
  const std::optional<v1::Tlp> tlp = CheckCommonProperties(reader, verdict.version);
  if (reader.failed()) return Rejected(std::move(verdict), reader.problem());
  bool converted = false;
  if (verdict.type == "incident") {
    converted = ConvertIncident(reader, object, context, tlp, verdict.version, verdict.record);
  } else if (verdict.type == "indicator") {
    converted = ConvertIndicator(reader, object, context, tlp, verdict.version, verdict.record);
  } else if (verdict.type == "vulnerability") {
    converted = ConvertVulnerability(reader, verdict.record);
  } else {
    verdict.outcome = ObjectVerdict::Outcome::kIgnored;
    verdict.message = "sitrep does not store " + verdict.type + " objects";
    return verdict;
  }
  if (!converted) return Rejected(std::move(verdict), reader.problem());
  verdict.outcome = ObjectVerdict::Outcome::kRecord;
  return verdict;
}

namespace {

// What the relationships of a document tie to its incidents: an indicator (`indicates`, or
// `related-to` either way, as sitrep's export writes it) and a vulnerability (`related-to`
// either way).
struct IncidentLinks {
  std::map<std::string, std::string> indicator_incident;            // the first link wins
  std::multimap<std::string, std::string> vulnerability_incidents;  // a CVE of many incidents
};

IncidentLinks FindIncidentLinks(const json& objects) {
  IncidentLinks links;
  for (const json& object : objects) {
    if (!object.is_object() || object.value("type", json()) != "relationship") continue;
    const json kind = object.value("relationship_type", json());
    const json source = object.value("source_ref", json());
    const json target = object.value("target_ref", json());
    if (!source.is_string() || !target.is_string()) continue;
    std::string from = source.get<std::string>();
    std::string to = target.get<std::string>();
    const bool related = kind == "related-to";
    if (related && IsStixId(from, "incident")) std::swap(from, to);
    if (!IsStixId(to, "incident")) continue;
    if ((kind == "indicates" || related) && IsStixId(from, "indicator")) {
      links.indicator_incident.emplace(from, to);
    } else if (related && IsStixId(from, "vulnerability")) {
      links.vulnerability_incidents.emplace(from, to);
    }
  }
  return links;
}

// A province no record keeps: given to an indicator of a national poster that only travels
// inside its incident, so that it converts; FoldIntoIncidents rejects it if it cannot be folded.
constexpr uint32_t kFoldedOnlyProvince = 1;

// Moves linked indicators' values into their incident (as far as its limit allows) and linked
// vulnerabilities' CVE ids into each of their incidents, when the incident is a record of the
// same document. What was folded makes no record of its own.
void FoldIntoIncidents(const IncidentLinks& links, std::vector<ObjectVerdict>& verdicts) {
  std::map<std::string, v1::Incident*> incidents;
  for (ObjectVerdict& verdict : verdicts) {
    if (verdict.outcome == ObjectVerdict::Outcome::kRecord && verdict.type == "incident") {
      incidents.emplace(verdict.stix_id, verdict.record.mutable_incident());
    }
  }
  for (size_t i = 0; i < verdicts.size(); ++i) {
    ObjectVerdict& verdict = verdicts[i];
    if (verdict.outcome != ObjectVerdict::Outcome::kRecord) continue;
    if (verdict.type == "indicator") {
      const auto link = links.indicator_incident.find(verdict.stix_id);
      if (link == links.indicator_incident.end()) continue;
      const auto incident = incidents.find(link->second);
      const auto& values = verdict.record.incident().indicators();
      if (incident != incidents.end() && static_cast<size_t>(incident->second->indicators_size() +
                                                             values.size()) <= kMaxIndicators) {
        for (const v1::Indicator& value : values) *incident->second->add_indicators() = value;
        verdict.outcome = ObjectVerdict::Outcome::kFolded;
        verdict.message = "folded into " + link->second;
        verdict.folded_into = {link->second};
        verdict.record.Clear();
      } else if (verdict.record.incident().province() == kFoldedOnlyProvince) {
        verdict = Rejected(std::move(verdict),
                           {Indexed("objects", i) + ".x_sitrep_province",
                            "required: it indicates " + link->second +
                                ", which cannot take it, and a national poster must say which "
                                "province a record belongs to"});
      }
    } else if (verdict.type == "vulnerability") {
      const std::string cve = verdict.record.advisory().tracking_id();
      if (!IsValidCveId(cve)) continue;
      std::string folded_into;
      const auto [begin, end] = links.vulnerability_incidents.equal_range(verdict.stix_id);
      for (auto link = begin; link != end; ++link) {
        const auto incident = incidents.find(link->second);
        if (incident == incidents.end()) continue;
        auto& cve_ids = *incident->second->mutable_cve_ids();
        if (std::find(cve_ids.begin(), cve_ids.end(), cve) == cve_ids.end()) {
          if (static_cast<size_t>(cve_ids.size()) >= kMaxCveIds) continue;
          cve_ids.Add(std::string(cve));
        }
        folded_into += (folded_into.empty() ? "" : ", ") + link->second;
        verdict.folded_into.push_back(link->second);
      }
      if (folded_into.empty()) continue;
      verdict.outcome = ObjectVerdict::Outcome::kFolded;
      verdict.message = "folded into " + folded_into;
      verdict.record.Clear();
    }
  }
}

}  // namespace

DocumentVerdicts ConvertDocument(const json& document, const InboundContext& context) {
  DocumentVerdicts result;
  const json* objects = nullptr;
  if (document.is_object()) {
    const auto found = document.find("objects");
    if (found != document.end() && found->is_array()) objects = &*found;
  }
  if (objects == nullptr) {
    result.error = "not a STIX envelope or bundle: no \"objects\" list";
    return result;
  }
  const IncidentLinks links = FindIncidentLinks(*objects);
  InboundContext folding = context;
  if (!folding.default_province) folding.default_province = kFoldedOnlyProvince;
  result.objects.reserve(objects->size());
  for (size_t i = 0; i < objects->size(); ++i) {
    const json& object = (*objects)[i];
    const bool linked = object.is_object() && object.contains("id") && object["id"].is_string() &&
                        links.indicator_incident.contains(object["id"].get<std::string>());
    result.objects.push_back(
        ConvertObject(object, Indexed("objects", i), linked ? folding : context));
  }
  FoldIntoIncidents(links, result.objects);
  return result;
}

std::optional<json> ParseStixDocument(std::string_view text, std::string& error) {
  if (text.size() > kMaxStixDocumentBytes) {
    error = "larger than " + std::to_string(kMaxStixDocumentBytes >> 20) + " MiB";
    return std::nullopt;
  }
  std::string clean;
  clean.reserve(text.size());
  uint32_t code_point = 0;
  for (size_t pos = 0; pos < text.size();) {
    const size_t length = DecodeUtf8(text, pos, code_point);
    if (length == 0) {
      clean.append(kNotUtf8);
      ++pos;
    } else {
      clean.append(text.substr(pos, length));
      pos += length;
    }
  }
  // Deeper values are dropped while parsing (never built, so never recursed into) and their
  // top-level object is marked for ConvertObject to reject.
  bool cut = false;
  const json::parser_callback_t limit_depth = [&](int depth, json::parse_event_t event,
                                                  json& parsed) {
    if (depth > kTopObjectDepth + kMaxObjectDepth) {
      cut = true;
      return false;
    }
    if (event == json::parse_event_t::object_end && depth == kTopObjectDepth && cut) {
      parsed[kTooDeepMarker] = true;
      cut = false;
    } else if (event == json::parse_event_t::array_end && depth == kTopObjectDepth) {
      cut = false;  // an array in the list is rejected as not an object anyway
    }
    return true;
  };
  try {
    json document = json::parse(clean, limit_depth);
    if (cut) {  // deep nesting outside any object of the list
      error = "nested deeper than " + std::to_string(kMaxObjectDepth) + " levels";
      return std::nullopt;
    }
    return document;
  } catch (const json::exception& failure) {
    std::string message = failure.what();
    // "[json.exception.parse_error.101] parse error at line 3, column 5: syntax error ..."
    if (const size_t bracket = message.find("] "); bracket != std::string::npos) {
      message.erase(0, bracket + 2);
    }
    error = "invalid JSON: " + message;
    return std::nullopt;
  }
}

std::optional<VersionOrder> CompareStixVersions(std::string_view stored,
                                                std::string_view received) {
  const std::optional<Timestamp> old_time = ParseStixTime(stored);
  const std::optional<Timestamp> new_time = ParseStixTime(received);
  if (!old_time || !new_time) return std::nullopt;
  if (*new_time > *old_time) return VersionOrder::kNewer;
  if (*new_time < *old_time) return VersionOrder::kOlder;
  return VersionOrder::kSame;
}

}  // namespace sitrep::stix
