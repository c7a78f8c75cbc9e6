#pragma once

#include <cstddef>
#include <optional>
#include <string>

#include "sitrep/v1/records.pb.h"

namespace sitrep::collector {

// Why the collector keeps a record back instead of spooling it.
struct LocalRejection {
  std::string field;    // e.g. "incident.title"
  std::string reason;   // stable code: NO_RECORD, INVALID_UTF8, RECORD_TOO_LARGE, CSAF_…
  std::string message;  // one sentence
};

// The cheap checks that must pass before a record is spooled, because the server could not
// even say which record was wrong: a record with neither kind; a string field that is not
// UTF-8 (a proto3 parser refuses the whole batch for it); more than kMaxSpoolRecordBytes
// serialized (no batch could carry it). An advisory's CSAF document is checked as the server
// checks it (vulns::ParseCsaf): a document the server would refuse is refused here with the
// server's field ("csaf_document/<JSON pointer>"), reason code (vulns::CsafReasonCode) and
// sentence, so the whole import's verdicts are known before anything is sent. Everything else
// is the server's to judge.
[[nodiscard]] std::optional<LocalRejection> PreflightCheck(const v1::Record& record);

}  // namespace sitrep::collector
