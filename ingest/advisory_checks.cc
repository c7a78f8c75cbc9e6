#include "ingest/advisory_checks.h"

#include <string>
#include <utility>

#include "domain/field_checks.h"
#include "vulns/csaf.h"

namespace sitrep::ingest {
namespace {

constexpr size_t kMaxTrackingId = 128;
constexpr size_t kMaxTitle = 1000;
constexpr size_t kMaxName = 300;  // a vendor or product name of a stub
constexpr int kMaxNames = 200;
constexpr size_t kMaxUrl = 2000;

void CheckNames(const google::protobuf::RepeatedPtrField<std::string>& names,
                const std::string& field, FieldViolations& violations) {
  if (names.size() > kMaxNames) {
    violations.push_back({field, "TOO_MANY_VALUES",
                          "at most " + std::to_string(kMaxNames) + " values, not " +
                              std::to_string(names.size()) + "."});
    return;
  }
  for (int i = 0; i < names.size(); ++i) {
    CheckText(names[i], field + "[" + std::to_string(i) + "]", 1, kMaxName, violations);
  }
}

FieldViolations CheckStub(v1::Advisory& advisory) {
  FieldViolations violations;
  CheckText(advisory.tracking_id(), "tracking_id", 1, kMaxTrackingId, violations);
  CheckText(advisory.title(), "title", 0, kMaxTitle, violations);
  CheckNames(advisory.vendors(), "vendors", violations);
  CheckNames(advisory.products(), "products", violations);
  CheckText(advisory.url(), "url", 0, kMaxUrl, violations);
  if (advisory.has_published_time()) {
    CheckTimestamp(advisory.published_time(), "published_time", violations);
  }
  if (!violations.empty()) return violations;
  // Only the stub's own fields stay; the server fills the rest.
  v1::Advisory stub;
  stub.set_tracking_id(advisory.tracking_id());
  stub.set_title(advisory.title());
  *stub.mutable_vendors() = advisory.vendors();
  *stub.mutable_products() = advisory.products();
  if (advisory.has_published_time()) *stub.mutable_published_time() = advisory.published_time();
  stub.set_url(advisory.url());
  stub.set_stub(true);
  stub.set_tlp(v1::TLP_CLEAR);
  advisory.CopyFrom(stub);
  return violations;
}

FieldViolations CheckDocument(v1::Advisory& advisory) {
  FieldViolations violations;
  const vulns::CsafParseResult parsed = vulns::ParseCsaf(advisory.csaf_document());
  for (const vulns::CsafProblem& problem : parsed.problems) {
    violations.push_back({"csaf_document" + problem.path, vulns::CsafReasonCode(problem.rule),
                          vulns::DescribeProblem(problem) + "."});
  }
  if (!parsed.advisory) return violations;
  if (!advisory.tracking_id().empty() && advisory.tracking_id() != parsed.advisory->tracking_id) {
    violations.push_back({"tracking_id", "TRACKING_ID_MISMATCH",
                          "tracking_id \"" + advisory.tracking_id() +
                              "\" is not the document's /document/tracking/id \"" +
                              parsed.advisory->tracking_id + "\"."});
    return violations;
  }
  // In place (the document may be megabytes): FillAdvisory sets every field it maps, and the
  // stored-state fields are the server's.
  advisory.set_stub(false);
  advisory.clear_revision();
  advisory.clear_known_exploited();
  advisory.clear_matched_assets();
  advisory.clear_cursor();
  vulns::FillAdvisory(*parsed.advisory, advisory);
  return violations;
}

}  // namespace

FieldViolations CheckAdvisory(v1::Advisory& advisory) {
  return advisory.csaf_document().empty() ? CheckStub(advisory) : CheckDocument(advisory);
}

}  // namespace sitrep::ingest
