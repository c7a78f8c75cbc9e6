#include "stix/stix_export.h"

#include <openssl/evp.h>

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <map>
#include <set>
#include <stdexcept>

#include "domain/record_checks.h"

namespace sitrep::stix {
namespace {

// sitrep's own namespace: the UUIDv5 of "sitrep" in RFC 4122's URL namespace. Every instance's
// namespace is derived from it (Exporter).
constexpr std::array<uint8_t, 16> kUrlNamespace = {0x6b, 0xa7, 0xb8, 0x11, 0x9d, 0xad, 0x11, 0xd1,
                                                   0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8};
// STIX 2.1 §2.9: the namespace of cyber-observable ids.
constexpr std::string_view kScoNamespace = "00abedb4-aa42-466c-9c01-fed23315a9b7";
// The one version of objects that never change (the identity, CVE stubs, enterprises).
constexpr std::string_view kFixedTime = "2024-01-01T00:00:00.000Z";
constexpr std::string_view kTlp2Created = "2022-10-01T00:00:00.000Z";

struct TlpMarking {
  v1::Tlp tlp;
  const char* id;
  const char* name;
  const char* value;
};
// OASIS, cti-stix-common-objects, extension-definition-specifications/tlp-2.0.
constexpr std::array<TlpMarking, 5> kTlpMarkings = {{
    {v1::TLP_CLEAR, "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487", "TLP:CLEAR",
     "clear"},
    {v1::TLP_GREEN, "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb", "TLP:GREEN",
     "green"},
    {v1::TLP_AMBER, "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421", "TLP:AMBER",
     "amber"},
    {v1::TLP_AMBER_STRICT, "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003",
     "TLP:AMBER+STRICT", "amber+strict"},
    {v1::TLP_RED, "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1", "TLP:RED", "red"},
}};

struct Technique {
  const char* external_id;
  const char* stix_id;
  const char* name;
};
constexpr Technique kTechniques[] = {
#include "stix/attack_ics_techniques.inc"
};

std::array<uint8_t, 16> NamespaceOf(const Exporter& exporter) {
  return *ParseUuid(Uuid5(kUrlNamespace, "https://sitrep/" + exporter.instance));
}

std::string Id(const Exporter& exporter, std::string_view type, std::string_view name) {
  return std::string(type) + "--" +
         Uuid5(NamespaceOf(exporter), std::string(type) + ":" + std::string(name));
}

// STIX 2.1 §2.9: an SCO's id is the UUIDv5 of its id-contributing properties serialised as
// JSON (RFC 8785: sorted keys, no whitespace; nlohmann's object keys are sorted and its dump
// writes UTF-8 unescaped, which is what RFC 8785 asks for these plain strings).
std::string ScoId(std::string_view type, const Json& contributing) {
  return std::string(type) + "--" + Uuid5(*ParseUuid(kScoNamespace), contributing.dump());
}

std::string TimeText(int64_t seconds, int32_t nanos) {
  const std::time_t t = static_cast<std::time_t>(seconds);
  std::tm utc{};
  gmtime_r(&t, &utc);
  char text[48];
  std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", utc.tm_year + 1900,
                utc.tm_mon + 1, utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec,
                nanos / 1'000'000);
  return text;
}

bool IsSet(const google::protobuf::Timestamp& time) {
  return time.seconds() != 0 || time.nanos() != 0;
}

// created ≤ modified, also when clocks disagree: the later of the two is the version.
std::pair<std::string, std::string> Versions(const google::protobuf::Timestamp& created,
                                             const google::protobuf::Timestamp& modified) {
  std::string first = StixTime(created);
  std::string last = IsSet(modified) ? StixTime(modified) : first;
  // Equal-width UTC texts compare like the times they stand for.
  if (last < first) last = first;
  return {first, last};
}

Json Sdo(const Exporter& exporter, std::string_view type, const std::string& id,
         const std::string& created, const std::string& modified, v1::Tlp tlp) {
  return Json{{"type", type},
              {"spec_version", "2.1"},
              {"id", id},
              {"created", created},
              {"modified", modified},
              {"created_by_ref", IdentityId(exporter)},
              {"object_marking_refs", Json::array({TlpMarkingId(tlp)})}};
}

Json Relationship(const Exporter& exporter, const std::string& source, std::string_view type,
                  const std::string& target, const std::string& created,
                  const std::string& modified, v1::Tlp tlp) {
  Json relationship =
      Sdo(exporter, "relationship",
          Id(exporter, "relationship", source + ":" + std::string(type) + ":" + target), created,
          modified, tlp);
  relationship["relationship_type"] = type;
  relationship["source_ref"] = source;
  relationship["target_ref"] = target;
  return relationship;
}

std::string EnumName(const google::protobuf::EnumDescriptor* type, int value,
                     std::string_view prefix) {
  const auto* entry = type->FindValueByNumber(value);
  if (entry == nullptr) return "unspecified";
  std::string name = entry->name();
  if (name.rfind(prefix, 0) == 0) name.erase(0, prefix.size());
  for (char& c : name) c = c == '_' ? '-' : static_cast<char>(std::tolower(c));
  return name;
}

std::string SeverityName(v1::Severity severity) {
  switch (severity) {
    case v1::SEVERITY_I:
      return "I";
    case v1::SEVERITY_II:
      return "II";
    case v1::SEVERITY_III:
      return "III";
    case v1::SEVERITY_IV:
      return "IV";
    default:
      return "unspecified";
  }
}

// Incident Core's determination: what the national plan's status says of the attack.
std::string Determination(v1::IncidentStatus status) {
  switch (status) {
    case v1::INCIDENT_STATUS_FALSE_POSITIVE:
      return "false-positive";
    case v1::INCIDENT_STATUS_CONFIRMED:
    case v1::INCIDENT_STATUS_HANDLING:
    case v1::INCIDENT_STATUS_RESOLVED:
    case v1::INCIDENT_STATUS_CLOSED:
      return "successful-attempt";
    default:
      return "suspected";
  }
}

std::string InvestigationStatus(v1::IncidentStatus status) {
  switch (status) {
    case v1::INCIDENT_STATUS_CONFIRMED:
    case v1::INCIDENT_STATUS_HANDLING:
      return "open";
    case v1::INCIDENT_STATUS_RESOLVED:
    case v1::INCIDENT_STATUS_CLOSED:
    case v1::INCIDENT_STATUS_FALSE_POSITIVE:
      return "closed";
    default:
      return "new";
  }
}

std::optional<int> Criticality(v1::Severity severity) {
  switch (severity) {
    case v1::SEVERITY_I:
      return 100;
    case v1::SEVERITY_II:
      return 75;
    case v1::SEVERITY_III:
      return 50;
    case v1::SEVERITY_IV:
      return 25;
    default:
      return std::nullopt;
  }
}

// A STIX pattern string literal: backslash and quote escaped (STIX 2.1 §9.2).
std::string PatternLiteral(std::string_view value) {
  std::string out = "'";
  for (char c : value) {
    if (c == '\\' || c == '\'') out.push_back('\\');
    out.push_back(c);
  }
  return out + "'";
}

// The cyber-observable an indicator value is, and the pattern that matches it.
struct Observable {
  Json object;
  std::string pattern;
};

std::optional<Observable> ObservableOf(const v1::Indicator& indicator) {
  const std::string& value = indicator.value();
  auto simple = [&](std::string_view type) {
    Json contributing = {{"value", value}};
    Json object = {{"type", type},
                   {"spec_version", "2.1"},
                   {"id", ScoId(type, contributing)},
                   {"value", value}};
    return Observable{std::move(object),
                      "[" + std::string(type) + ":value = " + PatternLiteral(value) + "]"};
  };
  auto file = [&](std::string_view algorithm) {
    Json hashes = {{algorithm, value}};
    Json object = {{"type", "file"},
                   {"spec_version", "2.1"},
                   {"id", ScoId("file", Json{{"hashes", hashes}})},
                   {"hashes", hashes}};
    return Observable{std::move(object), "[file:hashes.'" + std::string(algorithm) +
                                             "' = " + PatternLiteral(value) + "]"};
  };
  switch (indicator.type()) {
    case v1::INDICATOR_TYPE_IPV4:
      return simple("ipv4-addr");
    case v1::INDICATOR_TYPE_IPV6:
      return simple("ipv6-addr");
    case v1::INDICATOR_TYPE_DOMAIN:
      return simple("domain-name");
    case v1::INDICATOR_TYPE_URL:
      return simple("url");
    case v1::INDICATOR_TYPE_EMAIL:
      return simple("email-addr");
    case v1::INDICATOR_TYPE_SHA256:
      return file("SHA-256");
    case v1::INDICATOR_TYPE_MD5:
      return file("MD5");
    default:
      return std::nullopt;
  }
}

Json Attributes(const google::protobuf::Map<std::string, std::string>& attributes) {
  Json object = Json::object();
  for (const auto& [key, value] : attributes) object[key] = value;
  return object;
}

Json ExternalReference(std::string_view kind, int64_t id) {
  return Json{{"source_name", "sitrep"},
              {"external_id", std::string(kind) + "/" + std::to_string(id)}};
}

Json VulnerabilityStub(const Exporter& exporter, const std::string& cve_id) {
  Json vulnerability = Sdo(exporter, "vulnerability", VulnerabilityId(exporter, cve_id),
                           std::string(kFixedTime), std::string(kFixedTime), v1::TLP_CLEAR);
  vulnerability["name"] = cve_id;
  vulnerability["external_references"] =
      Json::array({{{"source_name", "cve"}, {"external_id", cve_id}}});
  return vulnerability;
}

// Adds `object` unless one of the same id is already there (a CVE named twice).
void AddOnce(std::vector<Json>& objects, std::set<std::string>& ids, Json object) {
  if (ids.insert(object["id"].get<std::string>()).second) objects.push_back(std::move(object));
}

}  // namespace

