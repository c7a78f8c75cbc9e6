#include "stix/inbound.h"

#include <google/protobuf/util/time_util.h>
#include <gtest/gtest.h>

#include <cstdio>
#include <functional>
#include <string>
#include <vector>

namespace sitrep::stix {
namespace {

using google::protobuf::util::TimeUtil;
using nlohmann::json;
using Outcome = ObjectVerdict::Outcome;

constexpr const char* kIncidentId = "incident--0b3a6a1e-7c11-4d5c-9f1a-5f2b1d9e8c41";
constexpr const char* kIndicatorId = "indicator--6f1d2c3b-4a5e-4f60-8b7c-9d0e1f2a3b4c";
constexpr const char* kCore = "extension-definition--ef765651-680c-498d-9894-99799f2fa126";
constexpr const char* kTlpGreen = "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb";
constexpr const char* kTlpRed = "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1";

json Incident() {
  return json{{"type", "incident"},
              {"spec_version", "2.1"},
              {"id", kIncidentId},
              {"created", "2026-03-01T08:00:00.000Z"},
              {"modified", "2026-03-02T09:30:00.000Z"},
              {"name", "PLC logic changed at a water plant"},
              {"description", "Line one.\nLine two."},
              {"object_marking_refs", {kTlpGreen}},
              {"x_sitrep_province", 440000},
              {"x_sitrep_sector", "water"},
              {"external_references",
               {{{"source_name", "cve"}, {"external_id", "CVE-2024-12345"}},
                {{"source_name", "mitre-attack"}, {"external_id", "T0831"}}}},
              {"extensions",
               {{kCore,
                 {{"extension_type", "property-extension"},
                  {"determination", "successful-attempt"},
                  {"investigation_status", "open"},
                  {"criticality", 75},
                  {"incident_types", {"malware"}}}}}}};
}

json Indicator() {
  return json{
      {"type", "indicator"},
      {"spec_version", "2.1"},
      {"id", kIndicatorId},
      {"created", "2026-03-01T08:00:00Z"},
      {"modified", "2026-03-01T08:00:00Z"},
      {"pattern_type", "stix"},
      {"pattern", "[ipv4-addr:value = '203.0.113.7' OR domain-name:value = 'evil.example']"},
      {"valid_from", "2026-03-01T07:00:00Z"},
      {"indicator_types", {"malicious-activity"}}};
}

ObjectVerdict Convert(const json& object, std::optional<uint32_t> province = std::nullopt) {
  return ConvertObject(object, "objects[0]", InboundContext{province});
}

TEST(StixInboundTest, IncidentWithTheCoreExtensionBecomesAnIncident) {
  const ObjectVerdict verdict = Convert(Incident());
  ASSERT_EQ(verdict.outcome, Outcome::kRecord) << verdict.message;
  EXPECT_EQ(verdict.stix_id, kIncidentId);
  EXPECT_EQ(verdict.version, "2026-03-02T09:30:00.000Z");
  const v1::Incident& incident = verdict.record.incident();
  EXPECT_EQ(incident.external_id(), kIncidentId);
  EXPECT_EQ(incident.title(), "PLC logic changed at a water plant");
  EXPECT_EQ(incident.description(), "Line one.\nLine two.");
  EXPECT_EQ(incident.province(), 440000u);
  EXPECT_EQ(incident.sector(), "water");
  EXPECT_EQ(incident.category(), v1::CATEGORY_MALWARE);
  EXPECT_EQ(incident.severity(), v1::SEVERITY_II);
  EXPECT_EQ(incident.status(), v1::INCIDENT_STATUS_CONFIRMED);
  EXPECT_EQ(incident.tlp(), v1::TLP_GREEN);
  EXPECT_EQ(TimeUtil::ToString(incident.occur_time()), "2026-03-01T08:00:00Z");
  ASSERT_EQ(incident.cve_ids_size(), 1);
  EXPECT_EQ(incident.cve_ids(0), "CVE-2024-12345");
  ASSERT_EQ(incident.attack_technique_ids_size(), 1);
  EXPECT_EQ(incident.attack_technique_ids(0), "T0831");
  EXPECT_EQ(incident.attributes().at("stix_modified"), "2026-03-02T09:30:00.000Z");
}

TEST(StixInboundTest, IncidentWithoutExtensionTakesDefaultsAndThePostersProvince) {
  json object = Incident();
  object.erase("extensions");
  object.erase("x_sitrep_province");
  object.erase("object_marking_refs");
  const ObjectVerdict verdict = Convert(object, 110000);
  ASSERT_EQ(verdict.outcome, Outcome::kRecord) << verdict.message;
  const v1::Incident& incident = verdict.record.incident();
  EXPECT_EQ(incident.province(), 110000u);
  EXPECT_EQ(incident.category(), v1::CATEGORY_OTHER);
  EXPECT_EQ(incident.severity(), v1::SEVERITY_IV);
  EXPECT_EQ(incident.status(), v1::INCIDENT_STATUS_REPORTED);
  EXPECT_EQ(incident.tlp(), v1::TLP_AMBER);  // unmarked: the conservative default
}

TEST(StixInboundTest, SitrepsOwnPropertiesWinOverTheStixOnes) {
  json object = Incident();
  object["x_sitrep_category"] = "facility-fault";
  object["x_sitrep_severity"] = "I";
  object["x_sitrep_status"] = "false-positive";
  object["x_sitrep_subcategory"] = "PLC firmware";
  object["x_sitrep_sharing_scope"] = "all-regulators";
  object["x_sitrep_occur_time"] = "2026-02-27T01:02:03.456Z";
  object["x_sitrep_detect_time"] = "2026-02-28T00:00:00.000Z";
  object["x_sitrep_attack_technique_ids"] = {"T0831", "T0855", "T1059", "T0999.001"};
  const ObjectVerdict verdict = Convert(object);
  ASSERT_EQ(verdict.outcome, Outcome::kRecord) << verdict.message;
  const v1::Incident& incident = verdict.record.incident();
  EXPECT_EQ(incident.category(), v1::CATEGORY_FACILITY_FAULT);
  EXPECT_EQ(incident.severity(), v1::SEVERITY_I);
  EXPECT_EQ(incident.status(), v1::INCIDENT_STATUS_FALSE_POSITIVE);
  EXPECT_EQ(incident.subcategory(), "PLC firmware");
  EXPECT_EQ(incident.sharing_scope(), v1::SHARING_SCOPE_ALL_REGULATORS);
  EXPECT_EQ(TimeUtil::ToString(incident.occur_time()), "2026-02-27T01:02:03.456Z");
  EXPECT_EQ(TimeUtil::ToString(incident.detect_time()), "2026-02-28T00:00:00Z");
  EXPECT_EQ(std::vector<std::string>(incident.attack_technique_ids().begin(),
                                     incident.attack_technique_ids().end()),
            (std::vector<std::string>{"T0831", "T0855", "T0999.001"}));

  object["x_sitrep_sharing_scope"] = "unspecified";  // what the export writes for unset
  object["x_sitrep_severity"] = "unspecified";
  const ObjectVerdict unset = Convert(object);
  ASSERT_EQ(unset.outcome, Outcome::kRecord) << unset.message;
  EXPECT_EQ(unset.record.incident().sharing_scope(), v1::SHARING_SCOPE_UNSPECIFIED);
  EXPECT_EQ(unset.record.incident().severity(), v1::SEVERITY_II);  // criticality 75
}

TEST(StixInboundTest, TheStrictestOfSeveralTlpMarkingsHolds) {
  json object = Incident();
  object["object_marking_refs"] = {kTlpGreen, kTlpRed,
                                   "marking-definition--11111111-2222-4333-8444-555555555555"};
  const ObjectVerdict verdict = Convert(object);
  ASSERT_EQ(verdict.outcome, Outcome::kRecord) << verdict.message;
  EXPECT_EQ(verdict.record.incident().tlp(), v1::TLP_RED);
}

TEST(StixInboundTest, CriticalityMapsBackToTheGradesSitrepExports) {
  for (const auto& [criticality, severity] :
       std::vector<std::pair<int, v1::Severity>>{{100, v1::SEVERITY_I},
                                                 {75, v1::SEVERITY_II},
                                                 {50, v1::SEVERITY_III},
                                                 {25, v1::SEVERITY_IV},
                                                 {0, v1::SEVERITY_IV}}) {
    json object = Incident();
    object["extensions"][kCore]["criticality"] = criticality;
    const ObjectVerdict verdict = Convert(object);
    ASSERT_EQ(verdict.outcome, Outcome::kRecord) << verdict.message;
    EXPECT_EQ(verdict.record.incident().severity(), severity) << criticality;
  }
}

TEST(StixInboundTest, IndicatorBecomesAnIncidentHoldingItsValues) {
  const ObjectVerdict verdict = Convert(Indicator(), 320000);
  ASSERT_EQ(verdict.outcome, Outcome::kRecord) << verdict.message;
  const v1::Incident& incident = verdict.record.incident();
  EXPECT_EQ(incident.external_id(), kIndicatorId);
  EXPECT_EQ(incident.subcategory(), "STIX indicator");
  EXPECT_EQ(incident.category(), v1::CATEGORY_NETWORK_ATTACK);
  ASSERT_EQ(incident.indicators_size(), 2);
  EXPECT_EQ(incident.indicators(0).type(), v1::INDICATOR_TYPE_IPV4);
  EXPECT_EQ(incident.indicators(0).value(), "203.0.113.7");
  EXPECT_EQ(incident.indicators(1).type(), v1::INDICATOR_TYPE_DOMAIN);
  EXPECT_EQ(TimeUtil::ToString(incident.occur_time()), "2026-03-01T07:00:00Z");
}

TEST(StixInboundTest, PatternsSitrepCanHoldAndThoseItCannot) {
  const auto values = [](std::string_view pattern) -> std::vector<std::string> {
    const auto indicators = ParsePattern(pattern);
    if (!indicators) return {"<none>"};
    std::vector<std::string> out;
    for (const v1::Indicator& one : *indicators) out.push_back(one.value());
    return out;
  };
  using Values = std::vector<std::string>;
  EXPECT_EQ(values("[url:value = 'http://a.example/x']"), Values{"http://a.example/x"});
  EXPECT_EQ(values("[file:hashes.'SHA-256' = 'ab'] OR [file:hashes.MD5 = 'cd']"),
            (Values{"ab", "cd"}));
  EXPECT_EQ(values("[email-addr:value = 'o\\'neil@example.com']"), Values{"o'neil@example.com"});
  for (const char* unusable :
       {"", "[", "[ipv4-addr:value = '1.2.3.4'", "[ipv4-addr:value = '1.2.3.4] ",
        "[ipv4-addr:value = '1.2.3.4' AND domain-name:value = 'x']",
        "[ipv4-addr:value != '1.2.3.4']", "[process:name = 'x']",
        "[ipv4-addr:value = '1.2.3.4'] WITHIN 5 SECONDS", "[ipv4-addr:value = '\\x']",
        "[ipv4-addr:value = '1.2.3.4'] OR"}) {
    EXPECT_EQ(values(unusable), Values{"<none>"}) << unusable;
  }
}

TEST(StixInboundTest, VulnerabilityBecomesAnAdvisoryStubKeyedByItsCve) {
  const json object = {{"type", "vulnerability"},
                       {"spec_version", "2.1"},
                       {"id", "vulnerability--0c7b5b88-8ff7-4a4d-aa9d-feb398cd0061"},
                       {"created", "2024-01-04T00:00:00Z"},
                       {"modified", "2024-01-05T00:00:00Z"},
                       {"name", "CVE-2023-6448"},
                       {"external_references",
                        {{{"source_name", "cve"},
                          {"external_id", "CVE-2023-6448"},
                          {"url", "https://www.cve.org/CVERecord?id=CVE-2023-6448"}}}}};
  const ObjectVerdict verdict = Convert(object);
  ASSERT_EQ(verdict.outcome, Outcome::kRecord) << verdict.message;
  ASSERT_TRUE(verdict.record.has_advisory());
  EXPECT_EQ(verdict.record.advisory().tracking_id(), "CVE-2023-6448");
  EXPECT_EQ(verdict.record.advisory().url(), "https://www.cve.org/CVERecord?id=CVE-2023-6448");
  EXPECT_EQ(TimeUtil::ToString(verdict.record.advisory().published_time()), "2024-01-04T00:00:00Z");
}

TEST(StixInboundTest, ValidObjectsSitrepDoesNotStoreAreIgnored) {
  const json pattern = {{"type", "attack-pattern"},
                        {"spec_version", "2.1"},
                        {"id", "attack-pattern--3f1f4ccb-9be2-4ff8-8f69-dd972221169b"},
                        {"created", "2020-05-21T17:43:26.506Z"},
                        {"modified", "2023-10-13T17:56:57.575Z"},
                        {"name", "Rootkit"}};
  const ObjectVerdict verdict = Convert(pattern);
  EXPECT_EQ(verdict.outcome, Outcome::kIgnored);
  EXPECT_EQ(verdict.message, "sitrep does not store attack-pattern objects");
}

// One row per property and kind of wrong: the object is rejected, naming the property.
struct HostileCase {
  std::string name;
  std::function<void(json&)> spoil;
  std::string message;  // the whole verdict message
};

std::vector<HostileCase> HostileCases() {
  const std::string huge(70'000, 'a');
  const std::string core = std::string("objects[0].extensions[\"") + kCore + "\"]";
  return {
      {"type missing", [](json& o) { o.erase("type"); }, "objects[0].type: required"},
      {"type a number", [](json& o) { o["type"] = 7; }, "objects[0].type: not a string"},
      {"type not a STIX name", [](json& o) { o["type"] = "Incident!"; },
       "objects[0].type: not a STIX type name"},
      {"type huge", [huge](json& o) { o["type"] = huge; },
       "objects[0].type: longer than 250 characters"},
      {"spec_version missing", [](json& o) { o.erase("spec_version"); },
       "objects[0].spec_version: required"},
      {"spec_version 2.0", [](json& o) { o["spec_version"] = "2.0"; },
       "objects[0].spec_version: not \"2.1\""},
      {"spec_version a number", [](json& o) { o["spec_version"] = 2.1; },
       "objects[0].spec_version: not \"2.1\""},
      {"id of another type",
       [](json& o) { o["id"] = "indicator--0b3a6a1e-7c11-4d5c-9f1a-5f2b1d9e8c41"; },
       "objects[0].id: not \"incident--\" followed by a UUID"},
      {"id uppercase UUID",
       [](json& o) { o["id"] = "incident--0B3A6A1E-7C11-4D5C-9F1A-5F2B1D9E8C41"; },
       "objects[0].id: not \"incident--\" followed by a UUID"},
      {"id UUID version 0",
       [](json& o) { o["id"] = "incident--0b3a6a1e-7c11-0d5c-9f1a-5f2b1d9e8c41"; },
       "objects[0].id: not \"incident--\" followed by a UUID"},
      {"id an array", [](json& o) { o["id"] = json::array(); }, "objects[0].id: not a string"},
      {"created missing", [](json& o) { o.erase("created"); }, "objects[0].created: required"},
      {"created with an offset", [](json& o) { o["created"] = "2026-03-01T08:00:00+08:00"; },
       "objects[0].created: not a STIX timestamp"},
      {"created a date only", [](json& o) { o["created"] = "2026-03-01"; },
       "objects[0].created: not a STIX timestamp"},
      {"created month 13", [](json& o) { o["created"] = "2026-13-01T08:00:00Z"; },
       "objects[0].created: not a STIX timestamp"},
      {"created a number", [](json& o) { o["created"] = 1700000000; },
       "objects[0].created: not a STIX timestamp"},
      {"modified missing", [](json& o) { o.erase("modified"); }, "objects[0].modified: required"},
      {"modified before created", [](json& o) { o["modified"] = "2026-02-28T00:00:00Z"; },
       "objects[0].modified: earlier than created"},
      {"marking refs not a list", [](json& o) { o["object_marking_refs"] = kTlpGreen; },
       "objects[0].object_marking_refs: not a list"},
      {"marking ref of another type",
       [](json& o) {
         o["object_marking_refs"] = {kTlpGreen, kIncidentId};
       },
       "objects[0].object_marking_refs[1]: not a marking-definition id"},
      {"marking ref a number", [](json& o) { o["object_marking_refs"] = {1}; },
       "objects[0].object_marking_refs[0]: not a string"},
      {"name missing", [](json& o) { o.erase("name"); }, "objects[0].name: required"},
      {"name empty", [](json& o) { o["name"] = ""; }, "objects[0].name: required"},
      {"name huge", [huge](json& o) { o["name"] = huge; },
       "objects[0].name: longer than 300 characters"},
      {"name with a newline", [](json& o) { o["name"] = "a\nb"; },
       "objects[0].name: contains a control character"},
      {"name an object", [](json& o) { o["name"] = json::object(); },
       "objects[0].name: not a string"},
      {"description huge", [](json& o) { o["description"] = std::string(20'001, 'd'); },
       "objects[0].description: longer than 20000 characters"},
      {"province a string", [](json& o) { o["x_sitrep_province"] = "440000"; },
       "objects[0].x_sitrep_province: not an integer"},
      {"province negative", [](json& o) { o["x_sitrep_province"] = -1; },
       "objects[0].x_sitrep_province: not between 1 and 999999"},
      {"province beyond int64", [](json& o) { o["x_sitrep_province"] = UINT64_MAX; },
       "objects[0].x_sitrep_province: not between 1 and 999999"},
      {"province missing for a national poster", [](json& o) { o.erase("x_sitrep_province"); },
       "objects[0].x_sitrep_province: required: a national poster must say which province the "
       "record belongs to"},
      {"sharing scope unknown", [](json& o) { o["x_sitrep_sharing_scope"] = "everyone"; },
       "objects[0].x_sitrep_sharing_scope: not one of province, all-regulators, sector, public"},
      {"category unknown", [](json& o) { o["x_sitrep_category"] = "spam"; },
       "objects[0].x_sitrep_category: not one of malware, network-attack, "
       "information-destruction, information-content, facility-fault, disaster, other"},
      {"severity unknown", [](json& o) { o["x_sitrep_severity"] = "V"; },
       "objects[0].x_sitrep_severity: not one of I, II, III, IV"},
      {"status a number", [](json& o) { o["x_sitrep_status"] = 3; },
       "objects[0].x_sitrep_status: not a string"},
      {"subcategory too long", [](json& o) { o["x_sitrep_subcategory"] = std::string(101, 's'); },
       "objects[0].x_sitrep_subcategory: longer than 100 characters"},
      {"technique ids not a list", [](json& o) { o["x_sitrep_attack_technique_ids"] = "T0831"; },
       "objects[0].x_sitrep_attack_technique_ids: not a list"},
      {"technique id a number", [](json& o) { o["x_sitrep_attack_technique_ids"] = {831}; },
       "objects[0].x_sitrep_attack_technique_ids[0]: not a string"},
      {"occur time bad", [](json& o) { o["x_sitrep_occur_time"] = "yesterday"; },
       "objects[0].x_sitrep_occur_time: not a STIX timestamp"},
      {"created_by_ref of another type", [](json& o) { o["created_by_ref"] = kIncidentId; },
       "objects[0].created_by_ref: not an identity id"},
      {"external reference not an object", [](json& o) { o["external_references"] = {"cve"}; },
       "objects[0].external_references[0]: not an object"},
      {"external reference without source",
       [](json& o) {
         o["external_references"] = {{{"external_id", "x"}}};
       },
       "objects[0].external_references[0].source_name: required"},
      {"CVE reference malformed",
       [](json& o) {
         o["external_references"] = {{{"source_name", "cve"}, {"external_id", "CVE-24-1"}}};
       },
       "objects[0].external_references[0].external_id: not a CVE id such as CVE-2024-12345"},
      {"extensions not an object", [](json& o) { o["extensions"] = "core"; },
       "objects[0].extensions: not an object"},
      {"core extension not an object", [](json& o) { o["extensions"][kCore] = 1; },
       core + ": not an object"},
      {"determination missing", [](json& o) { o["extensions"][kCore].erase("determination"); },
       core + ".determination: required"},
      {"criticality above 100", [](json& o) { o["extensions"][kCore]["criticality"] = 101; },
       core + ".criticality: not between 0 and 100"},
      {"criticality a float", [](json& o) { o["extensions"][kCore]["criticality"] = 50.5; },
       core + ".criticality: not an integer"},
      {"incident_types not a list", [](json& o) { o["extensions"][kCore]["incident_types"] = "x"; },
       core + ".incident_types: not a list of at most 50 strings"},
      {"incident_types item a number",
       [](json& o) { o["extensions"][kCore]["incident_types"] = {1}; },
       core + ".incident_types[0]: not a string"},
  };
}

TEST(StixInboundTest, EveryWrongPropertyRejectsTheObjectNamingIt) {
  for (const HostileCase& row : HostileCases()) {
    json object = Incident();
    row.spoil(object);
    const ObjectVerdict verdict = Convert(object);
    EXPECT_EQ(verdict.outcome, Outcome::kRejected) << row.name;
    EXPECT_EQ(verdict.message, row.message) << row.name;
    EXPECT_FALSE(verdict.record.has_incident()) << row.name;
  }
}

TEST(StixInboundTest, WrongIndicatorPropertiesRejectTheIndicator) {
  const std::vector<std::pair<std::function<void(json&)>, std::string>> rows = {
      {[](json& o) { o.erase("pattern"); }, "objects[0].pattern: required"},
      {[](json& o) { o["pattern_type"] = "sigma"; },
       "objects[0].pattern_type: not \"stix\": sitrep reads STIX patterns only"},
      {[](json& o) { o["pattern"] = "[process:name = 'x']"; },
       "objects[0].pattern: not comparisons"},
      {[](json& o) { o.erase("valid_from"); }, "objects[0].valid_from: required"},
      {[](json& o) { o["indicator_types"] = {json::object()}; },
       "objects[0].indicator_types[0]: not a string"},
  };
  for (const auto& [spoil, message] : rows) {
    json object = Indicator();
    spoil(object);
    const ObjectVerdict verdict = Convert(object, 110000);
    EXPECT_EQ(verdict.outcome, Outcome::kRejected) << message;
    EXPECT_EQ(verdict.message.substr(0, message.size()), message);
  }
}

TEST(StixInboundTest, AnythingButAnObjectIsRejected) {
  for (const json& element : {json(1), json("incident"), json::array(), json(nullptr)}) {
    const ObjectVerdict verdict = Convert(element);
    EXPECT_EQ(verdict.outcome, Outcome::kRejected);
    EXPECT_EQ(verdict.message, "objects[0]: not a JSON object");
  }
}

std::string Envelope(const std::vector<json>& objects) { return json{{"objects", objects}}.dump(); }

TEST(StixInboundTest, OneBadObjectOfAThousandCostsOnlyItself) {
  std::vector<json> objects;
  for (int i = 0; i < 1000; ++i) {
    json object = Incident();
    char uuid[37];
    std::snprintf(uuid, sizeof uuid, "0b3a6a1e-7c11-4d5c-9f1a-%012d", i);
    object["id"] = std::string("incident--") + uuid;
    objects.push_back(std::move(object));
  }
  objects[17]["created"] = "not a time";
  std::string error;
  const std::optional<json> document = ParseStixDocument(Envelope(objects), error);
  ASSERT_TRUE(document) << error;
  const DocumentVerdicts verdicts = ConvertDocument(*document, InboundContext{});
  ASSERT_TRUE(verdicts.error.empty());
  ASSERT_EQ(verdicts.objects.size(), 1000u);
  size_t records = 0;
  for (const ObjectVerdict& verdict : verdicts.objects) {
    records += verdict.outcome == Outcome::kRecord ? 1 : 0;
  }
  EXPECT_EQ(records, 999u);
  EXPECT_EQ(verdicts.objects[17].outcome, Outcome::kRejected);
  EXPECT_EQ(verdicts.objects[17].message, "objects[17].created: not a STIX timestamp");
}

TEST(StixInboundTest, BytesThatAreNotUtf8FailOnlyTheirObject) {
  const std::string good = Incident().dump();
  std::string bad = Incident().dump();
  const std::string name = "PLC logic changed";
  bad.replace(bad.find(name), name.size(), "PLC \xC3\x28 \xFF changed");
  const std::string text = "{\"objects\":[" + good + "," + bad + "]}";
  std::string error;
  const std::optional<json> document = ParseStixDocument(text, error);
  ASSERT_TRUE(document) << error;
  const DocumentVerdicts verdicts = ConvertDocument(*document, InboundContext{});
  ASSERT_EQ(verdicts.objects.size(), 2u);
  EXPECT_EQ(verdicts.objects[0].outcome, Outcome::kRecord);
  EXPECT_EQ(verdicts.objects[1].outcome, Outcome::kRejected);
  EXPECT_EQ(verdicts.objects[1].message, "objects[1].name: not valid UTF-8");
}

TEST(StixInboundTest, DeepNestingFailsOnlyItsObject) {
  json deep = Incident();
  std::string nested = "1";
  for (int i = 0; i < 100'000; ++i) nested = "[" + nested;  // built as text: no recursion here
  nested.append(100'000, ']');
  const std::string spoiled =
      deep.dump().insert(1, "\"x_payload\":" + nested + ",");  // after the opening brace
  const std::string text = "{\"objects\":[" + spoiled + "," + Incident().dump() + "]}";
  std::string error;
  const std::optional<json> document = ParseStixDocument(text, error);
  ASSERT_TRUE(document) << error;
  const DocumentVerdicts verdicts = ConvertDocument(*document, InboundContext{});
  ASSERT_EQ(verdicts.objects.size(), 2u);
  EXPECT_EQ(verdicts.objects[0].outcome, Outcome::kRejected);
  EXPECT_EQ(verdicts.objects[0].message, "objects[0]: nested deeper than 32 levels");
  EXPECT_EQ(verdicts.objects[1].outcome, Outcome::kRecord);
}

TEST(StixInboundTest, DocumentsThatAreNotEnvelopesSayWhy) {
  std::string error;
  EXPECT_FALSE(ParseStixDocument("{\"objects\": [", error));
  EXPECT_EQ(error.substr(0, 13), "invalid JSON:");
  EXPECT_FALSE(ParseStixDocument("[1e999]", error));
  for (const char* text : {"[]", "{}", "{\"objects\": {}}", "\"bundle\""}) {
    const std::optional<json> document = ParseStixDocument(text, error);
    ASSERT_TRUE(document) << text;
    EXPECT_EQ(ConvertDocument(*document, InboundContext{}).error,
              "not a STIX envelope or bundle: no \"objects\" list");
  }
}

TEST(StixInboundTest, AnIndicatorTiedToAnIncidentOfTheSameDocumentIsFoldedIntoIt) {
  const json relationship = {{"type", "relationship"},
                             {"spec_version", "2.1"},
                             {"id", "relationship--7a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"},
                             {"created", "2026-03-01T08:00:00Z"},
                             {"modified", "2026-03-01T08:00:00Z"},
                             {"relationship_type", "indicates"},
                             {"source_ref", kIndicatorId},
                             {"target_ref", kIncidentId}};
  std::string error;
  const std::optional<json> document =
      ParseStixDocument(Envelope({Indicator(), Incident(), relationship}), error);
  ASSERT_TRUE(document) << error;
  const DocumentVerdicts verdicts = ConvertDocument(*document, InboundContext{});
  ASSERT_EQ(verdicts.objects.size(), 3u);
  EXPECT_EQ(verdicts.objects[0].outcome, Outcome::kFolded);
  EXPECT_EQ(verdicts.objects[0].message, std::string("folded into ") + kIncidentId);
  ASSERT_EQ(verdicts.objects[1].outcome, Outcome::kRecord);
  EXPECT_EQ(verdicts.objects[1].record.incident().indicators_size(), 2);
  EXPECT_EQ(verdicts.objects[2].outcome, Outcome::kIgnored);

  json bad_incident = Incident();
  bad_incident.erase("name");
  const std::optional<json> orphaned =
      ParseStixDocument(Envelope({Indicator(), bad_incident, relationship}), error);
  ASSERT_TRUE(orphaned) << error;
  const DocumentVerdicts alone = ConvertDocument(*orphaned, InboundContext{});
  EXPECT_EQ(alone.objects[0].outcome, Outcome::kRejected);
  EXPECT_EQ(alone.objects[0].property, "objects[0].x_sitrep_province");
  EXPECT_EQ(alone.objects[1].message, "objects[1].name: required");
}

// sitrep's export ties indicators and CVEs to an incident with related-to (docs/stix-mapping.md).
TEST(StixInboundTest, RelatedIndicatorsAndVulnerabilitiesAreFoldedIntoTheirIncident) {
  const auto relationship = [](const char* id, const char* source, const char* target) {
    return json{{"type", "relationship"},
                {"spec_version", "2.1"},
                {"id", id},
                {"created", "2026-03-01T08:00:00Z"},
                {"modified", "2026-03-01T08:00:00Z"},
                {"relationship_type", "related-to"},
                {"source_ref", source},
                {"target_ref", target}};
  };
  const char* vulnerability_id = "vulnerability--0c7b5b88-8ff7-4a4d-aa9d-feb398cd0061";
  const json vulnerability = {
      {"type", "vulnerability"},
      {"spec_version", "2.1"},
      {"id", vulnerability_id},
      {"created", "2024-01-01T00:00:00.000Z"},
      {"modified", "2024-01-01T00:00:00.000Z"},
      {"name", "CVE-2023-6448"},
      {"external_references", {{{"source_name", "cve"}, {"external_id", "CVE-2023-6448"}}}}};
  json indicator = Indicator();
  indicator.erase("indicator_types");
  std::string error;
  const std::optional<json> document =
      ParseStixDocument(Envelope({Incident(), indicator, vulnerability,
                                  relationship("relationship--1a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d",
                                               kIndicatorId, kIncidentId),
                                  relationship("relationship--2a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d",
                                               kIncidentId, vulnerability_id)}),
                        error);
  ASSERT_TRUE(document) << error;
  const DocumentVerdicts verdicts = ConvertDocument(*document, InboundContext{});
  ASSERT_EQ(verdicts.objects.size(), 5u);
  ASSERT_EQ(verdicts.objects[0].outcome, Outcome::kRecord) << verdicts.objects[0].message;
  const v1::Incident& incident = verdicts.objects[0].record.incident();
  EXPECT_EQ(incident.indicators_size(), 2);
  EXPECT_EQ(std::vector<std::string>(incident.cve_ids().begin(), incident.cve_ids().end()),
            (std::vector<std::string>{"CVE-2024-12345", "CVE-2023-6448"}));
  EXPECT_EQ(verdicts.objects[1].outcome, Outcome::kFolded) << verdicts.objects[1].message;
  EXPECT_EQ(verdicts.objects[2].outcome, Outcome::kFolded) << verdicts.objects[2].message;
  EXPECT_EQ(verdicts.objects[2].message, std::string("folded into ") + kIncidentId);
}

TEST(StixInboundTest, VersionsOrderByModified) {
  EXPECT_EQ(CompareStixVersions("2026-03-01T08:00:00Z", "2026-03-01T08:00:00.000Z"),
            VersionOrder::kSame);
  EXPECT_EQ(CompareStixVersions("2026-03-01T08:00:00Z", "2026-03-01T08:00:00.001Z"),
            VersionOrder::kNewer);
  EXPECT_EQ(CompareStixVersions("2026-03-01T08:00:00.5Z", "2026-03-01T08:00:00Z"),
            VersionOrder::kOlder);
  EXPECT_EQ(CompareStixVersions("2026-03-01", "2026-03-01T08:00:00Z"), std::nullopt);
}

TEST(StixInboundTest, TlpMarkingIdsOfBothVersions) {
  EXPECT_EQ(TlpOfMarking("marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487"),
            v1::TLP_CLEAR);
  EXPECT_EQ(TlpOfMarking("marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003"),
            v1::TLP_AMBER_STRICT);
  EXPECT_EQ(TlpOfMarking("marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9"),
            v1::TLP_CLEAR);
  EXPECT_EQ(TlpOfMarking(kTlpRed), v1::TLP_RED);
  EXPECT_EQ(TlpOfMarking(kIncidentId), std::nullopt);
}

}  // namespace
}  // namespace sitrep::stix
