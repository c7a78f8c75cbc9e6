#include "collector/protocol_table.h"

#include <gtest/gtest.h>

#include <fstream>
#include <set>

#include "collector/reference_fixture.h"
#include "domain/record_checks.h"

namespace sitrep::collector {
namespace {

TEST(ParsePortsTest, ReadsTcpAndUdpEntriesOfFreeText) {
  struct Row {
    std::string text;
    std::vector<ProtocolPort> ports;
  };
  const Row rows[] = {
      {"502/tcp", {{502, v1::TRANSPORT_TCP}}},
      {"44818/tcp, 2222/udp", {{44818, v1::TRANSPORT_TCP}, {2222, v1::TRANSPORT_UDP}}},
      {"4840/tcp, 4840/udp, 4843/tcp (TLS)",
       {{4840, v1::TRANSPORT_TCP}, {4840, v1::TRANSPORT_UDP}, {4843, v1::TRANSPORT_TCP}}},
      {"5000/TCP (HSMS)", {{5000, v1::TRANSPORT_TCP}}},
      {"30490", {}},
      {"Ethernet", {}},
      {"", {}},
      {"70000/tcp, 0/udp, -1/tcp", {}},
  };
  for (const Row& row : rows) EXPECT_EQ(ParsePorts(row.text), row.ports) << row.text;
}

TEST(ProtocolCodeTest, UsesTheDocumentedCodesAndAFallback) {
  EXPECT_EQ(ProtocolCode("Modbus"), "modbus");
  EXPECT_EQ(ProtocolCode("Ethernet/IP"), "ethernet_ip");
  EXPECT_EQ(ProtocolCode("IEC-60870-5-104"), "iec104");
  EXPECT_EQ(ProtocolCode("BACnet/IP"), "bacnet");
  EXPECT_EQ(ProtocolCode("OPC-UA"), "opcua");
  EXPECT_EQ(ProtocolCode("Niagara Fox"), "niagara_fox");
  EXPECT_EQ(ProtocolCode("SECS/GEM"), "secs_gem");
  EXPECT_EQ(ProtocolCode("ANSI-C12.22"), "ansi_c12_22");
  EXPECT_EQ(ProtocolCode("  /// "), "other");
  EXPECT_LE(ProtocolCode(std::string(100, 'a')).size(), kMaxProtocolChars);
}

// The fixture: 8 lines of the table, 6 of which name a TCP or UDP port ("30490" for SOME/IP
// names neither, WITS no port at all).
TEST(ProtocolTableTest, LoadsTheFixtureCutOfTheTable) {
  std::vector<std::string> errors;
  const std::vector<IcsProtocol> protocols =
      LoadProtocolTable(test::TestDataDir() / "ics-protocols/protocols.json", errors);
  EXPECT_EQ(errors, std::vector<std::string>());
  std::vector<std::string> codes;
  for (const IcsProtocol& protocol : protocols) codes.push_back(protocol.code);
  EXPECT_EQ(codes, (std::vector<std::string>{"profinet", "bacnet", "s7comm", "dnp3", "ethernet_ip",
                                             "modbus"}));
  ASSERT_FALSE(protocols.empty());
  EXPECT_EQ(protocols[0].ports, (std::vector<ProtocolPort>{{34962, v1::TRANSPORT_UDP},
                                                           {34963, v1::TRANSPORT_UDP},
                                                           {34964, v1::TRANSPORT_UDP}}));
}

TEST(ProtocolTableFullDataTest, LoadsTheAwesomeIndustrialProtocolsTable) {
  const std::filesystem::path file = test::SharedDir() / "datasets/ics-protocols/protocols.json";
  ASSERT_TRUE(test::SharedDataPresent(file));
  std::vector<std::string> errors;
  const std::vector<IcsProtocol> protocols = LoadProtocolTable(file, errors);
  EXPECT_TRUE(errors.empty()) << errors.front();
  // 71 protocols; 38 name a port, of which 36 with its transport ("30490" for SOME/IP and
  // "1520" for LIS say neither TCP nor UDP).
  EXPECT_EQ(protocols.size(), 36u);
  std::set<std::string> codes;
  for (const IcsProtocol& protocol : protocols) {
    EXPECT_FALSE(protocol.ports.empty()) << protocol.name;
    codes.insert(protocol.code);
  }
  EXPECT_EQ(codes.size(), protocols.size());
  for (const char* expected : {"modbus", "s7comm", "dnp3", "ethernet_ip", "bacnet", "iec104",
                               "opcua", "fins", "melsec", "niagara_fox", "profinet"}) {
    EXPECT_TRUE(codes.contains(expected)) << expected;
  }
}

TEST(ProtocolTableTest, SkipsMalformedLinesWithTheirNumbers) {
  const std::filesystem::path file = std::filesystem::temp_directory_path() / "protocols-test.json";
  std::ofstream(file) << "{\"name\":\"Modbus\",\"port\":\"502/tcp\"}\n"
                         "not json\n"
                         "[1,2]\n"
                         "{\"name\":7,\"port\":\"1/tcp\"}\n"
                         "\n"
                         "{\"name\":\"X\",\"port\":[\"1/tcp\"]}\n";
  std::vector<std::string> errors;
  const std::vector<IcsProtocol> protocols = LoadProtocolTable(file, errors);
  std::filesystem::remove(file);
  ASSERT_EQ(protocols.size(), 1u);
  const std::string name = file.string();
  EXPECT_EQ(errors, (std::vector<std::string>{
                        name + ":2: not a JSON object", name + ":3: not a JSON object",
                        name + ":4: no \"name\" string", name + ":6: no \"port\" string"}));
}

TEST(ProtocolTableTest, BuiltInTableHasValidCodesAndPorts) {
  for (const IcsProtocol& protocol : BuiltInProtocols()) {
    EXPECT_EQ(ProtocolCode(protocol.name), protocol.code);
    EXPECT_FALSE(protocol.ports.empty());
  }
}

}  // namespace
}  // namespace sitrep::collector
