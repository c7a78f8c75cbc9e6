#include "domain/record_checks.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "domain/time_convert.h"

namespace sitrep {
namespace {

using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;

// 2025-06-15T14:13:20Z; every time below is relative to it, so no test reads the real clock.
constexpr std::chrono::system_clock::time_point kNow{seconds(1'750'000'000)};

ReferenceCodes Codes() {
  ReferenceCodes codes;
  codes.provinces[440000].set_name_en("Guangdong");
  codes.provinces[110000].set_name_en("Beijing");
  codes.sectors["energy"].set_name_en("Energy");
  codes.sectors["other"].set_name_en("Other");
  return codes;
}

std::string Repeat(std::string_view text, size_t times) {
  std::string result;
  for (size_t i = 0; i < times; ++i) result += text;
  return result;
}

google::protobuf::Timestamp At(std::chrono::system_clock::time_point time) {
  return ToTimestamp(time);
}

google::protobuf::Timestamp Seconds(int64_t seconds, int32_t nanos = 0) {
  google::protobuf::Timestamp timestamp;
  timestamp.set_seconds(seconds);
  timestamp.set_nanos(nanos);
  return timestamp;
}

constexpr int64_t kLastSecondOf1989 = 631'151'999;  // 1989-12-31T23:59:59Z

void AddIndicator(v1::Incident& incident, v1::IndicatorType type, const std::string& value) {
  v1::Indicator* indicator = incident.add_indicators();
  indicator->set_type(type);
  indicator->set_value(value);
}

// One valid indicator of every type, in enum order: indicators[i] has type i + 1.
v1::Incident ValidIncident() {
  v1::Incident incident;
  incident.set_external_id("gd-collector-2025-000731");
  incident.set_province(440000);
  incident.set_enterprise_id(17);
  incident.set_sector("energy");
  incident.set_category(v1::CATEGORY_NETWORK_ATTACK);
  incident.set_subcategory("unauthorised PLC logic change");
  incident.set_severity(v1::SEVERITY_III);
  incident.set_tlp(v1::TLP_AMBER);
  incident.set_sharing_scope(v1::SHARING_SCOPE_PROVINCE);
  incident.set_status(v1::INCIDENT_STATUS_REPORTED);
  *incident.mutable_occur_time() = At(kNow - hours(2));
  *incident.mutable_detect_time() = At(kNow - hours(1));
  incident.set_title("某变电站 PLC 程序被篡改");
  incident.set_description("Logic block OB1 was overwritten.\nOperators noticed at 09:12.\t(S7)");
  AddIndicator(incident, v1::INDICATOR_TYPE_IPV4, "203.0.113.7");
  AddIndicator(incident, v1::INDICATOR_TYPE_IPV6, "2001:db8::7");
  AddIndicator(incident, v1::INDICATOR_TYPE_DOMAIN, "c2.example.com");
  AddIndicator(incident, v1::INDICATOR_TYPE_URL, "https://c2.example.com:8443/p?id=1#x");
  AddIndicator(incident, v1::INDICATOR_TYPE_SHA256, Repeat("a1B2", 16));
  AddIndicator(incident, v1::INDICATOR_TYPE_MD5, Repeat("0f", 16));
  AddIndicator(incident, v1::INDICATOR_TYPE_EMAIL, "phish.ops+1@mail.example.com");
  incident.add_cve_ids("CVE-2014-0160");
  incident.add_cve_ids("CVE-2021-44228");
  incident.add_attack_technique_ids("T0831");
  incident.add_attack_technique_ids("T0843");
  incident.add_affected_asset_keys("plc-substation-3");
  (*incident.mutable_attributes())["plant"] = "Substation 3";
  (*incident.mutable_attributes())["shift"] = "night";
  return incident;
}

v1::Asset ValidAsset() {
  v1::Asset asset;
  asset.set_asset_key("10.20.30.40:502/tcp");
  asset.set_province(110000);
  asset.set_enterprise_id(0);
  asset.set_sector("energy");
  asset.set_ip("10.20.30.40");
  asset.set_port(502);
  asset.set_transport(v1::TRANSPORT_TCP);
  asset.set_protocol("modbus");
  asset.set_vendor("Schneider Electric");
  asset.set_product("Modicon M340");
  asset.set_version("3.20");
  asset.set_type(v1::ASSET_TYPE_PLC);
  asset.set_internet_exposed(true);
  asset.add_cve_ids("CVE-2022-45789");
  *asset.mutable_last_seen_time() = At(kNow - minutes(3));
  (*asset.mutable_attributes())["banner"] = "Schneider Electric BMX P34 2020";
  return asset;
}

std::string Describe(const FieldViolations& violations) {
  std::string text;
  for (const FieldViolation& v : violations) text += v.field + " " + v.reason + "; ";
  return text;
}

template <typename Record>
struct Row {
  void (*spoil)(Record&);
  std::string field, reason;
};

// Each row spoils one field of the valid sample; exactly that violation must come back.
template <typename Record, typename Check>
void ExpectEachRowNamesItsField(const std::vector<Row<Record>>& rows, Record (*sample)(),
                                Check check) {
  for (const Row<Record>& row : rows) {
    SCOPED_TRACE(row.field + " " + row.reason);
    Record record = sample();
    row.spoil(record);
    const FieldViolations violations = check(record);
    ASSERT_EQ(violations.size(), 1u) << Describe(violations);
    EXPECT_EQ(violations[0].field, row.field);
    EXPECT_EQ(violations[0].reason, row.reason);
    EXPECT_FALSE(violations[0].description.empty());
  }
}

FieldViolations CheckSampleIncident(const v1::Incident& incident) {
  return CheckIncident(incident, Codes(), kNow);
}

FieldViolations CheckSampleAsset(const v1::Asset& asset) {
  return CheckAsset(asset, Codes(), kNow);
}

void ExpectIncidentValid(void (*change)(v1::Incident&)) {
  v1::Incident incident = ValidIncident();
  change(incident);
  const FieldViolations violations = CheckSampleIncident(incident);
  EXPECT_TRUE(violations.empty()) << Describe(violations);
}

void ExpectAssetValid(void (*change)(v1::Asset&)) {
  v1::Asset asset = ValidAsset();
  change(asset);
  const FieldViolations violations = CheckSampleAsset(asset);
  EXPECT_TRUE(violations.empty()) << Describe(violations);
}

TEST(CheckIncidentTest, AcceptsAValidIncident) {
  EXPECT_TRUE(CheckSampleIncident(ValidIncident()).empty());
}

TEST(CheckIncidentTest, AcceptsBoundaryAndOptionalValues) {
  ExpectIncidentValid([](v1::Incident& i) { i.set_external_id(Repeat("编", 128)); });
  ExpectIncidentValid([](v1::Incident& i) { i.set_title(Repeat("题", 300)); });
  ExpectIncidentValid([](v1::Incident& i) { i.set_description(std::string(20'000, 'd')); });
  ExpectIncidentValid([](v1::Incident& i) { i.set_enterprise_id(0); });
  ExpectIncidentValid([](v1::Incident& i) { i.set_sharing_scope(v1::SHARING_SCOPE_UNSPECIFIED); });
  ExpectIncidentValid([](v1::Incident& i) { i.set_status(v1::INCIDENT_STATUS_UNSPECIFIED); });
  ExpectIncidentValid([](v1::Incident& i) {
    i.clear_occur_time();
    i.clear_detect_time();
  });
  ExpectIncidentValid([](v1::Incident& i) { i.clear_occur_time(); });
  ExpectIncidentValid([](v1::Incident& i) { *i.mutable_occur_time() = i.detect_time(); });
  ExpectIncidentValid([](v1::Incident& i) { *i.mutable_detect_time() = At(kNow + minutes(4)); });
  ExpectIncidentValid([](v1::Incident& i) { *i.mutable_detect_time() = At(kNow + kMaxClockSkew); });
  ExpectIncidentValid([](v1::Incident& i) { *i.mutable_occur_time() = Seconds(631'152'000); });
  ExpectIncidentValid([](v1::Incident& i) { i.mutable_indicators()->Clear(); });
  ExpectIncidentValid([](v1::Incident& i) {
    while (i.indicators_size() < 100) AddIndicator(i, v1::INDICATOR_TYPE_IPV4, "198.51.100.1");
  });
  ExpectIncidentValid([](v1::Incident& i) {
    i.mutable_indicators(3)->set_value("ftp://[2001:db8::1]:21/pub/x.bin");
  });
  ExpectIncidentValid([](v1::Incident& i) {
    i.mutable_indicators(3)->set_value("HTTP://user:pw@203.0.113.9/a%20b?");
  });
  ExpectIncidentValid([](v1::Incident& i) { (*i.mutable_attributes())["note"] = ""; });
}

TEST(CheckIncidentTest, SqlLookingTextIsJustText) {
  ExpectIncidentValid([](v1::Incident& i) {
    i.set_external_id("x'); DROP TABLE incidents;--");
    i.set_title("' OR 1=1 -- ; DELETE FROM incidents WHERE ''='");
    i.set_description("Robert'); DROP TABLE students;--\n\\x00 $1 %s {}");
    (*i.mutable_attributes())["'; --"] = "\" OR \"\"=\"";
  });
}

TEST(CheckIncidentTest, NamesEachWrongField) {
  using I = v1::Incident;
  const std::vector<Row<I>> rows = {
      // external_id
      {[](I& i) { i.set_external_id(""); }, "incident.external_id", "REQUIRED"},
      {[](I& i) { i.set_external_id(std::string(129, 'x')); }, "incident.external_id", "TOO_LONG"},
      {[](I& i) { i.set_external_id("ext\x01"); }, "incident.external_id", "CONTROL_CHARACTER"},
      {[](I& i) { i.set_external_id("\xC0\xAF"); }, "incident.external_id", "INVALID_UTF8"},
      // province, sector, enterprise
      {[](I& i) { i.set_province(0); }, "incident.province", "UNKNOWN_PROVINCE"},
      {[](I& i) { i.set_province(440100); }, "incident.province", "UNKNOWN_PROVINCE"},
      {[](I& i) { i.set_sector(""); }, "incident.sector", "UNKNOWN_SECTOR"},
      {[](I& i) { i.set_sector("energy' OR 1=1 --"); }, "incident.sector", "UNKNOWN_SECTOR"},
      {[](I& i) { i.set_enterprise_id(-1); }, "incident.enterprise_id", "OUT_OF_RANGE"},
      // enums
      {[](I& i) { i.set_category(v1::CATEGORY_UNSPECIFIED); }, "incident.category", "INVALID_ENUM"},
      {[](I& i) { i.set_category(static_cast<v1::Category>(42)); }, "incident.category",
       "INVALID_ENUM"},
      {[](I& i) { i.set_severity(v1::SEVERITY_UNSPECIFIED); }, "incident.severity", "INVALID_ENUM"},
      {[](I& i) { i.set_severity(static_cast<v1::Severity>(-1)); }, "incident.severity",
       "INVALID_ENUM"},
      {[](I& i) { i.set_tlp(v1::TLP_UNSPECIFIED); }, "incident.tlp", "INVALID_ENUM"},
      {[](I& i) { i.set_tlp(static_cast<v1::Tlp>(6)); }, "incident.tlp", "INVALID_ENUM"},
      {[](I& i) { i.set_sharing_scope(static_cast<v1::SharingScope>(5)); },
       "incident.sharing_scope", "INVALID_ENUM"},
      {[](I& i) { i.set_status(static_cast<v1::IncidentStatus>(7)); }, "incident.status",
       "INVALID_ENUM"},
      // text
      {[](I& i) { i.set_title(""); }, "incident.title", "REQUIRED"},
      {[](I& i) { i.set_title(Repeat("题", 301)); }, "incident.title", "TOO_LONG"},
      {[](I& i) { i.set_title("first line\nsecond line"); }, "incident.title", "CONTROL_CHARACTER"},
      {[](I& i) { i.set_title("PLC \xFF\xFE tampered"); }, "incident.title", "INVALID_UTF8"},
      {[](I& i) { i.set_title("truncated \xE5\x8F"); }, "incident.title", "INVALID_UTF8"},
      {[](I& i) { i.set_title("surrogate \xED\xA0\x80"); }, "incident.title", "INVALID_UTF8"},
      {[](I& i) { i.set_description(std::string(20'001, 'd')); }, "incident.description",
       "TOO_LONG"},
      {[](I& i) { i.set_description(std::string(4 << 20, 'd')); }, "incident.description",
       "TOO_LONG"},
      {[](I& i) { i.set_description(std::string("nul\0byte", 8)); }, "incident.description",
       "CONTROL_CHARACTER"},
      {[](I& i) { i.set_subcategory(std::string(101, 's')); }, "incident.subcategory", "TOO_LONG"},
      // indicators: the list, then a bad value of each type at its own index
      {[](I& i) {
         while (i.indicators_size() <= 100) AddIndicator(i, v1::INDICATOR_TYPE_MD5, "x");
       },
       "incident.indicators", "TOO_MANY"},
      {[](I& i) { i.mutable_indicators(2)->set_type(v1::INDICATOR_TYPE_UNSPECIFIED); },
       "incident.indicators[2].type", "INVALID_ENUM"},
      {[](I& i) { i.mutable_indicators(2)->set_type(static_cast<v1::IndicatorType>(8)); },
       "incident.indicators[2].type", "INVALID_ENUM"},
      {[](I& i) { i.mutable_indicators(0)->set_value(""); }, "incident.indicators[0].value",
       "REQUIRED"},
      {[](I& i) { i.mutable_indicators(3)->set_value("https://a.example/" + Repeat("p", 2048)); },
       "incident.indicators[3].value", "TOO_LONG"},
      {[](I& i) { i.mutable_indicators(0)->set_value("256.1.1.1"); },
       "incident.indicators[0].value", "INVALID_INDICATOR"},
      {[](I& i) { i.mutable_indicators(0)->set_value("10.1.1"); }, "incident.indicators[0].value",
       "INVALID_INDICATOR"},
      {[](I& i) { i.mutable_indicators(0)->set_value("10.1.1.1:502"); },
       "incident.indicators[0].value", "INVALID_INDICATOR"},
      {[](I& i) { i.mutable_indicators(0)->set_value("2001:db8::7"); },
       "incident.indicators[0].value", "INVALID_INDICATOR"},
      {[](I& i) { i.mutable_indicators(1)->set_value("2001:db8::g"); },
       "incident.indicators[1].value", "INVALID_INDICATOR"},
      {[](I& i) { i.mutable_indicators(1)->set_value("203.0.113.7"); },
       "incident.indicators[1].value", "INVALID_INDICATOR"},
      {[](I& i) { i.mutable_indicators(1)->set_value("fe80::1%eth0"); },
       "incident.indicators[1].value", "INVALID_INDICATOR"},
      {[](I& i) { i.mutable_indicators(2)->set_value("localhost"); },
       "incident.indicators[2].value", "INVALID_INDICATOR"},
      {[](I& i) { i.mutable_indicators(2)->set_value("-c2.example.com"); },
       "incident.indicators[2].value", "INVALID_INDICATOR"},
      {[](I& i) { i.mutable_indicators(2)->set_value("c2..example.com"); },
       "incident.indicators[2].value", "INVALID_INDICATOR"},
      {[](I& i) { i.mutable_indicators(2)->set_value("c2_x.example.com"); },
       "incident.indicators[2].value", "INVALID_INDICATOR"},
      {[](I& i) { i.mutable_indicators(2)->set_value(std::string(64, 'a') + ".example.com"); },
       "incident.indicators[2].value", "INVALID_INDICATOR"},
      {[](I& i) { i.mutable_indicators(2)->set_value(Repeat("abcdefghi.", 25) + "info"); },
       "incident.indicators[2].value", "INVALID_INDICATOR"},
      {[](I& i) { i.mutable_indicators(2)->set_value("10.0.0.300"); },
       "incident.indicators[2].value", "INVALID_INDICATOR"},
      {[](I& i) { i.mutable_indicators(3)->set_value("javascript:alert(1)"); },
       "incident.indicators[3].value", "INVALID_INDICATOR"},
      {[](I& i) { i.mutable_indicators(3)->set_value("file:///etc/passwd"); },
       "incident.indicators[3].value", "INVALID_INDICATOR"},
      {[](I& i) { i.mutable_indicators(3)->set_value("http:///no-host"); },
       "incident.indicators[3].value", "INVALID_INDICATOR"},
      {[](I& i) { i.mutable_indicators(3)->set_value("http://c2.example.com:99999/"); },
       "incident.indicators[3].value", "INVALID_INDICATOR"},
      {[](I& i) { i.mutable_indicators(3)->set_value("http://c2.example.com:65536/"); },
       "incident.indicators[3].value", "INVALID_INDICATOR"},
      {[](I& i) { i.mutable_indicators(3)->set_value("c2.example.com/payload"); },
       "incident.indicators[3].value", "INVALID_INDICATOR"},
      {[](I& i) { i.mutable_indicators(4)->set_value(std::string(63, 'a')); },
       "incident.indicators[4].value", "INVALID_INDICATOR"},
      {[](I& i) { i.mutable_indicators(4)->set_value(std::string(64, 'g')); },
       "incident.indicators[4].value", "INVALID_INDICATOR"},
      {[](I& i) { i.mutable_indicators(5)->set_value(std::string(31, 'a')); },
       "incident.indicators[5].value", "INVALID_INDICATOR"},
      {[](I& i) { i.mutable_indicators(5)->set_value(Repeat("a1B2", 16)); },
       "incident.indicators[5].value", "INVALID_INDICATOR"},
      {[](I& i) { i.mutable_indicators(6)->set_value("mail.example.com"); },
       "incident.indicators[6].value", "INVALID_INDICATOR"},
      {[](I& i) { i.mutable_indicators(6)->set_value("@example.com"); },
       "incident.indicators[6].value", "INVALID_INDICATOR"},
      {[](I& i) { i.mutable_indicators(6)->set_value("a..b@example.com"); },
       "incident.indicators[6].value", "INVALID_INDICATOR"},
      {[](I& i) { i.mutable_indicators(6)->set_value("ops@localhost"); },
       "incident.indicators[6].value", "INVALID_INDICATOR"},
      // identifier lists
      {[](I& i) {
         while (i.cve_ids_size() <= 100) i.add_cve_ids("CVE-2024-0001");
       },
       "incident.cve_ids", "TOO_MANY"},
      {[](I& i) { i.set_cve_ids(1, "CVE-1998-0001"); }, "incident.cve_ids[1]", "INVALID_CVE_ID"},
      {[](I& i) { i.set_cve_ids(0, "cve-2021-44228"); }, "incident.cve_ids[0]", "INVALID_CVE_ID"},
      {[](I& i) {
         while (i.attack_technique_ids_size() <= 50) i.add_attack_technique_ids("T0800");
       },
       "incident.attack_technique_ids", "TOO_MANY"},
      {[](I& i) { i.set_attack_technique_ids(1, "T1059"); }, "incident.attack_technique_ids[1]",
       "INVALID_TECHNIQUE_ID"},
      {[](I& i) {
         while (i.affected_asset_keys_size() <= 100) i.add_affected_asset_keys("plc");
       },
       "incident.affected_asset_keys", "TOO_MANY"},
      {[](I& i) { i.set_affected_asset_keys(0, ""); }, "incident.affected_asset_keys[0]",
       "REQUIRED"},
      {[](I& i) { i.set_affected_asset_keys(0, std::string(129, 'k')); },
       "incident.affected_asset_keys[0]", "TOO_LONG"},
      // attributes
      {[](I& i) {
         for (int n = 0; n < 50; ++n) (*i.mutable_attributes())["k" + std::to_string(n)] = "v";
       },
       "incident.attributes", "TOO_MANY"},
      {[](I& i) { (*i.mutable_attributes())[""] = "v"; }, "incident.attributes", "REQUIRED"},
      {[](I& i) { (*i.mutable_attributes())[std::string(101, 'k')] = "v"; }, "incident.attributes",
       "TOO_LONG"},
      {[](I& i) { (*i.mutable_attributes())["bad\xFF"] = "v"; }, "incident.attributes",
       "INVALID_UTF8"},
      {[](I& i) { (*i.mutable_attributes())["shift"] = std::string(1001, 'v'); },
       "incident.attributes[\"shift\"]", "TOO_LONG"},
      {[](I& i) { (*i.mutable_attributes())["shift"] = std::string("night\x01", 6); },
       "incident.attributes[\"shift\"]", "CONTROL_CHARACTER"},
      // times
      {[](I& i) { *i.mutable_occur_time() = Seconds(1'749'000'000, -1); }, "incident.occur_time",
       "INVALID_TIMESTAMP"},
      {[](I& i) { *i.mutable_detect_time() = Seconds(1'749'000'000, 1'000'000'000); },
       "incident.detect_time", "INVALID_TIMESTAMP"},
      {[](I& i) { *i.mutable_occur_time() = Seconds(kLastSecondOf1989); }, "incident.occur_time",
       "TOO_EARLY"},
      {[](I& i) { *i.mutable_detect_time() = Seconds(kLastSecondOf1989); }, "incident.detect_time",
       "TOO_EARLY"},
      {[](I& i) { *i.mutable_detect_time() = Seconds(-62'135'596'800); },  // year 1
       "incident.detect_time", "TOO_EARLY"},
      {[](I& i) { *i.mutable_detect_time() = At(kNow + minutes(6)); }, "incident.detect_time",
       "IN_FUTURE"},
      {[](I& i) {
         *i.mutable_detect_time() = At(kNow + kMaxClockSkew + std::chrono::microseconds(1));
       },
       "incident.detect_time", "IN_FUTURE"},
      {[](I& i) { *i.mutable_occur_time() = At(kNow + hours(1)); }, "incident.occur_time",
       "IN_FUTURE"},
      {[](I& i) { *i.mutable_occur_time() = Seconds(253'402'300'799); },  // 9999-12-31
       "incident.occur_time", "IN_FUTURE"},
      {[](I& i) { *i.mutable_occur_time() = Seconds(INT64_MAX); },  // not a Timestamp at all
       "incident.occur_time", "OUT_OF_RANGE"},
      {[](I& i) { *i.mutable_occur_time() = At(kNow - minutes(30)); }, "incident.detect_time",
       "BEFORE_OCCUR_TIME"},
      {[](I& i) {
         *i.mutable_occur_time() = Seconds(1'749'000'000, 2);
         *i.mutable_detect_time() = Seconds(1'749'000'000, 1);
       },
       "incident.detect_time", "BEFORE_OCCUR_TIME"},
  };
  ExpectEachRowNamesItsField(rows, ValidIncident, CheckSampleIncident);
}

TEST(CheckIncidentTest, ReportsEveryMissingRequiredField) {
  const FieldViolations violations = CheckIncident(v1::Incident(), Codes(), kNow);
  std::vector<std::string> fields;
  for (const FieldViolation& violation : violations) fields.push_back(violation.field);
  EXPECT_EQ(fields,
            (std::vector<std::string>{"incident.external_id", "incident.province",
                                      "incident.sector", "incident.category", "incident.severity",
                                      "incident.tlp", "incident.title"}));
}

TEST(CheckIncidentTest, EmptyPrefixNamesBareFields) {
  v1::Incident incident = ValidIncident();
  incident.set_title("");
  incident.set_cve_ids(0, "CVE-24-1");
  const FieldViolations violations = CheckIncident(incident, Codes(), kNow, "");
  ASSERT_EQ(violations.size(), 2u);
  EXPECT_EQ(violations[0].field, "title");
  EXPECT_EQ(violations[1].field, "cve_ids[0]");
}

TEST(CheckAssetTest, AcceptsAValidAsset) { EXPECT_TRUE(CheckSampleAsset(ValidAsset()).empty()); }

TEST(CheckAssetTest, AcceptsBoundaryAndOptionalValues) {
  ExpectAssetValid([](v1::Asset& a) { a.set_ip("2001:db8:0:1::502"); });
  ExpectAssetValid([](v1::Asset& a) { a.set_ip("::ffff:10.20.30.40"); });
  ExpectAssetValid([](v1::Asset& a) {
    a.clear_ip();
    a.set_port(0);
  });
  ExpectAssetValid([](v1::Asset& a) { a.set_port(65'535); });
  ExpectAssetValid([](v1::Asset& a) { a.clear_sector(); });
  ExpectAssetValid([](v1::Asset& a) { a.set_sector("other"); });
  ExpectAssetValid([](v1::Asset& a) { a.set_transport(v1::TRANSPORT_UNSPECIFIED); });
  ExpectAssetValid([](v1::Asset& a) { a.set_type(v1::ASSET_TYPE_UNSPECIFIED); });
  ExpectAssetValid([](v1::Asset& a) { a.clear_protocol(); });
  ExpectAssetValid([](v1::Asset& a) { a.set_protocol("iec104"); });
  ExpectAssetValid([](v1::Asset& a) { a.set_protocol(std::string(40, 'p')); });
  ExpectAssetValid([](v1::Asset& a) { a.set_vendor(Repeat("西", 200)); });
  ExpectAssetValid([](v1::Asset& a) { a.clear_last_seen_time(); });
  ExpectAssetValid([](v1::Asset& a) { *a.mutable_last_seen_time() = At(kNow + minutes(5)); });
}

TEST(CheckAssetTest, NamesEachWrongField) {
  using A = v1::Asset;
  const std::vector<Row<A>> rows = {
      {[](A& a) { a.set_asset_key(""); }, "asset.asset_key", "REQUIRED"},
      {[](A& a) { a.set_asset_key(std::string(129, 'k')); }, "asset.asset_key", "TOO_LONG"},
      {[](A& a) { a.set_asset_key("plc\x7F"); }, "asset.asset_key", "CONTROL_CHARACTER"},
      {[](A& a) { a.set_asset_key("\xE4\xB8"); }, "asset.asset_key", "INVALID_UTF8"},
      {[](A& a) { a.set_province(0); }, "asset.province", "UNKNOWN_PROVINCE"},
      {[](A& a) { a.set_sector("mining"); }, "asset.sector", "UNKNOWN_SECTOR"},
      {[](A& a) { a.set_enterprise_id(-5); }, "asset.enterprise_id", "OUT_OF_RANGE"},
      {[](A& a) { a.set_ip("999.1.1.1"); }, "asset.ip", "INVALID_IP"},
      {[](A& a) { a.set_ip("10.20.30.40:502"); }, "asset.ip", "INVALID_IP"},
      {[](A& a) { a.set_ip("[2001:db8::1]"); }, "asset.ip", "INVALID_IP"},
      {[](A& a) { a.set_ip("[2001:db8::1]:502"); }, "asset.ip", "INVALID_IP"},
      {[](A& a) { a.set_ip("plc.example.com"); }, "asset.ip", "INVALID_IP"},
      {[](A& a) { a.set_ip(" 10.20.30.40"); }, "asset.ip", "INVALID_IP"},
      {[](A& a) { a.set_port(65'536); }, "asset.port", "OUT_OF_RANGE"},
      {[](A& a) { a.set_transport(static_cast<v1::Transport>(3)); }, "asset.transport",
       "INVALID_ENUM"},
      {[](A& a) { a.set_type(static_cast<v1::AssetType>(10)); }, "asset.type", "INVALID_ENUM"},
      {[](A& a) { a.set_protocol("Modbus"); }, "asset.protocol", "INVALID_PROTOCOL"},
      {[](A& a) { a.set_protocol("modbus/tcp"); }, "asset.protocol", "INVALID_PROTOCOL"},
      {[](A& a) { a.set_protocol("s7comm'; DROP TABLE assets;--"); }, "asset.protocol",
       "INVALID_PROTOCOL"},
      {[](A& a) { a.set_protocol(std::string(41, 'p')); }, "asset.protocol", "INVALID_PROTOCOL"},
      {[](A& a) { a.set_vendor(std::string(201, 'v')); }, "asset.vendor", "TOO_LONG"},
      {[](A& a) { a.set_product("M340\xFF"); }, "asset.product", "INVALID_UTF8"},
      {[](A& a) { a.set_version("3.20\n"); }, "asset.version", "CONTROL_CHARACTER"},
      {[](A& a) { a.set_cve_ids(0, "CVE-2022-045789"); }, "asset.cve_ids[0]", "INVALID_CVE_ID"},
      {[](A& a) {
         while (a.cve_ids_size() <= 100) a.add_cve_ids("CVE-2022-45789");
       },
       "asset.cve_ids", "TOO_MANY"},
      {[](A& a) { (*a.mutable_attributes())["banner"] = std::string(1001, 'b'); },
       "asset.attributes[\"banner\"]", "TOO_LONG"},
      {[](A& a) {
         for (int n = 0; n < 51; ++n) (*a.mutable_attributes())["k" + std::to_string(n)] = "v";
       },
       "asset.attributes", "TOO_MANY"},
      {[](A& a) { *a.mutable_last_seen_time() = Seconds(1'749'000'000, 1'000'000'000); },
       "asset.last_seen_time", "INVALID_TIMESTAMP"},
      {[](A& a) { *a.mutable_last_seen_time() = Seconds(kLastSecondOf1989); },
       "asset.last_seen_time", "TOO_EARLY"},
      {[](A& a) { *a.mutable_last_seen_time() = At(kNow + minutes(6)); }, "asset.last_seen_time",
       "IN_FUTURE"},
  };
  ExpectEachRowNamesItsField(rows, ValidAsset, CheckSampleAsset);
}

// Issue 14: every string of a record, whatever rule its shape follows, refuses the bytes that
// must never reach COPY (NUL), that are not UTF-8 (PostgreSQL refuses them) or that are
// control characters, and names the field that holds them.
struct HostileBytes {
  const char* name;
  std::string bytes;
  const char* reason;
  bool allowed_in_free_text;  // description, attribute values
};

const std::vector<HostileBytes> kHostileBytes = {
    {"NUL", std::string(1, '\0'), "CONTROL_CHARACTER", false},
    {"SOH", "\x01", "CONTROL_CHARACTER", false},
    {"ESC", "\x1b", "CONTROL_CHARACTER", false},
    {"unit separator", "\x1f", "CONTROL_CHARACTER", false},
    {"DEL", "\x7f", "CONTROL_CHARACTER", false},
    {"C1 NEL", "\xc2\x85", "CONTROL_CHARACTER", false},
    {"newline", "\n", "CONTROL_CHARACTER", true},
    {"carriage return", "\r", "CONTROL_CHARACTER", true},
    {"tab", "\t", "CONTROL_CHARACTER", true},
    {"lone continuation byte", "\x80", "INVALID_UTF8", false},
    {"truncated sequence", "\xe4\xb8", "INVALID_UTF8", false},
    {"0xFF", "\xff", "INVALID_UTF8", false},
    {"overlong slash", "\xc0\xaf", "INVALID_UTF8", false},
    {"overlong NUL", "\xc0\x80", "INVALID_UTF8", false},
    {"overlong three bytes", "\xe0\x80\xaf", "INVALID_UTF8", false},
    {"overlong four bytes", "\xf0\x80\x80\xaf", "INVALID_UTF8", false},
    {"lone high surrogate", "\xed\xa0\x80", "INVALID_UTF8", false},
    {"lone low surrogate", "\xed\xbf\xbf", "INVALID_UTF8", false},
    {"beyond U+10FFFF", "\xf4\x90\x80\x80", "INVALID_UTF8", false},
};

template <typename Record>
struct StringField {
  std::string path;
  std::function<void(Record&, const std::string&)> spoil;  // appends the bytes to a good value
  bool free_text;
};

template <typename Record>
void ExpectEveryStringRefusesHostileBytes(const std::vector<StringField<Record>>& fields,
                                          Record (*sample)(),
                                          FieldViolations (*check)(const Record&)) {
  for (const StringField<Record>& field : fields) {
    for (const HostileBytes& hostile : kHostileBytes) {
      SCOPED_TRACE(field.path + " with " + hostile.name);
      Record record = sample();
      field.spoil(record, hostile.bytes);
      const FieldViolations violations = check(record);
      if (field.free_text && hostile.allowed_in_free_text) {
        EXPECT_TRUE(violations.empty()) << Describe(violations);
        continue;
      }
      ASSERT_EQ(violations.size(), 1u) << Describe(violations);
      EXPECT_EQ(violations[0].field, field.path);
      EXPECT_EQ(violations[0].reason, hostile.reason);
    }
  }
}

TEST(CheckIncidentTest, EveryStringRefusesNulControlsAndMalformedUtf8) {
  using I = v1::Incident;
  using S = const std::string&;
  const std::vector<StringField<I>> fields = {
      {"incident.external_id", [](I& i, S h) { i.set_external_id("gd-1" + h); }, false},
      {"incident.sector", [](I& i, S h) { i.set_sector("energy" + h); }, false},
      {"incident.subcategory", [](I& i, S h) { i.set_subcategory("logic" + h); }, false},
      {"incident.title", [](I& i, S h) { i.set_title("PLC" + h); }, false},
      {"incident.description", [](I& i, S h) { i.set_description("Logic" + h + "."); }, true},
      {"incident.indicators[0].value",
       [](I& i, S h) { i.mutable_indicators(0)->set_value("203.0.113.7" + h); }, false},
      {"incident.indicators[3].value",
       [](I& i, S h) { i.mutable_indicators(3)->set_value("https://c2.example.com/" + h); }, false},
      {"incident.cve_ids[1]", [](I& i, S h) { i.set_cve_ids(1, "CVE-2021-44228" + h); }, false},
      {"incident.attack_technique_ids[0]",
       [](I& i, S h) { i.set_attack_technique_ids(0, "T0831" + h); }, false},
      {"incident.affected_asset_keys[0]",
       [](I& i, S h) { i.set_affected_asset_keys(0, "plc-7" + h); }, false},
      {"incident.attributes", [](I& i, S h) { (*i.mutable_attributes())["plant" + h] = "v"; },
       false},
      {"incident.attributes[\"plant\"]",
       [](I& i, S h) { (*i.mutable_attributes())["plant"] = "unit" + h + "2"; }, true},
  };
  ExpectEveryStringRefusesHostileBytes<I>(fields, ValidIncident, CheckSampleIncident);
}

TEST(CheckAssetTest, EveryStringRefusesNulControlsAndMalformedUtf8) {
  using A = v1::Asset;
  using S = const std::string&;
  const std::vector<StringField<A>> fields = {
      {"asset.asset_key", [](A& a, S h) { a.set_asset_key("plc" + h); }, false},
      {"asset.sector", [](A& a, S h) { a.set_sector("energy" + h); }, false},
      {"asset.ip", [](A& a, S h) { a.set_ip("10.20.30.40" + h); }, false},
      {"asset.protocol", [](A& a, S h) { a.set_protocol("modbus" + h); }, false},
      {"asset.vendor", [](A& a, S h) { a.set_vendor("Schneider" + h); }, false},
      {"asset.product", [](A& a, S h) { a.set_product("M340" + h); }, false},
      {"asset.version", [](A& a, S h) { a.set_version("3.20" + h); }, false},
      {"asset.cve_ids[0]", [](A& a, S h) { a.set_cve_ids(0, "CVE-2022-45789" + h); }, false},
      {"asset.attributes", [](A& a, S h) { (*a.mutable_attributes())["site" + h] = "v"; }, false},
      {"asset.attributes[\"banner\"]",
       [](A& a, S h) { (*a.mutable_attributes())["banner"] = "BMX" + h + "P34"; }, true},
  };
  ExpectEveryStringRefusesHostileBytes<A>(fields, ValidAsset, CheckSampleAsset);
}

TEST(CheckAssetTest, AnIpWithANulAfterAValidAddressIsNotAnAddress) {
  v1::Asset asset = ValidAsset();
  asset.set_ip(std::string("10.20.30.40\0junk", 16));
  const FieldViolations violations = CheckSampleAsset(asset);
  ASSERT_EQ(violations.size(), 1u) << Describe(violations);
  EXPECT_EQ(violations[0].field, "asset.ip");
}

TEST(IsValidCveIdTest, AcceptsCveSyntax) {
  EXPECT_TRUE(IsValidCveId("CVE-1999-0001"));
  EXPECT_TRUE(IsValidCveId("CVE-2014-0160"));
  EXPECT_TRUE(IsValidCveId("CVE-2021-44228"));
  EXPECT_TRUE(IsValidCveId("CVE-2024-1234567"));
  EXPECT_TRUE(IsValidCveId("CVE-2024-" + std::string(19, '9')));
}

TEST(IsValidCveIdTest, RejectsEverythingElse) {
  const std::string ids[] = {"",
                             "CVE-",
                             "CVE-2024-",
                             "CVE-1998-0001",
                             "CVE-2024-123",
                             "CVE-2024-012345",
                             "CVE-2024-" + std::string(20, '9'),
                             "cve-2024-1234",
                             "CVE-24-1234",
                             "CVE-20245-1234",
                             "CVE-2024_1234",
                             "CVE-2024-1234 ",
                             " CVE-2024-1234",
                             "CVE-2O24-1234",
                             "CVE-2024-12a4",
                             "CAN-2024-1234",
                             "CVE-2024-1234\n"};
  for (const std::string& id : ids) {
    EXPECT_FALSE(IsValidCveId(id)) << id;
  }
}

TEST(IsValidIcsTechniqueIdTest, AcceptsTechniquesAndSubTechniques) {
  EXPECT_TRUE(IsValidIcsTechniqueId("T0800"));
  EXPECT_TRUE(IsValidIcsTechniqueId("T0831"));
  EXPECT_TRUE(IsValidIcsTechniqueId("T0899"));
  EXPECT_TRUE(IsValidIcsTechniqueId("T0855.001"));
}

TEST(IsValidIcsTechniqueIdTest, RejectsEverythingElse) {
  for (const std::string_view id :
       {"", "T0", "T08", "T083", "T08311", "T1059", "t0831", "T0831.", "T0831.01", "T0831.0001",
        "T0831-001", "TA0108", "T0831 ", "T08a1"}) {
    EXPECT_FALSE(IsValidIcsTechniqueId(id)) << id;
  }
}

}  // namespace
}  // namespace sitrep
