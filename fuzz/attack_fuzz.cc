// The collector's ATT&CK for ICS importer (collector/attack_importer): a STIX bundle's bytes
// parsed as the importer parses them (depth-limited JSON), mapped to incidents, and each put
// through the collector's preflight and the server's checks.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "collector/attack_importer.h"
#include "collector/json_document.h"
#include "collector/record_preflight.h"
#include "fuzz/fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  sitrep::fuzz::QuietProtobuf();
  using namespace sitrep;
  std::string error;
  const std::optional<nlohmann::json> bundle = collector::ParseJsonText(
      std::string_view(reinterpret_cast<const char*>(data), size), "fuzz.json", error);
  if (!bundle) return 0;
  collector::ImportChunk chunk;
  // Half the inputs with the collector's own province, half spread over all (as configured).
  const std::optional<uint32_t> province =
      size % 2 == 0 ? std::optional<uint32_t>() : std::optional<uint32_t>(440000);
  collector::AttackToIncidents(*bundle, "fuzz.json", province, chunk);
  for (const v1::Record& record : chunk.records) {
    if (!record.has_incident()) fuzz::Fail("the ATT&CK importer made a record that is no incident");
    (void)collector::PreflightCheck(record);
    fuzz::CheckRecord(record);
  }
  return 0;
}
