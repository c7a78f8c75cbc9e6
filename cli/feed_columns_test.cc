#include "cli/feed_columns.h"

#include <gtest/gtest.h>

#include <sstream>

#include "cli/severity_colour.h"
#include "cli/table.h"

namespace sitrep::cli {
namespace {

namespace v1 = ::sitrep::v1;

ReferenceWords Guangdong() {
  v1::ListReferenceCodesResponse codes;
  v1::Province* province = codes.add_provinces();
  province->set_code(440000);
  province->set_name_zh("广东省");
  province->set_name_en("Guangdong");
  v1::Sector* sector = codes.add_sectors();
  sector->set_code("energy");
  sector->set_name_zh("能源");
  return ReferenceWords(codes);
}

v1::Incident SomeIncident(std::int64_t id, v1::Severity severity) {
  v1::Incident incident;
  incident.set_id(id);
  incident.set_revision(1);
  incident.set_province(440000);
  incident.set_sector("energy");
  incident.set_category(v1::CATEGORY_MALWARE);
  incident.set_severity(severity);
  incident.set_tlp(v1::TLP_AMBER);
  incident.set_status(v1::INCIDENT_STATUS_REPORTED);
  incident.mutable_receive_time()->set_seconds(1795593600);
  incident.set_title("某热电厂DCS工程师站遭勒索软件加密 / ransomware on a DCS workstation");
  incident.set_description("Files were encrypted.\nNo trip.");
  v1::Indicator* indicator = incident.add_indicators();
  indicator->set_type(v1::INDICATOR_TYPE_IPV4);
  indicator->set_value("203.0.113.7");
  indicator = incident.add_indicators();
  indicator->set_type(v1::INDICATOR_TYPE_DOMAIN);
  indicator->set_value("c2.example");
  incident.add_cve_ids("CVE-2023-3595");
  incident.add_attack_technique_ids("T0866");
  incident.add_attack_technique_ids("T0831");
  (*incident.mutable_attributes())["plant"] = "unit 2";
  (*incident.mutable_attributes())["line"] = "B";
  incident.set_redacted(true);
  return incident;
}

// `text` without its ANSI SGR sequences ("\x1b[...m").
std::string WithoutColours(const std::string& text) {
  std::string plain;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\x1b') {
      i = text.find('m', i);
      continue;
    }
    plain += text[i];
  }
  return plain;
}

std::string Rows(const ReferenceWords& words, const std::vector<v1::Incident>& incidents,
                 const TableStyle& style) {
  std::ostringstream out;
  const Columns<v1::Incident> columns = IncidentRowColumns(words);
  RecordPrinter<v1::Incident> printer(out, /*json=*/false, columns, style);
  printer.Print(incidents);
  return out.str();
}

TEST(SeverityColourTest, RomanNumeralsColouredAsThePlanSays) {
  EXPECT_EQ(SeverityText(v1::SEVERITY_I), "I");
  EXPECT_EQ(SeverityText(v1::SEVERITY_IV), "IV");
  EXPECT_EQ(SeverityText(v1::SEVERITY_UNSPECIFIED), "-");
  EXPECT_EQ(SeverityColour(v1::SEVERITY_I), "1;31");   // red
  EXPECT_EQ(SeverityColour(v1::SEVERITY_II), "1;33");  // orange, as bold yellow
  EXPECT_EQ(SeverityColour(v1::SEVERITY_III), "33");   // yellow
  EXPECT_EQ(SeverityColour(v1::SEVERITY_IV), "34");    // blue
  EXPECT_EQ(SeverityColour(v1::SEVERITY_UNSPECIFIED), "");
}

TEST(IncidentRowColumnsTest, OneLinePerIncidentUnderTheHeader) {
  const ReferenceWords words = Guangdong();
  const std::string table = Rows(words, {SomeIncident(7, v1::SEVERITY_III)}, TableStyle{});
  EXPECT_EQ(table,
            "ID  REV  RECEIVED              PROV  SECTOR  SEVERITY  CATEGORY  STATUS    TLP    "
            "TITLE\n"
            "7   1    2026-11-25 08:00:00Z  广东  energy  III       malware   reported  amber  "
            "某热电厂DCS工程师站遭勒索软件加密 / ransomware on a DCS workstation\n");
}