std::string Uuid5(const std::array<uint8_t, 16>& name_space, std::string_view name) {
  std::string input(name_space.begin(), name_space.end());
  input.append(name);
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  if (EVP_Digest(input.data(), input.size(), digest, &size, EVP_sha1(), nullptr) != 1) {
    throw std::runtime_error("SHA-1 unavailable");
  }
  digest[6] = static_cast<unsigned char>((digest[6] & 0x0f) | 0x50);  // version 5
  digest[8] = static_cast<unsigned char>((digest[8] & 0x3f) | 0x80);  // RFC 4122 variant
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string text;
  for (int i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) text.push_back('-');
    text.push_back(kDigits[digest[i] >> 4]);
    text.push_back(kDigits[digest[i] & 15]);
  }
  return text;
}

std::optional<std::array<uint8_t, 16>> ParseUuid(std::string_view text) {
  if (text.size() != 36) return std::nullopt;
  std::array<uint8_t, 16> bytes{};
  size_t out = 0;
  for (size_t i = 0; i < text.size();) {
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (text[i] != '-') return std::nullopt;
      ++i;
      continue;
    }
    auto nibble = [](char c) -> int {
      if (c >= '0' && c <= '9') return c - '0';
      if (c >= 'a' && c <= 'f') return c - 'a' + 10;
      if (c >= 'A' && c <= 'F') return c - 'A' + 10;
      return -1;
    };
    const int high = nibble(text[i]), low = nibble(text[i + 1]);
    if (high < 0 || low < 0) return std::nullopt;
    bytes[out++] = static_cast<uint8_t>(high * 16 + low);
    i += 2;
  }
  return bytes;
}

