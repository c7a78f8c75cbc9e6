#include "ingest/advisory_writer.h"

#include <algorithm>
#include <set>
#include <unordered_map>
#include <utility>

#include "domain/utf8.h"
#include "ingest/advisory_matching.h"
#include "ingest/write_permission.h"
#include "vulns/normalise.h"
#include "vulns/version.h"

namespace sitrep::ingest {
namespace {

// The remediation categories that tell a province what to have done.
bool IsAction(const std::string& category) {
  return category == "vendor_fix" || category == "mitigation" || category == "workaround";
}

// `text` cut to at most `max_bytes` without splitting a UTF-8 character.
std::string CutUtf8(std::string text, size_t max_bytes) {
  if (text.size() <= max_bytes) return text;
  size_t end = max_bytes;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  text.resize(end);
  return text;
}

storage::AdvisoryWrite MakeWrite(const v1::Advisory& advisory, int64_t reporter_id) {
  storage::AdvisoryWrite write;
  write.advisory = &advisory;
  write.reporter_id = reporter_id;
  write.required_action = RequiredActionOf(advisory);
  for (const v1::AffectedProduct& product : advisory.products_affected()) {
    write.vendor_norms.push_back(vulns::Normalise(product.vendor()));
    write.product_norms.push_back(vulns::NormaliseProduct(product.product()));
  }
  return write;
}

RecordVerdict Refused(FieldViolation violation) {
  return RecordVerdict{RecordVerdict::kRejected, 0, std::move(violation), std::nullopt};
}

// What the group has written so far, for the rematch after every write.
struct Written {
  std::vector<int64_t> advisory_ids;
  std::set<std::string> vendor_norms;
};

// Decides and writes one advisory; updates `stored` as the next of the same id must see it.
RecordVerdict WriteOne(storage::Tx& tx, const Principal& caller, const v1::Advisory& advisory,
                       std::unordered_map<std::string, storage::StoredAdvisoryVersion>& stored,
                       Written& written, std::chrono::system_clock::time_point now) {
  if (auto denied = CheckMayPushAdvisory(caller)) return Refused(*std::move(denied));
  const auto found = stored.find(advisory.tracking_id());
  const std::optional<storage::StoredAdvisoryVersion> current =
      found == stored.end() ? std::nullopt : std::optional(found->second);
  const AdvisoryAction action = DecideAdvisoryVersion(current, advisory);
  if (action == AdvisoryAction::kDuplicate) return RecordVerdict{};
  if (action != AdvisoryAction::kInsert && action != AdvisoryAction::kReplace) {
    return Refused(AdvisoryRefusal(action, *current, advisory));
  }
  const storage::AdvisoryWrite write = MakeWrite(advisory, caller.id);
  storage::StoredAdvisoryVersion now_stored{0, advisory.stub(), advisory.version(), 1, true};
  if (action == AdvisoryAction::kInsert) {
    now_stored.id = storage::VulnStore::InsertAdvisory(tx, write, now);
  } else {
    now_stored.id = current->id;
    now_stored.revision = storage::VulnStore::ReplaceAdvisory(tx, current->id, write, now);
  }
  stored[advisory.tracking_id()] = now_stored;
  written.advisory_ids.push_back(now_stored.id);
  for (const std::string& vendor : write.vendor_norms) written.vendor_norms.insert(vendor);
  return RecordVerdict{RecordVerdict::kStored, now_stored.id, std::nullopt, std::nullopt};
}

}  // namespace

AdvisoryAction DecideAdvisoryVersion(const std::optional<storage::StoredAdvisoryVersion>& stored,
                                     const v1::Advisory& pushed) {
  if (!stored) return AdvisoryAction::kInsert;
  if (!stored->readable) return AdvisoryAction::kHidden;
  if (pushed.stub()) return AdvisoryAction::kDuplicate;
  if (stored->stub) return AdvisoryAction::kReplace;
  const std::optional<int> order = vulns::CompareVersions(vulns::ParseVersion(pushed.version()),
                                                          vulns::ParseVersion(stored->version));
  if (!order) return AdvisoryAction::kUnordered;
  if (*order > 0) return AdvisoryAction::kReplace;
  return *order == 0 ? AdvisoryAction::kDuplicate : AdvisoryAction::kStale;
}

FieldViolation AdvisoryRefusal(AdvisoryAction action, const storage::StoredAdvisoryVersion& stored,
                               const v1::Advisory& pushed) {
  switch (action) {
    case AdvisoryAction::kStale:
      return {"csaf_document/document/tracking/version", "STALE_REVISION",
              "version " + pushed.version() + " of " + pushed.tracking_id() +
                  " is older than the stored version " + stored.version + "."};
    case AdvisoryAction::kUnordered:
      return {"csaf_document/document/tracking/version", "VERSION_UNORDERED",
              "version " + pushed.version() + " of " + pushed.tracking_id() +
                  " cannot be ordered against the stored version " + stored.version + "."};
    default:
      return {"tracking_id", "PERMISSION_DENIED",
              "advisory " + pushed.tracking_id() +
                  " is stored with a TLP marking you may not read; you may not supersede it."};
  }
}

std::string RequiredActionOf(const v1::Advisory& advisory) {
  std::vector<std::string> seen;
  std::string action;
  for (const v1::Vulnerability& vulnerability : advisory.vulnerabilities()) {
    for (const v1::Remediation& remediation : vulnerability.remediations()) {
      if (!IsAction(remediation.category()) || remediation.details().empty()) continue;
      if (std::find(seen.begin(), seen.end(), remediation.details()) != seen.end()) continue;
      seen.push_back(remediation.details());
      if (!action.empty()) action += ' ';
      action += remediation.details();
      if (!remediation.url().empty()) action += " (" + remediation.url() + ")";
      if (action.size() > kMaxRequiredAction) return CutUtf8(std::move(action), kMaxRequiredAction);
    }
  }
  return action;
}

void WriteAdvisories(storage::Tx& tx, std::span<const RecordsToWrite> batches,
                     std::vector<BatchVerdicts>& verdicts, const escalation::Escalator* escalator,
                     std::chrono::system_clock::time_point now) {
  std::vector<std::string> tracking_ids;
  for (const RecordsToWrite& batch : batches) {
    for (const v1::Advisory* advisory : batch.advisories) {
      tracking_ids.push_back(advisory->tracking_id());
    }
  }
  if (tracking_ids.empty()) return;
  Written written;
  for (size_t b = 0; b < batches.size(); ++b) {
    const RecordsToWrite& batch = batches[b];
    verdicts[b].advisories.resize(batch.advisories.size());
    if (batch.advisories.empty()) continue;
    // Each batch's versions are looked up and written under its own caller: whether the
    // stored version is readable is the pusher's question.
    storage::SetCaller(tx, *batch.caller);
    std::unordered_map<std::string, storage::StoredAdvisoryVersion> stored =
        storage::VulnStore::StoredVersions(tx, tracking_ids);
    for (size_t i = 0; i < batch.advisories.size(); ++i) {
      verdicts[b].advisories[i] =
          WriteOne(tx, *batch.caller, *batch.advisories[i], stored, written, now);
    }
  }
  MatchWrittenAdvisories(
      tx, written.advisory_ids,
      std::vector<std::string>(written.vendor_norms.begin(), written.vendor_norms.end()), escalator,
      now);
}

}  // namespace sitrep::ingest
