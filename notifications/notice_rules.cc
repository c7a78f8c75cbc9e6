#include "notifications/notice_rules.h"

#include <set>
#include <string>
#include <utility>

#include "domain/field_checks.h"
#include "domain/record_checks.h"
#include "domain/time_convert.h"

namespace sitrep::notifications {
namespace {

using storage::TargetChange;

Error FailedPrecondition(std::string message) {
  return Error{ErrorCode::kFailedPrecondition, std::move(message), {}};
}

std::string NoticeName(const v1::Notification& notice) {
  return "notification " + std::to_string(notice.id());
}

std::string TargetName(const v1::NotificationTarget& target) {
  if (target.national()) return "the national centre's target";
  return target.enterprise_id() != 0 ? "enterprise " + std::to_string(target.enterprise_id())
                                     : "province " + std::to_string(target.province());
}

std::string Indexed(const std::string& field, int index) {
  return field + "[" + std::to_string(index) + "]";
}

template <class Enum>
bool IsKnown(int value) {
  const auto* descriptor = google::protobuf::GetEnumDescriptor<Enum>();
  return value != 0 && descriptor->FindValueByNumber(value) != nullptr;
}

void CheckEnum(bool known, const std::string& field, FieldViolations& violations) {
  if (!known)
    violations.push_back({field, "INVALID_ENUM", field + " must be set to a known value."});
}

template <class Ids>
void CheckIds(const Ids& ids, const std::string& field, FieldViolations& violations) {
  if (static_cast<size_t>(ids.size()) > kMaxReferences) {
    violations.push_back(
        {field, "TOO_MANY", field + " holds at most " + std::to_string(kMaxReferences) + " ids."});
    return;
  }
  for (int i = 0; i < ids.size(); ++i) CheckId(ids[i], Indexed(field, i), violations);
}

void CheckTargets(const v1::Notification& notice, const ReferenceCodes& codes,
                  FieldViolations& violations) {
  const std::string field = "notification.targets";
  if (notice.targets().empty()) {
    violations.push_back({field, "REQUIRED", "a notice needs at least one target."});
    return;
  }
  if (static_cast<size_t>(notice.targets_size()) > kMaxTargets) {
    violations.push_back(
        {field, "TOO_MANY", "a notice has at most " + std::to_string(kMaxTargets) + " targets."});
    return;
  }
  std::set<std::pair<uint32_t, int64_t>> seen;
  for (int i = 0; i < notice.targets_size(); ++i) {
    const v1::NotificationTarget& target = notice.targets(i);
    const std::string path = Indexed(field, i);
    if (!CheckId(target.enterprise_id(), path + ".enterprise_id", violations,
                 /*zero_means_none=*/true)) {
      continue;
    }
    if (target.enterprise_id() == 0 && target.province() == 0) {
      violations.push_back({path, "REQUIRED", path + " needs a province or an enterprise_id."});
      continue;
    }
    if (target.province() != 0 && !codes.HasProvince(target.province())) {
      violations.push_back({path + ".province", "UNKNOWN_PROVINCE",
                            path + ".province " + std::to_string(target.province()) +
                                " is not a GB/T 2260 province code."});
      continue;
    }
    const auto key = target.enterprise_id() != 0
                         ? std::pair<uint32_t, int64_t>{0, target.enterprise_id()}
                         : std::pair<uint32_t, int64_t>{target.province(), 0};
    if (!seen.insert(key).second) {
      violations.push_back({path, "DUPLICATE_TARGET", path + " names a recipient twice."});
    }
  }
}

// The one target of `notice` addressed to `caller`, or the Error saying why there is none.
Outcome<const v1::NotificationTarget*> AddressedTarget(const Principal& caller,
                                                       const v1::Notification& notice,
                                                       const char* step) {
  for (const v1::NotificationTarget& target : notice.targets()) {
    if (IsAddressee(caller, target)) return &target;
  }
  if (IsIssuer(caller, notice)) {
    return PermissionDenied("only a recipient may " + std::string(step) + " " + NoticeName(notice) +
                            "; you issued it.");
  }
  return PermissionDenied(NoticeName(notice) + " is not addressed to you.");
}

TargetChange ChangeOf(const v1::NotificationTarget& target, v1::TargetState state) {
  TargetChange change;
  change.target_id = target.id();
  change.province = target.province();
  change.state = state;
  return change;
}

}  // namespace

std::chrono::hours DefaultResponseTime(v1::Severity priority) {
  switch (priority) {
    case v1::SEVERITY_I:
      return std::chrono::hours(1);
    case v1::SEVERITY_II:
      return std::chrono::hours(2);
    case v1::SEVERITY_III:
      return std::chrono::hours(24);
    default:
      return std::chrono::hours(72);
  }
}

FieldViolations CheckNewNotice(const v1::Notification& notice, const ReferenceCodes& codes,
                               std::chrono::system_clock::time_point now) {
  FieldViolations violations;
  CheckText(notice.title(), "notification.title", 1, kMaxTitleChars, violations);
  CheckText(notice.body(), "notification.body", 0, kMaxBodyChars, violations, true);
  CheckText(notice.required_action(), "notification.required_action", 0, kMaxRequiredActionChars,
            violations, true);
  CheckEnum(IsKnown<v1::Severity>(notice.priority()), "notification.priority", violations);
  CheckEnum(IsKnown<v1::Tlp>(notice.tlp()), "notification.tlp", violations);
  CheckTargets(notice, codes, violations);
  CheckIds(notice.incident_ids(), "notification.incident_ids", violations);
  CheckIds(notice.asset_ids(), "notification.asset_ids", violations);
  if (static_cast<size_t>(notice.cve_ids_size()) > kMaxReferences) {
    violations.push_back(
        {"notification.cve_ids", "TOO_MANY",
         "notification.cve_ids holds at most " + std::to_string(kMaxReferences) + " ids."});
  } else {
    for (int i = 0; i < notice.cve_ids_size(); ++i) {
      if (!IsValidCveId(notice.cve_ids(i))) {
        const std::string path = Indexed("notification.cve_ids", i);
        violations.push_back({path, "INVALID_CVE_ID", path + " is not a CVE id (CVE-YYYY-NNNN)."});
      }
    }
  }
  if (notice.has_response_deadline()) {
    const google::protobuf::Timestamp& deadline = notice.response_deadline();
    const std::string field = "notification.response_deadline";
    // Compared only once checked: FromTimestamp saturates, so a far-future deadline is "too far
    // ahead", never "passed".
    if (CheckTimestamp(deadline, field, violations)) {
      if (FromTimestamp(deadline) <= now) {
        violations.push_back({field, "DEADLINE_PASSED", field + " must lie in the future."});
      } else if (FromTimestamp(deadline) > now + kMaxDeadlineAhead) {
        violations.push_back({field, "TOO_FAR_AHEAD", field + " must lie within a year."});
      }
    }
  }
  return violations;
}

v1::Notification CompleteNewNotice(const Principal& issuer, const v1::Notification& notice,
                                   std::chrono::system_clock::time_point now) {
  v1::Notification stored;
  stored.set_priority(notice.priority());
  stored.set_title(notice.title());
  stored.set_body(notice.body());
  stored.set_required_action(notice.required_action());
  stored.set_tlp(notice.tlp());
  *stored.mutable_targets() = notice.targets();
  *stored.mutable_incident_ids() = notice.incident_ids();
  *stored.mutable_asset_ids() = notice.asset_ids();
  *stored.mutable_cve_ids() = notice.cve_ids();
  stored.set_origin(v1::NOTIFICATION_ORIGIN_MANUAL);
  const bool national = issuer.is(v1::ROLE_NATIONAL);
  stored.set_level(national ? v1::NOTIFICATION_LEVEL_NATIONAL : v1::NOTIFICATION_LEVEL_PROVINCIAL);
  stored.set_issuer_province(national ? 0 : issuer.province);
  *stored.mutable_response_deadline() =
      notice.has_response_deadline() ? notice.response_deadline()
                                     : ToTimestamp(now + DefaultResponseTime(notice.priority()));
  return stored;
}

Outcome<std::vector<storage::NewTarget>> PlanTargets(
    const Principal& issuer, const v1::Notification& notice,
    const std::unordered_map<int64_t, storage::EnterpriseFacts>& enterprises) {
  std::vector<storage::NewTarget> targets;
  for (int i = 0; i < notice.targets_size(); ++i) {
    const v1::NotificationTarget& target = notice.targets(i);
    const std::string path = Indexed("notification.targets", i);
    storage::NewTarget planned;
    if (issuer.is(v1::ROLE_NATIONAL)) {
      if (target.enterprise_id() != 0) {
        return PermissionDenied(path +
                                ".enterprise_id: the national centre notifies provinces; "
                                "their regulators notify enterprises.");
      }
      planned.province = target.province();
    } else if (issuer.is(v1::ROLE_PROVINCIAL)) {
      if (target.enterprise_id() == 0) {
        return PermissionDenied(path +
                                ".province: a province notifies enterprises of its own "
                                "province only, not provinces.");
      }
      const auto facts = enterprises.find(target.enterprise_id());
      if (facts == enterprises.end()) {
        return InvalidArgument(
            {{path + ".enterprise_id", "UNKNOWN_ENTERPRISE",
              "enterprise " + std::to_string(target.enterprise_id()) + " is not registered."}});
      }
      if (facts->second.province != issuer.province) {
        return PermissionDenied(path + ".enterprise_id: enterprise " +
                                std::to_string(target.enterprise_id()) + " is in province " +
                                std::to_string(facts->second.province) +
                                "; a province notifies enterprises of its own province only.");
      }
      if (target.province() != 0 && target.province() != facts->second.province) {
        return InvalidArgument({{path + ".province", "PROVINCE_MISMATCH",
                                 path + ".province is not the enterprise's province."}});
      }
      planned.province = facts->second.province;
      planned.enterprise_id = target.enterprise_id();
    } else {
      return PermissionDenied("only the national centre and provincial regulators issue notices.");
    }
    targets.push_back(planned);
  }
  return targets;
}

bool IsAddressee(const Principal& caller, const v1::NotificationTarget& target) {
  if (caller.is(v1::ROLE_NATIONAL)) return target.national();
  if (caller.is(v1::ROLE_PROVINCIAL)) {
    return !target.national() && target.enterprise_id() == 0 &&
           target.province() == caller.province;
  }
  if (caller.is(v1::ROLE_ENTERPRISE)) {
    return target.enterprise_id() != 0 && target.enterprise_id() == caller.enterprise_id;
  }
  return false;
}

bool IsIssuer(const Principal& caller, const v1::Notification& notice) {
  if (caller.is(v1::ROLE_NATIONAL)) return notice.level() == v1::NOTIFICATION_LEVEL_NATIONAL;
  if (caller.is(v1::ROLE_PROVINCIAL)) {
    return notice.level() == v1::NOTIFICATION_LEVEL_PROVINCIAL &&
           notice.issuer_province() == caller.province;
  }
  return false;
}

Outcome<std::vector<TargetChange>> DecideAcknowledge(const Principal& caller,
                                                     const v1::Notification& notice) {
  Outcome<const v1::NotificationTarget*> target = AddressedTarget(caller, notice, "acknowledge");
  if (!target.ok()) return target.error();
  switch (target.value()->state()) {
    case v1::TARGET_STATE_DELIVERED:
      return std::vector<TargetChange>{ChangeOf(*target.value(), v1::TARGET_STATE_ACKNOWLEDGED)};
    case v1::TARGET_STATE_CLOSED:
      return FailedPrecondition(NoticeName(notice) + " is closed; it cannot be acknowledged.");
    default:
      return FailedPrecondition(NoticeName(notice) + " was already acknowledged.");
  }
}

Outcome<std::vector<TargetChange>> DecideFeedback(const Principal& caller,
                                                  const v1::Notification& notice,
                                                  const v1::SubmitFeedbackRequest& request) {
  Outcome<const v1::NotificationTarget*> target =
      AddressedTarget(caller, notice, "submit feedback on");
  if (!target.ok()) return target.error();
  switch (target.value()->state()) {
    case v1::TARGET_STATE_ACKNOWLEDGED: {
      TargetChange change = ChangeOf(*target.value(), v1::TARGET_STATE_FEEDBACK_SUBMITTED);
      change.text = request.text();
      change.outcome = request.outcome();
      change.incident_ids.assign(request.incident_ids().begin(), request.incident_ids().end());
      return std::vector<TargetChange>{std::move(change)};
    }
    case v1::TARGET_STATE_DELIVERED:
      return FailedPrecondition("acknowledge " + NoticeName(notice) +
                                " before submitting feedback on it.");
    case v1::TARGET_STATE_CLOSED:
      return FailedPrecondition(NoticeName(notice) + " is closed; it takes no more feedback.");
    default:
      return FailedPrecondition("feedback on " + NoticeName(notice) + " was already submitted.");
  }
}

Outcome<std::vector<TargetChange>> DecideClose(const Principal& caller,
                                               const v1::Notification& notice,
                                               const v1::CloseNotificationRequest& request) {
  if (!IsIssuer(caller, notice)) {
    return PermissionDenied("only the issuer of " + NoticeName(notice) + " may close it.");
  }
  std::vector<TargetChange> changes;
  const auto close = [&](const v1::NotificationTarget& target) {
    TargetChange change = ChangeOf(target, v1::TARGET_STATE_CLOSED);
    change.text = request.remark();
    changes.push_back(std::move(change));
  };
  if (request.provinces().empty() && request.enterprise_ids().empty()) {
    for (const v1::NotificationTarget& target : notice.targets()) {
      if (target.state() != v1::TARGET_STATE_CLOSED) close(target);
    }
    if (changes.empty()) return FailedPrecondition(NoticeName(notice) + " is already closed.");
    return changes;
  }
  // Each named recipient, found among the notice's targets.
  const auto named = [&](const std::string& field, uint32_t province,
                         int64_t enterprise_id) -> std::optional<Error> {
    for (const v1::NotificationTarget& target : notice.targets()) {
      const bool match = enterprise_id != 0 ? target.enterprise_id() == enterprise_id
                                            : target.enterprise_id() == 0 && !target.national() &&
                                                  target.province() == province;
      if (!match) continue;
      if (target.state() == v1::TARGET_STATE_CLOSED) {
        return FailedPrecondition(TargetName(target) + " of " + NoticeName(notice) +
                                  " is already closed.");
      }
      close(target);
      return std::nullopt;
    }
    return InvalidArgument(
        {{field, "NOT_A_TARGET", field + " is not a recipient of " + NoticeName(notice) + "."}});
  };
  for (int i = 0; i < request.provinces_size(); ++i) {
    if (auto error = named(Indexed("provinces", i), request.provinces(i), 0)) return *error;
  }
  for (int i = 0; i < request.enterprise_ids_size(); ++i) {
    if (auto error = named(Indexed("enterprise_ids", i), 0, request.enterprise_ids(i))) {
      return *error;
    }
  }
  return changes;
}

FieldViolations CheckNotificationId(int64_t id, const char* field) {
  if (id == 0) return {{field, "REQUIRED", std::string(field) + " must be a notification id."}};
  FieldViolations violations;
  CheckId(id, field, violations);
  return violations;
}

FieldViolations CheckFeedback(const v1::SubmitFeedbackRequest& request) {
  FieldViolations violations = CheckNotificationId(request.notification_id(), "notification_id");
  CheckText(request.text(), "text", 1, kMaxFeedbackChars, violations, true);
  CheckEnum(IsKnown<v1::FeedbackOutcome>(request.outcome()), "outcome", violations);
  CheckIds(request.incident_ids(), "incident_ids", violations);
  return violations;
}

FieldViolations CheckClose(const v1::CloseNotificationRequest& request) {
  FieldViolations violations = CheckNotificationId(request.notification_id(), "notification_id");
  CheckText(request.remark(), "remark", 0, kMaxRemarkChars, violations, true);
  if (static_cast<size_t>(request.provinces_size() + request.enterprise_ids_size()) > kMaxTargets) {
    violations.push_back(
        {"provinces", "TOO_MANY", "name at most " + std::to_string(kMaxTargets) + " targets."});
  } else {
    for (int i = 0; i < request.enterprise_ids_size(); ++i) {
      CheckId(request.enterprise_ids(i), Indexed("enterprise_ids", i), violations);
    }
  }
  return violations;
}

}  // namespace sitrep::notifications