std::string StixTime(const google::protobuf::Timestamp& time) {
  return TimeText(time.seconds(), time.nanos());
}

std::string TlpMarkingId(v1::Tlp tlp) {
  if (tlp == v1::TLP_UNSPECIFIED) tlp = v1::TLP_AMBER;
  for (const TlpMarking& marking : kTlpMarkings) {
    if (marking.tlp == tlp) return marking.id;
  }
  return kTlpMarkings[2].id;
}

std::string IdentityId(const Exporter& exporter) { return Id(exporter, "identity", "instance"); }

std::string IncidentId(const Exporter& exporter, int64_t incident_id) {
  return Id(exporter, "incident", std::to_string(incident_id));
}

std::string AssetId(const Exporter& exporter, int64_t asset_id) {
  return Id(exporter, "infrastructure", std::to_string(asset_id));
}

std::string VulnerabilityId(const Exporter& exporter, std::string_view cve_id) {
  return Id(exporter, "vulnerability", cve_id);
}

std::string AdvisoryReportId(const Exporter& exporter, std::string_view tracking_id) {
  return Id(exporter, "report", "advisory:" + std::string(tracking_id));
}

std::optional<std::string> AttackPatternId(std::string_view technique_id) {
  for (const Technique& technique : kTechniques) {
    if (technique_id == technique.external_id) return std::string(technique.stix_id);
  }
  return std::nullopt;
}

