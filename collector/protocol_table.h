#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "sitrep/v1/records.pb.h"

namespace sitrep::collector {

struct ProtocolPort {
  uint32_t port = 0;
  v1::Transport transport = v1::TRANSPORT_UNSPECIFIED;
  bool operator==(const ProtocolPort&) const = default;
};

// An industrial protocol reachable over TCP or UDP, for synthetic asset records.
struct IcsProtocol {
  std::string code;  // Asset.protocol: "modbus", "s7comm", "ethernet_ip", ...
  std::string name;  // as the source names it: "Modbus", "S7comm", "Ethernet/IP", ...
  std::vector<ProtocolPort> ports;  // at least one
};

// A dozen well-known protocols with their registered ports, for when no data set is at hand.
[[nodiscard]] std::vector<IcsProtocol> BuiltInProtocols();

// Reads the Awesome Industrial Protocols table (ics-protocols/protocols.json: JSON Lines despite
// its name). Returns the protocols that name at least one TCP or UDP port, in file order; each
// malformed line adds "file:line: what" to `errors` and is skipped. Throws std::runtime_error
// when the file cannot be read.
[[nodiscard]] std::vector<IcsProtocol> LoadProtocolTable(const std::filesystem::path& file,
                                                         std::vector<std::string>& errors);

// The TCP and UDP ports of a free-text port field such as "44818/tcp, 2222/udp" or
// "4840/tcp, 4843/tcp (TLS)"; entries without a transport ("30490", "Ethernet") are left out.
[[nodiscard]] std::vector<ProtocolPort> ParsePorts(std::string_view text);

// The Asset.protocol code of a protocol name: the codes records.proto lists for well-known
// protocols ("Ethernet/IP" → "ethernet_ip", "IEC-60870-5-104" → "iec104"), otherwise the name
// lowercased with every other character run turned into '_' ("SECS/GEM" → "secs_gem"), at
// most 40 characters.
[[nodiscard]] std::string ProtocolCode(std::string_view name);

}  // namespace sitrep::collector
