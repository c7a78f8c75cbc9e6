#include "notifications/notices.h"

#include <string>

#include "domain/field_checks.h"
#include "domain/page_token.h"
#include "domain/time_convert.h"
#include "feeds/feed_watch.h"
#include "notifications/notice_rules.h"

namespace sitrep::notifications {
namespace {

constexpr const char* kInboxFeed = "notification-inbox";

// Page tokens of one box are refused by the other: their keys mean different lists.
const char* PageList(storage::NoticeBox box) {
  return box == storage::NoticeBox::kOutbox ? "notifications-outbox" : "notifications-inbox";
}

template <class Enum>
bool IsKnown(int value) {
  const auto* descriptor = google::protobuf::GetEnumDescriptor<Enum>();
  return value != 0 && descriptor->FindValueByNumber(value) != nullptr;
}

// One violation per reference, at `positions` of `field`, to a record the caller cannot see:
// missing and hidden are told alike, so references cannot probe for other provinces' records.
void AddUnseen(const std::vector<int>& positions, const std::string& field, const char* reason,
               const char* record, FieldViolations& violations) {
  for (const int i : positions) {
    const std::string path = field + "[" + std::to_string(i) + "]";
    violations.push_back({path, reason, path + " names no " + record + " you may see."});
  }
}

// The checked request as a store query, or its violations.
Outcome<storage::NoticeQuery> QueryOf(const v1::ListNotificationsRequest& request) {
  FieldViolations violations;
  storage::NoticeQuery query;
  switch (request.box()) {
    case v1::BOX_UNSPECIFIED:
    case v1::BOX_INBOX:
      query.box = storage::NoticeBox::kInbox;
      break;
    case v1::BOX_OUTBOX:
      query.box = storage::NoticeBox::kOutbox;
      break;
    default:
      violations.push_back({"box", "INVALID_ENUM", "box must be INBOX or OUTBOX."});
  }
  for (int i = 0; i < request.states_size(); ++i) {
    if (!IsKnown<v1::TargetState>(request.states(i))) {
      const std::string field = "states[" + std::to_string(i) + "]";
      violations.push_back({field, "INVALID_ENUM", field + " is not a target state."});
      continue;
    }
    query.states.push_back(static_cast<v1::TargetState>(request.states(i)));
  }
  query.overdue_only = request.overdue_only();
  if (request.min_priority() != v1::SEVERITY_UNSPECIFIED &&
      !IsKnown<v1::Severity>(request.min_priority())) {
    violations.push_back({"min_priority", "INVALID_ENUM", "min_priority is not a severity."});
  }
  query.min_priority = request.min_priority();
  const v1::TimeRange& range = request.create_time();
  // Saturating at system_clock's limits selects the same notices: all were created near now.
  if (range.has_start_time() &&
      CheckTimestamp(range.start_time(), "create_time.start_time", violations)) {
    query.created_from = FromTimestamp(range.start_time());
  }
  if (range.has_end_time() &&
      CheckTimestamp(range.end_time(), "create_time.end_time", violations)) {
    query.created_before = FromTimestamp(range.end_time());
  }
  if (query.created_from && query.created_before && *query.created_before < *query.created_from) {
    violations.push_back({"create_time.end_time", "BEFORE_START_TIME",
                          "create_time.end_time lies before its start_time."});
  }
  const std::optional<int> limit = PageSize(request.page_size());
  if (!limit) violations.push_back({"page_size", "OUT_OF_RANGE", "page_size must be 0..1000."});
  if (!violations.empty()) return InvalidArgument(std::move(violations));
  query.limit = *limit;
  const std::optional<int64_t> after = DecodePageToken(PageList(query.box), request.page_token());
  if (!after) {
    return InvalidArgument(
        {{"page_token", "INVALID_PAGE_TOKEN", "page_token is not a token of this list."}});
  }
  query.before_id = *after;
  return query;
}

}  // namespace

Outcome<v1::Notification> Notices::Issue(const Principal& caller,
                                         const v1::IssueNotificationRequest& request) {
  const auto now = clock_.Now();
  FieldViolations violations = CheckNewNotice(request.notification(), codes_, now);
  if (!violations.empty()) return InvalidArgument(std::move(violations));
  const storage::UnseenRecords unseen = store_.Unseen(caller, request.notification().incident_ids(),
                                                      request.notification().asset_ids());
  AddUnseen(unseen.incidents, "notification.incident_ids", "UNKNOWN_INCIDENT", "incident",
            violations);
  AddUnseen(unseen.assets, "notification.asset_ids", "UNKNOWN_ASSET", "asset", violations);
  if (!violations.empty()) return InvalidArgument(std::move(violations));
  const v1::Notification notice = CompleteNewNotice(caller, request.notification(), now);
  return store_.Issue(caller, notice, now, [&](const auto& enterprises) {
    return PlanTargets(caller, notice, enterprises);
  });
}

Outcome<v1::ListNotificationsResponse> Notices::List(const Principal& caller,
                                                     const v1::ListNotificationsRequest& request) {
  Outcome<storage::NoticeQuery> query = QueryOf(request);
  if (!query.ok()) return query.error();
  storage::Page<v1::Notification> page = store_.List(caller, query.value(), clock_.Now());
  v1::ListNotificationsResponse response;
  for (v1::Notification& notice : page.items) *response.add_notifications() = std::move(notice);
  if (page.last_key != 0) {
    response.set_next_page_token(EncodePageToken(PageList(query.value().box), page.last_key));
  }
  return response;
}

Outcome<v1::Notification> Notices::Get(const Principal& caller, int64_t id) {
  FieldViolations violations = CheckNotificationId(id, "id");
  if (!violations.empty()) return InvalidArgument(std::move(violations));
  std::optional<v1::Notification> notice = store_.Get(caller, id, clock_.Now());
  if (!notice) return NotFound("notification " + std::to_string(id) + " was not found.");
  return std::move(*notice);
}

Outcome<v1::Notification> Notices::Acknowledge(const Principal& caller,
                                               const v1::AcknowledgeRequest& request) {
  FieldViolations violations = CheckNotificationId(request.notification_id(), "notification_id");
  if (!violations.empty()) return InvalidArgument(std::move(violations));
  return store_.Change(
      caller, request.notification_id(), clock_.Now(),
      [&](const v1::Notification& locked) { return DecideAcknowledge(caller, locked); });
}

Outcome<v1::Notification> Notices::SubmitFeedback(const Principal& caller,
                                                  const v1::SubmitFeedbackRequest& request) {
  FieldViolations violations = CheckFeedback(request);
  if (!violations.empty()) return InvalidArgument(std::move(violations));
  const storage::UnseenRecords unseen =
      store_.Unseen(caller, request.incident_ids(), google::protobuf::RepeatedField<int64_t>());
  AddUnseen(unseen.incidents, "incident_ids", "UNKNOWN_INCIDENT", "incident", violations);
  if (!violations.empty()) return InvalidArgument(std::move(violations));
  return store_.Change(
      caller, request.notification_id(), clock_.Now(),
      [&](const v1::Notification& locked) { return DecideFeedback(caller, locked, request); });
}

Outcome<v1::Notification> Notices::Close(const Principal& caller,
                                         const v1::CloseNotificationRequest& request) {
  FieldViolations violations = CheckClose(request);
  if (!violations.empty()) return InvalidArgument(std::move(violations));
  return store_.Change(
      caller, request.notification_id(), clock_.Now(),
      [&](const v1::Notification& locked) { return DecideClose(caller, locked, request); });
}

Outcome<int64_t> Notices::Watch(const Principal& caller,
                                const v1::WatchNotificationsRequest& request, const Sink& send,
                                const std::function<bool()>& stopped) {
  const std::optional<FeedPosition> from = DecodeFeedCursor(kInboxFeed, request.cursor());
  if (!from) {
    return InvalidArgument(
        {{"cursor", "INVALID_CURSOR", "cursor is not a cursor of the notification inbox."}});
  }
  if (!request.cursor().empty() && IsBeyondFeedEnd(*from, store_.InboxEnd(caller))) {
    return InvalidArgument({CursorBeyondEnd("cursor")});
  }
  const FeedPosition start = request.cursor().empty() ? store_.InboxNow(caller) : *from;
  return feeds::WatchFeed(
      listener_, storage::FeedListener::Table::kNotificationTargets, kInboxFeed, start,
      [&](FeedPosition after) { return store_.Inbox(caller, after, kWatchPageSize, clock_.Now()); },
      [](v1::WatchNotificationsResponse& response) { return response.mutable_notifications(); },
      send, stopped);
}

std::vector<storage::NoticeBacklog> Notices::Backlog() {
  const auto now = clock_.Now();
  std::lock_guard lock(backlog_mu_);
  // A clock set back (tests, an NTP step) recounts too.
  if (!counted_at_ || now - *counted_at_ >= kBacklogRefresh || now < *counted_at_) {
    backlog_ = store_.Backlog(now);
    counted_at_ = now;
  }
  return backlog_;
}

}  // namespace sitrep::notifications