std::vector<Json> ReferenceObjects(const Exporter& exporter) {
  std::vector<Json> objects;
  objects.push_back(Json{{"type", "identity"},
                         {"spec_version", "2.1"},
                         {"id", IdentityId(exporter)},
                         {"created", kFixedTime},
                         {"modified", kFixedTime},
                         {"name", exporter.name},
                         {"identity_class", "system"},
                         {"description",
                          "The national industrial-Internet security situation server (sitrep) "
                          "that exported these objects."}});
  for (const TlpMarking& marking : kTlpMarkings) {
    objects.push_back(
        Json{{"type", "marking-definition"},
             {"spec_version", "2.1"},
             {"id", marking.id},
             {"created", kTlp2Created},
             {"name", marking.name},
             {"extensions",
              {{kTlp2Extension,
                {{"extension_type", "property-extension"}, {"tlp_2_0", marking.value}}}}}});
  }
  // As OASIS publishes them (cti-stix-common-objects, objects/extension-definition/).
  objects.push_back(Json{{"type", "extension-definition"},
                         {"spec_version", "2.1"},
                         {"id", kTlp2Extension},
                         {"created", "2022-10-01T00:00:00.000Z"},
                         {"modified", "2022-10-01T00:00:00.000Z"},
                         {"created_by_ref", "identity--b3bca3c2-1f3d-4b54-b44f-dac42c3a8f01"},
                         {"name", "TLP 2.0"},
                         {"description", "This defines TLP 2.0 as a STIX extension"},
                         {"schema",
                          "https://github.com/oasis-open/cti-stix-common-objects/tree/master/"
                          "extension-definition-specifications/tlp-2.0"},
                         {"version", "1.0.0"},
                         {"extension_types", {"property-extension"}}});
  objects.push_back(
      Json{{"type", "extension-definition"},
           {"spec_version", "2.1"},
           {"id", kIncidentCoreExtension},
           {"created", "2020-10-19T20:51:00.000Z"},
           {"modified", "2022-10-27T15:09:00.000Z"},
           {"created_by_ref", "identity--8ce3f695-d5a4-4dc8-9e93-a65af453a31a"},
           {"name", "Incident Core Extension"},
           {"description",
            "A core extension of the Incident object to allow core details of the Incident to be "
            "shared while tracking major details tied to the incident's timeline.  Multiple "
            "Incidents can be tied together via relationships if a higher degree of fidelity is "
            "needed across phases."},
           {"schema",
            "https://github.com/oasis-open/cti-stix-common-objects/tree/main/"
            "extension-definition-specifications/incident-core"},
           {"version", "1.1.0"},
           {"extension_types", {"property-extension"}}});
  return objects;
}

