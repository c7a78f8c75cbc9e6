#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <vector>

#include "domain/clock.h"
#include "domain/outcome.h"
#include "domain/principal.h"
#include "domain/reference_codes.h"
#include "sitrep/v1/notification.pb.h"
#include "storage/feed_listener.h"
#include "storage/notification_store.h"

namespace sitrep::notifications {

// NotificationService's rules made whole (SPEC §2 Notification, §4): requests checked, the
// decisions of notice_rules.h taken on the stored, locked notice, every step stamped by the
// injected Clock and kept, inbox and outbox lists behind opaque page tokens, and a live inbox
// that replays from a cursor and then tails what commits, woken by the FeedListener. What a
// caller sees is PostgreSQL's to decide (row-level security); a notice the caller cannot see is
// NOT_FOUND, one it sees but may not act on PERMISSION_DENIED. Thread-safe; throws only when
// PostgreSQL fails.
class Notices final {
 public:
  static constexpr int kWatchPageSize = 500;

  Notices(storage::NotificationStore& store, storage::FeedListener& listener,
          const ReferenceCodes& codes, const Clock& clock)
      : store_(store), listener_(listener), codes_(codes), clock_(clock) {}

  [[nodiscard]] Outcome<v1::Notification> Issue(const Principal& caller,
                                                const v1::IssueNotificationRequest& request);
  [[nodiscard]] Outcome<v1::ListNotificationsResponse> List(
      const Principal& caller, const v1::ListNotificationsRequest& request);
  [[nodiscard]] Outcome<v1::Notification> Get(const Principal& caller, int64_t id);
  [[nodiscard]] Outcome<v1::Notification> Acknowledge(const Principal& caller,
                                                      const v1::AcknowledgeRequest& request);
  [[nodiscard]] Outcome<v1::Notification> SubmitFeedback(const Principal& caller,
                                                         const v1::SubmitFeedbackRequest& request);
  [[nodiscard]] Outcome<v1::Notification> Close(const Principal& caller,
                                                const v1::CloseNotificationRequest& request);

  // Sends the caller's inbox from the request's cursor on (from now when it has none), then
  // what commits, until `send` returns false (the client went away) or `stopped()` is true; a
  // quiet inbox gets an empty message carrying the cursor every few seconds. Returns the number
  // of notices sent, or the Error of a bad cursor (before anything is sent).
  using Sink = std::function<bool(const v1::WatchNotificationsResponse&)>;
  [[nodiscard]] Outcome<int64_t> Watch(const Principal& caller,
                                       const v1::WatchNotificationsRequest& request,
                                       const Sink& send, const std::function<bool()>& stopped);

  // Open and overdue targets by level and province, as counted at most kBacklogRefresh ago by
  // the injected clock. A recount reads every open target; scrapers asking several times a
  // second (the ingest bench samples five times a second) would otherwise spend a core on it
  // while escalations pile up hundreds of thousands of notices.
  static constexpr std::chrono::seconds kBacklogRefresh{10};
  [[nodiscard]] std::vector<storage::NoticeBacklog> Backlog();

 private:
  storage::NotificationStore& store_;
  storage::FeedListener& listener_;
  const ReferenceCodes& codes_;
  const Clock& clock_;
  std::mutex backlog_mu_;
  std::vector<storage::NoticeBacklog> backlog_;                      // guarded by backlog_mu_
  std::optional<std::chrono::system_clock::time_point> counted_at_;  // guarded by backlog_mu_
};

}  // namespace sitrep::notifications
