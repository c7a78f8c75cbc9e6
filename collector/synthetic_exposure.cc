#include "collector/synthetic_exposure.h"

#include <string>

#include "collector/provinces.h"
#include "collector/stable_hash.h"

namespace sitrep::collector {
namespace {

// Independent hashes of one key, so that the address says nothing about the protocol.
enum Salt : uint64_t { kProvince = 1, kAddress, kProtocol, kPort, kExposure };

}  // namespace

void SynthesizeExposure(std::string_view key, const ExposureRules& rules, v1::Asset& asset) {
  asset.set_province(rules.province ? *rules.province
                                    : ProvinceForHash(StableHash(key, Salt::kProvince)));
  const uint64_t address = StableHash(key, Salt::kAddress);
  // 198.18.0.0/15 spans 198.18.0.0 - 198.19.255.255; hosts .1 to .254 in each /24.
  const uint64_t block = (address >> 8) % 512;
  asset.set_ip("198." + std::to_string(18 + block / 256) + "." + std::to_string(block % 256) + "." +
               std::to_string(1 + address % 254));
  if (!rules.protocols.empty()) {
    const IcsProtocol& protocol =
        rules.protocols[StableHash(key, Salt::kProtocol) % rules.protocols.size()];
    const ProtocolPort& port = protocol.ports[StableHash(key, Salt::kPort) % protocol.ports.size()];
    asset.set_protocol(protocol.code);
    asset.set_port(port.port);
    asset.set_transport(port.transport);
  }
  asset.set_internet_exposed(StableHash(key, Salt::kExposure) % 100 < rules.exposed_percent);
}

}  // namespace sitrep::collector