std::vector<Json> ExportIncident(const Exporter& exporter, const v1::Incident& incident) {
  const auto [created, modified] = Versions(incident.receive_time(), incident.update_time());
  const v1::Tlp tlp = incident.tlp();
  const std::string id = IncidentId(exporter, incident.id());

  Json core = {{"extension_type", "property-extension"},
               {"determination", Determination(incident.status())},
               {"investigation_status", InvestigationStatus(incident.status())}};
  if (auto criticality = Criticality(incident.severity())) core["criticality"] = *criticality;
  if (incident.category() != v1::CATEGORY_UNSPECIFIED) {
    core["incident_types"] =
        Json::array({EnumName(v1::Category_descriptor(), incident.category(), "CATEGORY_")});
  }
  Json object = Sdo(exporter, "incident", id, created, modified, tlp);
  object["name"] = incident.title();
  if (!incident.description().empty()) object["description"] = incident.description();
  object["extensions"] = {{kIncidentCoreExtension, core}};
  object["external_references"] = Json::array({ExternalReference("incidents", incident.id())});
  object["x_sitrep_revision"] = incident.revision();
  object["x_sitrep_province"] = incident.province();
  object["x_sitrep_sector"] = incident.sector();
  object["x_sitrep_severity"] = SeverityName(incident.severity());
  object["x_sitrep_category"] =
      EnumName(v1::Category_descriptor(), incident.category(), "CATEGORY_");
  if (!incident.subcategory().empty()) object["x_sitrep_subcategory"] = incident.subcategory();
  object["x_sitrep_status"] =
      EnumName(v1::IncidentStatus_descriptor(), incident.status(), "INCIDENT_STATUS_");
  object["x_sitrep_sharing_scope"] =
      EnumName(v1::SharingScope_descriptor(), incident.sharing_scope(), "SHARING_SCOPE_");
  if (IsSet(incident.occur_time())) object["x_sitrep_occur_time"] = StixTime(incident.occur_time());
  if (IsSet(incident.detect_time())) {
    object["x_sitrep_detect_time"] = StixTime(incident.detect_time());
  }
  object["x_sitrep_redacted"] = incident.redacted();
  if (!incident.attack_technique_ids().empty()) {
    object["x_sitrep_attack_technique_ids"] = incident.attack_technique_ids();
  }
  // SPEC §3: a redacted record arrives with the victim's identity already removed; nothing of
  // it is written, not even as empty values.
  if (!incident.redacted()) {
    if (incident.reporter_id() != 0) object["x_sitrep_reporter_id"] = incident.reporter_id();
    if (!incident.external_id().empty()) object["x_sitrep_external_id"] = incident.external_id();
    if (incident.enterprise_id() != 0) object["x_sitrep_enterprise_id"] = incident.enterprise_id();
    if (!incident.affected_asset_keys().empty()) {
      object["x_sitrep_affected_asset_keys"] = incident.affected_asset_keys();
    }
    if (!incident.attributes().empty()) {
      object["x_sitrep_attributes"] = Attributes(incident.attributes());
    }
  }

  std::vector<Json> objects;
  std::set<std::string> ids;
  AddOnce(objects, ids, std::move(object));
  const std::string valid_from = IsSet(incident.detect_time())  ? StixTime(incident.detect_time())
                                 : IsSet(incident.occur_time()) ? StixTime(incident.occur_time())
                                                                : created;
  for (const v1::Indicator& indicator : incident.indicators()) {
    std::optional<Observable> observable = ObservableOf(indicator);
    if (!observable) continue;
    const std::string sco_id = observable->object["id"].get<std::string>();
    Json stix_indicator = Sdo(exporter, "indicator", Id(exporter, "indicator", id + ":" + sco_id),
                              created, modified, tlp);
    stix_indicator["name"] = indicator.value();
    stix_indicator["indicator_types"] = Json::array({"malicious-activity"});
    stix_indicator["pattern"] = observable->pattern;
    stix_indicator["pattern_type"] = "stix";
    stix_indicator["valid_from"] = valid_from;
    const std::string indicator_id = stix_indicator["id"].get<std::string>();
    // The observable carries the record's marking too: an address is as sensitive as the
    // incident it was seen in.
    observable->object["object_marking_refs"] = Json::array({TlpMarkingId(tlp)});
    AddOnce(objects, ids, std::move(stix_indicator));
    AddOnce(objects, ids, std::move(observable->object));
    AddOnce(objects, ids,
            Relationship(exporter, indicator_id, "related-to", id, created, modified, tlp));
    AddOnce(objects, ids,
            Relationship(exporter, indicator_id, "related-to", sco_id, created, modified, tlp));
  }
  for (const std::string& cve_id : incident.cve_ids()) {
    AddOnce(objects, ids, VulnerabilityStub(exporter, cve_id));
    AddOnce(objects, ids,
            Relationship(exporter, id, "related-to", VulnerabilityId(exporter, cve_id), created,
                         modified, tlp));
  }
  for (const std::string& technique_id : incident.attack_technique_ids()) {
    const std::optional<std::string> pattern = AttackPatternId(technique_id);
    if (!pattern) continue;
    Json relationship = Relationship(exporter, id, "related-to", *pattern, created, modified, tlp);
    relationship["external_references"] =
        Json::array({{{"source_name", "mitre-attack"},
                      {"external_id", technique_id},
                      {"url", "https://attack.mitre.org/techniques/" + technique_id}}});
    AddOnce(objects, ids, std::move(relationship));
  }
  return objects;
}

