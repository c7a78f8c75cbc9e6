#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "domain/outcome.h"
#include "domain/page_token.h"
#include "domain/principal.h"
#include "sitrep/v1/notification.pb.h"
#include "storage/enterprise_store.h"
#include "storage/feed_store.h"
#include "storage/page.h"
#include "storage/pool.h"

namespace sitrep::storage {

using TimePoint = std::chrono::system_clock::time_point;

enum class NoticeBox {
  kInbox,   // notices with a target addressed to the caller (ADMIN: every notice)
  kOutbox,  // notices the caller's organisation issued: the national centre, or its province
};

// What ListNotifications selects. Target filters (states, overdue_only) apply to the targets of
// the box: the caller's own target in the inbox, any target in the outbox.
struct NoticeQuery {
  NoticeBox box = NoticeBox::kInbox;
  std::vector<v1::TargetState> states;  // empty: any
  bool overdue_only = false;
  v1::Severity min_priority = v1::SEVERITY_UNSPECIFIED;   // II: priorities I and II
  std::optional<TimePoint> created_from, created_before;  // [from, before)
  int64_t before_id = 0;                                  // keyset position, newest first
  int limit = 100;
};

// One recipient of a notice being issued; `province` is the enterprise's for enterprise
// targets.
struct NewTarget {
  uint32_t province = 0;
  int64_t enterprise_id = 0;  // 0 for a province target
};

// A step applied to one locked target: the new state, and for feedback its text, outcome and
// incidents (for closing, `text` is the remark).
struct TargetChange {
  int64_t target_id = 0;
  uint32_t province = 0;
  v1::TargetState state = v1::TARGET_STATE_UNSPECIFIED;
  std::string text;
  v1::FeedbackOutcome outcome = v1::FEEDBACK_OUTCOME_UNSPECIFIED;
  std::vector<int64_t> incident_ids;
};

// Targets not yet closed and, of those, the overdue ones, for one level and target province.
// Positions (0-based) of referenced records a caller cannot read.
struct UnseenRecords {
  std::vector<int> incidents;
  std::vector<int> assets;
};

struct NoticeBacklog {
  std::string level;  // "NATIONAL" or "PROVINCIAL"
  uint32_t province = 0;
  int64_t open = 0;
  int64_t overdue = 0;
};

// The notifications, notification_targets and notification_events tables
// (storage/schema/04_notifications.sql). Each public call is one
// transaction as `caller`, so row-level security decides what it sees and may change; `now`
// (the server's Clock) stamps what is written and decides what is overdue. A returned
// Notification carries the targets the caller may see, each with its `overdue` flag. Throws
// only when PostgreSQL fails.
class NotificationStore final {
 public:
  explicit NotificationStore(Pool& pool) : pool_(pool) {}

  // Given the registered facts of every enterprise the notice names as a target, returns the
  // targets to deliver to, or the Error that refuses the notice.
  using PlanTargets = std::function<Outcome<std::vector<NewTarget>>(
      const std::unordered_map<int64_t, EnterpriseFacts>& enterprises)>;

  // Stores `notice` (checked and completed by notifications/: level, issuer_province, origin,
  // response_deadline set) as issued by `caller` at `now`, with the targets `plan` returns and a
  // DELIVERED step for each; nothing is stored when `plan` refuses. Returns the stored notice.
  [[nodiscard]] Outcome<v1::Notification> Issue(const Principal& caller,
                                                const v1::Notification& notice, TimePoint now,
                                                const PlanTargets& plan);

  // Newest first; at most query.limit notices, last_key set when more may follow. Targets come
  // without history.
  [[nodiscard]] Page<v1::Notification> List(const Principal& caller, const NoticeQuery& query,
                                            TimePoint now);

  // The notice with every visible target and its history; nullopt when invisible or absent.
  [[nodiscard]] std::optional<v1::Notification> Get(const Principal& caller, int64_t id,
                                                    TimePoint now);

  // Given the notice as it stands with its targets locked, returns the changes to make or the
  // Error that refuses them.
  using Decide = std::function<Outcome<std::vector<TargetChange>>(const v1::Notification& locked)>;

  // Locks the notice's targets (SELECT … FOR UPDATE, so concurrent steps queue up), reads it
  // afresh, asks `decide`, applies its changes stamped `now` and writes a notification_events
  // row for each. Returns the notice afterwards (as Get), NOT_FOUND when the caller cannot see
  // it, or decide's Error (then nothing is written).
  [[nodiscard]] Outcome<v1::Notification> Change(const Principal& caller, int64_t id, TimePoint now,
                                                 const Decide& decide);

  // The caller's inbox feed in commit order: after `after`, up to `limit` deliveries and
  // changes of targets addressed to the caller (ADMIN: every target), each as its
  // notice with that one target, below the page's horizon (see FeedPage).
  [[nodiscard]] FeedPage<v1::Notification> Inbox(const Principal& caller, FeedPosition after,
                                                 int limit, TimePoint now);

  // The inbox position just before everything not yet committed.
  [[nodiscard]] FeedPosition InboxNow(const Principal& caller);

  // FeedHorizon::ReadEnd: an inbox cursor whose xid lies at or past it was never issued.
  [[nodiscard]] uint64_t InboxEnd(const Principal& caller);

  // Which of `incident_ids` and `asset_ids` name records that do not exist or that `caller`
  // may not read. Row-level security decides, so a hidden record and a missing one look alike.
  [[nodiscard]] UnseenRecords Unseen(const Principal& caller,
                                     const google::protobuf::RepeatedField<int64_t>& incident_ids,
                                     const google::protobuf::RepeatedField<int64_t>& asset_ids);

  // Open and overdue targets of every notice by level and target province, as of `now`.
  [[nodiscard]] std::vector<NoticeBacklog> Backlog(TimePoint now);

 private:
  Pool& pool_;
};

}  // namespace sitrep::storage
