// CSAF 2.0 documents (vulns/csaf, the parser the server and the collector share): a file's
// bytes parsed and checked, an accepted document mapped onto v1::Advisory, and the collector's
// record of it put through the collector's preflight.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "collector/record_preflight.h"
#include "fuzz/fuzz_support.h"
#include "vulns/csaf.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  sitrep::fuzz::QuietProtobuf();
  using namespace sitrep;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const vulns::CsafParseResult parsed = vulns::ParseCsaf(text);
  if (parsed.advisory.has_value() == !parsed.problems.empty()) {
    fuzz::Fail("a CSAF verdict is either an advisory or problems");
  }
  for (const vulns::CsafProblem& problem : parsed.problems) {
    if (problem.rule.empty() || vulns::CsafReasonCode(problem.rule).empty()) {
      fuzz::Fail("a CSAF problem names no rule");
    }
  }
  if (!parsed.advisory) return 0;
  v1::Record record;
  vulns::FillAdvisory(*parsed.advisory, *record.mutable_advisory());
  record.mutable_advisory()->set_csaf_document(std::string(text));
  if (collector::PreflightCheck(record).has_value()) {
    fuzz::Fail("the collector refused a document the parser accepted");
  }
  return 0;
}