std::vector<Json> ExportAsset(const Exporter& exporter, const v1::Asset& asset) {
  const auto [created, modified] = Versions(asset.first_seen_time(), asset.last_seen_time());
  // Assets carry no TLP of their own: they are as confidential as the regulators' registry.
  const v1::Tlp tlp = v1::TLP_AMBER;
  const std::string id = AssetId(exporter, asset.id());
  Json object = Sdo(exporter, "infrastructure", id, created, modified, tlp);
  std::string name = asset.vendor().empty() && asset.product().empty()
                         ? "asset " + std::to_string(asset.id())
                         : asset.vendor() + (asset.vendor().empty() ? "" : " ") + asset.product();
  object["name"] = name;
  switch (asset.type()) {
    case v1::ASSET_TYPE_PLC:
    case v1::ASSET_TYPE_HMI:
    case v1::ASSET_TYPE_SCADA:
    case v1::ASSET_TYPE_DCS:
    case v1::ASSET_TYPE_RTU:
      object["infrastructure_types"] = Json::array({"control-system"});
      break;
    case v1::ASSET_TYPE_GATEWAY:
      object["infrastructure_types"] = Json::array({"routers-switches"});
      break;
    default:
      object["infrastructure_types"] = Json::array({"unknown"});
  }
  if (IsSet(asset.first_seen_time())) object["first_seen"] = created;
  if (IsSet(asset.last_seen_time())) object["last_seen"] = modified;
  object["external_references"] = Json::array({ExternalReference("assets", asset.id())});
  object["x_sitrep_asset_type"] = EnumName(v1::AssetType_descriptor(), asset.type(), "ASSET_TYPE_");
  object["x_sitrep_province"] = asset.province();
  object["x_sitrep_sector"] = asset.sector();
  if (!asset.protocol().empty()) object["x_sitrep_protocol"] = asset.protocol();
  if (asset.port() != 0) object["x_sitrep_port"] = asset.port();
  if (asset.transport() != v1::TRANSPORT_UNSPECIFIED) {
    object["x_sitrep_transport"] =
        EnumName(v1::Transport_descriptor(), asset.transport(), "TRANSPORT_");
  }
  object["x_sitrep_internet_exposed"] = asset.internet_exposed();
  object["x_sitrep_times_seen"] = asset.times_seen();
  if (!asset.redacted()) {
    if (asset.reporter_id() != 0) object["x_sitrep_reporter_id"] = asset.reporter_id();
    if (!asset.asset_key().empty()) object["x_sitrep_asset_key"] = asset.asset_key();
    if (asset.enterprise_id() != 0) object["x_sitrep_enterprise_id"] = asset.enterprise_id();
    if (!asset.attributes().empty()) object["x_sitrep_attributes"] = Attributes(asset.attributes());
  }
  object["x_sitrep_redacted"] = asset.redacted();

  std::vector<Json> objects;
  std::set<std::string> ids;
  AddOnce(objects, ids, std::move(object));
  if (!asset.product().empty()) {
    Json contributing = {{"name", asset.product()}};
    if (!asset.vendor().empty()) contributing["vendor"] = asset.vendor();
    if (!asset.version().empty()) contributing["version"] = asset.version();
    Json software = contributing;
    software["type"] = "software";
    software["spec_version"] = "2.1";
    software["id"] = ScoId("software", contributing);
    const std::string software_id = software["id"].get<std::string>();
    AddOnce(objects, ids, std::move(software));
    AddOnce(objects, ids,
            Relationship(exporter, id, "consists-of", software_id, created, modified, tlp));
  }
  // The address is the asset's own identity: only in an unredacted record.
  if (!asset.ip().empty() && !asset.redacted()) {
    const bool v6 = asset.ip().find(':') != std::string::npos;
    const std::string type = v6 ? "ipv6-addr" : "ipv4-addr";
    Json address = {{"type", type},
                    {"spec_version", "2.1"},
                    {"id", ScoId(type, Json{{"value", asset.ip()}})},
                    {"value", asset.ip()},
                    {"object_marking_refs", Json::array({TlpMarkingId(tlp)})}};
    const std::string address_id = address["id"].get<std::string>();
    AddOnce(objects, ids, std::move(address));
    AddOnce(objects, ids,
            Relationship(exporter, id, "consists-of", address_id, created, modified, tlp));
  }
  for (const std::string& cve_id : asset.cve_ids()) {
    AddOnce(objects, ids, VulnerabilityStub(exporter, cve_id));
    AddOnce(objects, ids,
            Relationship(exporter, id, "has", VulnerabilityId(exporter, cve_id), created, modified,
                         tlp));
  }
  if (asset.enterprise_id() != 0 && !asset.redacted()) {
    const std::string enterprise =
        Id(exporter, "identity", "enterprise:" + std::to_string(asset.enterprise_id()));
    Json identity = Sdo(exporter, "identity", enterprise, std::string(kFixedTime),
                        std::string(kFixedTime), tlp);
    identity["name"] = "enterprise " + std::to_string(asset.enterprise_id());
    identity["identity_class"] = "organization";
    identity["external_references"] =
        Json::array({ExternalReference("enterprises", asset.enterprise_id())});
    if (!asset.sector().empty()) identity["x_sitrep_sector"] = asset.sector();
    AddOnce(objects, ids, std::move(identity));
    AddOnce(objects, ids,
            Relationship(exporter, id, "related-to", enterprise, created, modified, tlp));
  }
  return objects;
}