TEST(IncidentRowColumnsTest, SeverityIsColouredOnlyWhenAsked) {
  const ReferenceWords words = Guangdong();
  const std::vector<v1::Incident> incidents = {SomeIncident(1, v1::SEVERITY_I),
                                               SomeIncident(2, v1::SEVERITY_IV)};
  TableStyle plain;
  EXPECT_EQ(Rows(words, incidents, plain).find('\x1b'), std::string::npos);

  TableStyle coloured;
  coloured.colour = true;
  const std::string table = Rows(words, incidents, coloured);
  EXPECT_NE(table.find("\x1b[1;31mI\x1b[0m"), std::string::npos) << table;
  EXPECT_NE(table.find("\x1b[34mIV\x1b[0m"), std::string::npos) << table;
  // Colour codes take no column: without them the table is the plain one.
  EXPECT_EQ(WithoutColours(table), Rows(words, incidents, plain));
}

TEST(IncidentRowColumnsTest, JsonHasNoColour) {
  std::ostringstream out;
  TableStyle coloured;
  coloured.colour = true;
  const ReferenceWords words = Guangdong();
  RecordPrinter<v1::Incident> printer(out, /*json=*/true, IncidentRowColumns(words), coloured);
  const std::vector<v1::Incident> incidents = {SomeIncident(1, v1::SEVERITY_I)};
  printer.Print(incidents);
  EXPECT_EQ(out.str().find('\x1b'), std::string::npos);
  EXPECT_EQ(out.str(), JsonLine(incidents[0]) + "\n");
}

TEST(IncidentRowColumnsTest, TheTitleIsCutToTheTerminalWidth) {
  const ReferenceWords words = Guangdong();
  TableStyle narrow;
  narrow.max_line_width = 100;
  narrow.fit_column = IncidentRowColumns(words).size() - 1;
  const std::string table = Rows(words, {SomeIncident(7, v1::SEVERITY_III)}, narrow);
  std::istringstream lines(table);
  for (std::string line; std::getline(lines, line);) {
    EXPECT_LE(DisplayWidth(line), 100u) << line;
  }
  EXPECT_NE(table.find("  某热电厂DCS工程师…\n"), std::string::npos) << table;
}

TEST(IncidentFieldColumnsTest, GetShowsEveryFieldOneListItemPerLine) {
  const ReferenceWords words = Guangdong();
  std::ostringstream out;
  PrintRecord(out, /*json=*/false, IncidentFieldColumns(words), SomeIncident(7, v1::SEVERITY_II));
  const std::string text = out.str();
  for (const char* expected :
       {"ID           7\n", "SEVERITY     II\n", "PROVINCE     440000 广东省 Guangdong\n",
        "SECTOR       energy 能源\n",
        "INDICATORS   ipv4 203.0.113.7\n             domain c2.example\n",
        "CVES         CVE-2023-3595\n", "TECHNIQUES   T0866, T0831\n",
        "ATTRIBUTES   line: B\n             plant: unit 2\n", "REDACTED     yes\n",
        "DESCRIPTION  Files were encrypted.\n             No trip.\n", "ENTERPRISE   -\n"}) {
    EXPECT_NE(text.find(expected), std::string::npos) << expected << "\nin:\n" << text;
  }
}

TEST(AssetColumnsTest, RowsShowTheAddressAndTheProduct) {
  v1::Asset asset;
  asset.set_id(3);
  asset.set_province(440000);
  asset.set_sector("water");
  asset.set_ip("2001:db8::7");
  asset.set_port(502);
  asset.set_transport(v1::TRANSPORT_TCP);
  asset.set_protocol("modbus");
  asset.set_vendor("Schneider Electric");
  asset.set_product("Modicon M340");
  asset.set_type(v1::ASSET_TYPE_PLC);
  asset.set_internet_exposed(true);
  asset.add_cve_ids("CVE-2022-45788");
  const ReferenceWords words = Guangdong();
  std::ostringstream out;
  PrintRecords(out, /*json=*/false, AssetRowColumns(words), std::vector<v1::Asset>{asset});
  EXPECT_EQ(out.str(),
            "ID  PROV  SECTOR  ADDRESS                PROTOCOL  TYPE  EXPOSED  CVES  LAST SEEN  "
            "PRODUCT\n"
            "3   广东  water   [2001:db8::7]:502/tcp  modbus    plc   yes      1                "
            "Schneider Electric Modicon M340\n");

  std::ostringstream fields;
  asset.set_ip("");  // redacted
  asset.set_redacted(true);
  PrintRecord(fields, /*json=*/false, AssetFieldColumns(words), asset);
  EXPECT_NE(fields.str().find("ADDRESS     -\n"), std::string::npos) << fields.str();
  EXPECT_NE(fields.str().find("REDACTED    yes\n"), std::string::npos) << fields.str();
}

}  // namespace
}  // namespace sitrep::cli
