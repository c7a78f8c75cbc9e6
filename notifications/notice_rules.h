#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <unordered_map>
#include <vector>

#include "domain/field_violation.h"
#include "domain/outcome.h"
#include "domain/principal.h"
#include "domain/reference_codes.h"
#include "sitrep/v1/notification.pb.h"
#include "storage/enterprise_store.h"
#include "storage/notification_store.h"

// The rules of the notification loop (SPEC §2 Notification, §4 NotificationService), pure: who
// may issue to whom, who may take which step of a target's DELIVERED → ACKNOWLEDGED →
// FEEDBACK_SUBMITTED → CLOSED life, and the checks of every field. No I/O; the facts they need
// (the notice as stored, registered enterprises) are passed in.

namespace sitrep::notifications {

// Input limits (documented in notification.proto and the README).
inline constexpr size_t kMaxTitleChars = 300;
inline constexpr size_t kMaxBodyChars = 20'000;
inline constexpr size_t kMaxRequiredActionChars = 5'000;
inline constexpr size_t kMaxTargets = 1'000;
inline constexpr size_t kMaxReferences = 100;  // incident_ids, asset_ids, cve_ids each
inline constexpr size_t kMaxFeedbackChars = 10'000;
inline constexpr size_t kMaxRemarkChars = 2'000;
// How far ahead a response deadline may be set.
inline constexpr std::chrono::hours kMaxDeadlineAhead{24 * 366};

// The response time a notice of `priority` gets when its issuer sets no deadline (SPEC §5):
// I 1 h, II 2 h, III 24 h, IV 72 h.
[[nodiscard]] std::chrono::hours DefaultResponseTime(v1::Severity priority);

// Every wrong field of a notice as IssueNotification receives it, paths under "notification."
// Output-only fields are ignored. Reasons: REQUIRED, TOO_LONG, INVALID_UTF8, CONTROL_CHARACTER,
// INVALID_ENUM, TOO_MANY, UNKNOWN_PROVINCE, OUT_OF_RANGE, DUPLICATE_TARGET, INVALID_CVE_ID,
// DEADLINE_PASSED, TOO_FAR_AHEAD. Whether the issuer may address the targets is PlanTargets'.
[[nodiscard]] FieldViolations CheckNewNotice(const v1::Notification& notice,
                                             const ReferenceCodes& codes,
                                             std::chrono::system_clock::time_point now);

// The notice as it is stored: the fields of `notice` a person sets, plus level, issuer province
// and origin from `issuer`, and the response deadline (the requested one, or the default from
// `now`). `notice` has passed CheckNewNotice.
[[nodiscard]] v1::Notification CompleteNewNotice(const Principal& issuer,
                                                 const v1::Notification& notice,
                                                 std::chrono::system_clock::time_point now);

// Who may issue to whom: NATIONAL to provinces only, PROVINCIAL to registered enterprises of
// its own province only. Returns the targets to deliver to (an enterprise's province from its
// registration), INVALID_ARGUMENT for an enterprise that is not registered (UNKNOWN_ENTERPRISE)
// or whose province the target contradicts (PROVINCE_MISMATCH), or
// PERMISSION_DENIED naming the target field the caller may not address.
[[nodiscard]] Outcome<std::vector<storage::NewTarget>> PlanTargets(
    const Principal& issuer, const v1::Notification& notice,
    const std::unordered_map<int64_t, storage::EnterpriseFacts>& enterprises);

// Whether `caller` answers `target`: a province target by that province's regulators, an
// enterprise target by that enterprise, a national target (raised by rule) by the national
// centre.
[[nodiscard]] bool IsAddressee(const Principal& caller, const v1::NotificationTarget& target);
// Whether `caller` speaks for the issuer of `notice`: the national centre for national-level
// notices (including those raised by rule), the province's regulators for provincial ones.
[[nodiscard]] bool IsIssuer(const Principal& caller, const v1::Notification& notice);

// The steps, each given the notice as stored with its targets locked. Each returns the target
// changes to make or the Error: PERMISSION_DENIED when the caller is not the addressee
// (acknowledge, feedback) or the issuer (close), FAILED_PRECONDITION when the target's state
// does not allow the step, saying what would.
[[nodiscard]] Outcome<std::vector<storage::TargetChange>> DecideAcknowledge(
    const Principal& caller, const v1::Notification& notice);

// `request` has passed CheckFeedback.
[[nodiscard]] Outcome<std::vector<storage::TargetChange>> DecideFeedback(
    const Principal& caller, const v1::Notification& notice,
    const v1::SubmitFeedbackRequest& request);

// Closes the targets `request` names, or every open one when it names none. A named target
// that is not one of the notice's is INVALID_ARGUMENT (NOT_A_TARGET); one already closed, or a
// notice with nothing left open, FAILED_PRECONDITION. `request` has passed CheckClose.
[[nodiscard]] Outcome<std::vector<storage::TargetChange>> DecideClose(
    const Principal& caller, const v1::Notification& notice,
    const v1::CloseNotificationRequest& request);

// Field checks of the steps. Reasons: REQUIRED, OUT_OF_RANGE, TOO_LONG, INVALID_UTF8,
// CONTROL_CHARACTER, INVALID_ENUM, TOO_MANY.
[[nodiscard]] FieldViolations CheckNotificationId(int64_t id, const char* field);
[[nodiscard]] FieldViolations CheckFeedback(const v1::SubmitFeedbackRequest& request);
[[nodiscard]] FieldViolations CheckClose(const v1::CloseNotificationRequest& request);

}  // namespace sitrep::notifications