std::vector<Json> ExportNotification(const Exporter& exporter,
                                     const v1::Notification& notification) {
  const std::string created = StixTime(notification.create_time());
  const v1::Tlp tlp = notification.tlp();
  const std::string id = Id(exporter, "report", "notice:" + std::to_string(notification.id()));
  Json refs = Json::array();
  std::vector<Json> objects;
  std::set<std::string> ids;
  for (int64_t incident_id : notification.incident_ids()) {
    refs.push_back(IncidentId(exporter, incident_id));
  }
  for (int64_t asset_id : notification.asset_ids()) refs.push_back(AssetId(exporter, asset_id));
  std::vector<Json> stubs;
  for (const std::string& cve_id : notification.cve_ids()) {
    refs.push_back(VulnerabilityId(exporter, cve_id));
    stubs.push_back(VulnerabilityStub(exporter, cve_id));
  }
  // A report must refer to something: a notice naming no record refers to its issuer.
  if (refs.empty()) refs.push_back(IdentityId(exporter));
  Json report = Sdo(exporter, "report", id, created, created, tlp);
  report["name"] = notification.title();
  if (!notification.body().empty()) report["description"] = notification.body();
  report["report_types"] = Json::array({"threat-report"});
  report["published"] = created;
  report["object_refs"] = refs;
  report["external_references"] = Json::array({ExternalReference("notices", notification.id())});
  report["x_sitrep_priority"] = SeverityName(notification.priority());
  report["x_sitrep_level"] =
      EnumName(v1::NotificationLevel_descriptor(), notification.level(), "NOTIFICATION_LEVEL_");
  report["x_sitrep_origin"] =
      EnumName(v1::NotificationOrigin_descriptor(), notification.origin(), "NOTIFICATION_ORIGIN_");
  if (!notification.required_action().empty()) {
    report["x_sitrep_required_action"] = notification.required_action();
  }
  if (IsSet(notification.response_deadline())) {
    report["x_sitrep_response_deadline"] = StixTime(notification.response_deadline());
  }
  report["x_sitrep_issuer_province"] = notification.issuer_province();
  AddOnce(objects, ids, std::move(report));
  for (Json& stub : stubs) AddOnce(objects, ids, std::move(stub));
  for (const v1::NotificationTarget& target : notification.targets()) {
    if (target.feedback().empty()) continue;
    // The feedback's version is its last step in the target's history, when the caller got it.
    std::string noted = created;
    for (const v1::TargetEvent& event : target.history()) {
      if (event.state() == v1::TARGET_STATE_FEEDBACK_SUBMITTED) noted = StixTime(event.time());
    }
    if (noted < created) noted = created;
    Json note =
        Sdo(exporter, "note", Id(exporter, "note", "notice-target:" + std::to_string(target.id())),
            noted, noted, tlp);
    note["content"] = target.feedback();
    note["object_refs"] = Json::array({id});
    note["x_sitrep_outcome"] =
        EnumName(v1::FeedbackOutcome_descriptor(), target.outcome(), "FEEDBACK_OUTCOME_");
    if (target.province() != 0) note["x_sitrep_province"] = target.province();
    if (target.enterprise_id() != 0) note["x_sitrep_enterprise_id"] = target.enterprise_id();
    AddOnce(objects, ids, std::move(note));
  }
  return objects;
}

