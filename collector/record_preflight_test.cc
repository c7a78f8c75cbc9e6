#include "collector/record_preflight.h"

#include <gtest/gtest.h>

#include "collector/spool.h"

namespace sitrep::collector {
namespace {

TEST(PreflightCheckTest, NamesTheFieldThatCannotCrossTheWire) {
  struct Row {
    std::function<void(v1::Record&)> mutate;
    std::string field;  // empty: accepted
    std::string reason;
  };
  const Row rows[] = {
      {[](v1::Record& r) { r.mutable_incident()->set_title("fine 标题"); }, "", ""},
      {[](v1::Record&) {}, "", "NO_RECORD"},
      {[](v1::Record& r) { r.mutable_incident()->set_title("bad\xFF"); }, "incident.title",
       "INVALID_UTF8"},
      {[](v1::Record& r) {
         r.mutable_incident()->add_cve_ids("ok");
         r.mutable_incident()->add_cve_ids("\xC0\xAF");
       },
       "incident.cve_ids[1]", "INVALID_UTF8"},
      {[](v1::Record& r) { r.mutable_incident()->add_indicators()->set_value("\xED\xA0\x80"); },
       "incident.indicators[0].value", "INVALID_UTF8"},
      {[](v1::Record& r) { (*r.mutable_asset()->mutable_attributes())["k\xFF"] = "v"; },
       "asset.attributes", "INVALID_UTF8"},
      {[](v1::Record& r) {
         r.mutable_asset()->set_asset_key("big");
         r.mutable_asset()->set_product(std::string(kMaxSpoolRecordBytes, 'x'));
       },
       "asset", "RECORD_TOO_LARGE"},
      {[](v1::Record& r) { r.mutable_advisory()->set_tracking_id("ICSA-24-001-01"); }, "", ""},
      {[](v1::Record& r) { r.mutable_advisory()->add_vendors("bad\xFF"); }, "advisory.vendors[0]",
       "INVALID_UTF8"},
      {[](v1::Record& r) { r.mutable_advisory()->set_csaf_document("{\"document\": "); },
       "csaf_document", "CSAF_NOT_JSON"},
      {[](v1::Record& r) { r.mutable_advisory()->set_csaf_document("{}"); },
       "csaf_document/document", "CSAF_SCHEMA"},
  };
  for (const Row& row : rows) {
    v1::Record record;
    row.mutate(record);
    const std::optional<LocalRejection> rejection = PreflightCheck(record);
    if (row.reason.empty()) {
      EXPECT_EQ(rejection, std::nullopt);
      continue;
    }
    ASSERT_TRUE(rejection.has_value()) << row.reason;
    EXPECT_EQ(rejection->field, row.field);
    EXPECT_EQ(rejection->reason, row.reason);
  }
}

}  // namespace
}  // namespace sitrep::collector
