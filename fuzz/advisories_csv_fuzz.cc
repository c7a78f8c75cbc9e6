// The collector's advisories CSV importer (collector/advisories_importer, over csv_reader): a
// CSV file's bytes read in memory from the header on, its rows merged into advisory stubs, and
// each put through the collector's preflight.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>

#include "collector/advisories_importer.h"
#include "collector/record_preflight.h"
#include "fuzz/fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  sitrep::fuzz::QuietProtobuf();
  using namespace sitrep;
  auto in = std::make_unique<std::istringstream>(
      std::string(reinterpret_cast<const char*>(data), size), std::ios::binary);
  std::unique_ptr<collector::AdvisoriesSource> source;
  try {
    source = std::make_unique<collector::AdvisoriesSource>("fuzz.csv", std::move(in));
  } catch (const std::runtime_error&) {
    return 0;  // no header, or one without the columns the mapping needs: refused as a whole
  }
  collector::ImportChunk chunk;
  while (source->Next(chunk)) {
    for (const v1::Record& record : chunk.records) {
      if (!record.has_advisory() || record.advisory().tracking_id().empty()) {
        fuzz::Fail("the advisories importer made a record that is no advisory stub");
      }
      (void)collector::PreflightCheck(record);
    }
  }
  return 0;
}