std::vector<Json> ExportAdvisory(const Exporter& exporter, const v1::Advisory& advisory) {
  std::vector<Json> objects;
  std::set<std::string> ids;
  std::vector<std::string> cve_ids(advisory.cve_ids().begin(), advisory.cve_ids().end());
  // A stub known only by its CVE (a STIX vulnerability a peer posted) is that CVE.
  const bool cve_stub = advisory.stub() && IsValidCveId(advisory.tracking_id());
  if (cve_stub &&
      std::find(cve_ids.begin(), cve_ids.end(), advisory.tracking_id()) == cve_ids.end()) {
    cve_ids.push_back(advisory.tracking_id());
  }
  if (cve_stub && cve_ids.size() == 1) {
    objects.push_back(VulnerabilityStub(exporter, cve_ids.front()));
    return objects;
  }
  // The first publication is the report's first version, the current release this one.
  const google::protobuf::Timestamp& published = IsSet(advisory.published_time())
                                                     ? advisory.published_time()
                                                     : advisory.current_release_time();
  const auto [created, modified] =
      IsSet(published) ? Versions(published, advisory.current_release_time())
                       : std::pair{std::string(kFixedTime), std::string(kFixedTime)};
  const v1::Tlp tlp = advisory.tlp() == v1::TLP_UNSPECIFIED ? v1::TLP_CLEAR : advisory.tlp();
  Json refs = Json::array();
  std::vector<Json> stubs;
  for (const std::string& cve_id : cve_ids) {
    refs.push_back(VulnerabilityId(exporter, cve_id));
    stubs.push_back(VulnerabilityStub(exporter, cve_id));
  }
  // A report must refer to something: an advisory without CVEs refers to the deployment.
  if (refs.empty()) refs.push_back(IdentityId(exporter));
  Json report = Sdo(exporter, "report", AdvisoryReportId(exporter, advisory.tracking_id()), created,
                    modified, tlp);
  report["name"] = advisory.title().empty() ? advisory.tracking_id() : advisory.title();
  report["report_types"] = Json::array({"vulnerability"});
  report["published"] = created;
  report["object_refs"] = refs;
  Json references = Json::array(
      {{{"source_name", "sitrep"}, {"external_id", "advisories/" + advisory.tracking_id()}}});
  if (!advisory.url().empty()) {
    references.push_back(Json{{"source_name", advisory.publisher().empty() ? std::string("advisory")
                                                                           : advisory.publisher()},
                              {"external_id", advisory.tracking_id()},
                              {"url", advisory.url()}});
  }
  report["external_references"] = std::move(references);
  report["x_sitrep_tracking_id"] = advisory.tracking_id();
  report["x_sitrep_stub"] = advisory.stub();
  if (!advisory.version().empty()) report["x_sitrep_version"] = advisory.version();
  report["x_sitrep_revision"] = advisory.revision();
  if (!advisory.publisher().empty()) report["x_sitrep_publisher"] = advisory.publisher();
  if (!advisory.vendors().empty()) {
    report["x_sitrep_vendors"] =
        Json(std::vector<std::string>(advisory.vendors().begin(), advisory.vendors().end()));
  }
  if (!advisory.products().empty()) {
    report["x_sitrep_products"] =
        Json(std::vector<std::string>(advisory.products().begin(), advisory.products().end()));
  }
  report["x_sitrep_max_cvss"] = advisory.max_cvss();
  report["x_sitrep_known_exploited"] = advisory.known_exploited();
  AddOnce(objects, ids, std::move(report));
  for (Json& stub : stubs) AddOnce(objects, ids, std::move(stub));
  return objects;
}

}  // namespace sitrep::stix
