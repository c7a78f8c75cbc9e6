#include "collector/protocol_table.h"

#include <charconv>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "domain/record_checks.h"

namespace sitrep::collector {
namespace {

std::string_view Trim(std::string_view text) {
  const size_t start = text.find_first_not_of(" \t\r\n");
  if (start == std::string_view::npos) return {};
  return text.substr(start, text.find_last_not_of(" \t\r\n") - start + 1);
}

std::string Lowercase(std::string_view text) {
  std::string lower(text);
  for (char& c : lower) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return lower;
}

}  // namespace

std::vector<IcsProtocol> BuiltInProtocols() {
  const auto tcp = [](uint32_t port) { return ProtocolPort{port, v1::TRANSPORT_TCP}; };
  const auto udp = [](uint32_t port) { return ProtocolPort{port, v1::TRANSPORT_UDP}; };
  return {
      {"modbus", "Modbus", {tcp(502)}},
      {"s7comm", "S7comm", {tcp(102)}},
      {"dnp3", "DNP3", {tcp(20000), udp(20000)}},
      {"ethernet_ip", "Ethernet/IP", {tcp(44818), udp(2222)}},
      {"bacnet", "BACnet/IP", {udp(47808)}},
      {"iec104", "IEC-60870-5-104", {tcp(2404)}},
      {"opcua", "OPC-UA", {tcp(4840)}},
      {"mqtt", "MQTT", {tcp(1883), tcp(8883)}},
      {"profinet", "Profinet-IO", {udp(34962), udp(34963), udp(34964)}},
      {"fins", "FINS", {udp(9600)}},
      {"melsec", "MELSEC", {tcp(5007), udp(5006)}},
      {"niagara_fox", "Niagara Fox", {tcp(1911), tcp(4911)}},
  };
}

std::vector<ProtocolPort> ParsePorts(std::string_view text) {
  std::vector<ProtocolPort> ports;
  while (!text.empty()) {
    const size_t comma = text.find(',');
    const std::string_view entry = Trim(text.substr(0, comma));
    text = comma == std::string_view::npos ? std::string_view() : text.substr(comma + 1);
    uint32_t port = 0;
    const auto [end, error] = std::from_chars(entry.data(), entry.data() + entry.size(), port);
    if (error != std::errc() || port == 0 || port > 65535) continue;
    const std::string rest = Lowercase(std::string_view(end, entry.data() + entry.size()));
    if (rest.starts_with("/tcp")) {
      ports.push_back({port, v1::TRANSPORT_TCP});
    } else if (rest.starts_with("/udp")) {
      ports.push_back({port, v1::TRANSPORT_UDP});
    }
  }
  return ports;
}

std::string ProtocolCode(std::string_view name) {
  static const std::map<std::string, std::string> kKnown = {
      {"modbus", "modbus"}, {"modbus tcp", "modbus"},       {"s7comm", "s7comm"},
      {"dnp3", "dnp3"},     {"ethernet/ip", "ethernet_ip"}, {"bacnet/ip", "bacnet"},
      {"bacnet", "bacnet"}, {"iec-60870-5-104", "iec104"},  {"opc-ua", "opcua"},
      {"mqtt", "mqtt"},     {"profinet-io", "profinet"},    {"fins", "fins"},
      {"melsec", "melsec"}, {"niagara fox", "niagara_fox"},
  };
  const std::string lower = Lowercase(Trim(name));
  if (const auto known = kKnown.find(lower); known != kKnown.end()) return known->second;
  std::string code;
  for (const char c : lower) {
    const bool keep = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    if (keep) {
      code.push_back(c);
    } else if (!code.empty() && code.back() != '_') {
      code.push_back('_');
    }
  }
  while (!code.empty() && code.back() == '_') code.pop_back();
  code.resize(std::min(code.size(), kMaxProtocolChars));
  while (!code.empty() && code.back() == '_') code.pop_back();
  return code.empty() ? "other" : code;
}

std::vector<IcsProtocol> LoadProtocolTable(const std::filesystem::path& file,
                                           std::vector<std::string>& errors) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + file.string());
  std::vector<IcsProtocol> protocols;
  std::string line;
  for (size_t number = 1; std::getline(in, line); ++number) {
    if (Trim(line).empty()) continue;
    const std::string where = file.string() + ":" + std::to_string(number) + ": ";
    const nlohmann::json json = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
    if (json.is_discarded() || !json.is_object()) {
      errors.push_back(where + "not a JSON object");
      continue;
    }
    const auto name = json.find("name");
    const auto port = json.find("port");
    if (name == json.end() || !name->is_string() || Trim(name->get<std::string>()).empty()) {
      errors.push_back(where + "no \"name\" string");
      continue;
    }
    if (port == json.end() || !port->is_string()) {
      errors.push_back(where + "no \"port\" string");
      continue;
    }
    std::vector<ProtocolPort> ports = ParsePorts(port->get<std::string>());
    if (ports.empty()) continue;  // serial or layer-2 protocols: nothing an address can reach
    const std::string protocol_name(Trim(name->get<std::string>()));
    protocols.push_back({ProtocolCode(protocol_name), protocol_name, std::move(ports)});
  }
  return protocols;
}

}  // namespace sitrep::collector
