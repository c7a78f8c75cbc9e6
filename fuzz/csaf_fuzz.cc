// The collector's CSAF 2.0 importer (collector/csaf_importer): a file's bytes parsed as the
// importer parses them (depth-limited JSON), mapped to assets, and each asset put through the
// collector's preflight and the server's checks.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "collector/csaf_importer.h"
#include "collector/json_document.h"
#include "collector/record_preflight.h"
#include "fuzz/fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  sitrep::fuzz::QuietProtobuf();
  using namespace sitrep;
  std::string error;
  const std::optional<nlohmann::json> document = collector::ParseJsonText(
      std::string_view(reinterpret_cast<const char*>(data), size), "fuzz.json", error);
  if (!document) return 0;
  collector::ImportChunk chunk;
  collector::CsafToAssets(*document, "fuzz.json", collector::ExposureRules{}, chunk);
  for (const v1::Record& record : chunk.records) {
    if (!record.has_asset()) fuzz::Fail("the CSAF importer made a record that is no asset");
    (void)collector::PreflightCheck(record);
    fuzz::CheckRecord(record);
  }
  return 0;
}
