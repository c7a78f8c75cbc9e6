#include "storage/notification_store.h"

#include <algorithm>
#include <map>
#include <string>
#include <utility>

#include "storage/copy_text.h"
#include "storage/sql_types.h"
#include "storage/transaction.h"

namespace sitrep::storage {
namespace {

// Positional parameters passed as text and cast in SQL, so no value is spliced into a
// statement.
class Params final {
 public:
  // "$n" for `value`, the next parameter.
  std::string Add(std::string value) {
    values_.push_back(std::move(value));
    return "$" + std::to_string(values_.size());
  }
  [[nodiscard]] const std::vector<std::string>& values() const { return values_; }

 private:
  std::vector<std::string> values_;
};

template <class Ids>
std::string BigintArray(const Ids& ids) {
  std::string literal = "{";
  bool first = true;
  for (const auto id : ids) {
    literal += (first ? "" : ",") + std::to_string(id);
    first = false;
  }
  return literal + "}";
}

std::string StateText(v1::TargetState state) { return EnumText(state); }

constexpr int kNoticeColumnCount = 15;
constexpr const char* kNoticeColumns =
    "n.id, n.issuer_id, n.issuer_province, n.level, n.origin, n.priority, n.title, n.body, "
    "n.required_action, sitrep_micros(n.response_deadline), n.tlp, "
    "array_to_json(n.incident_ids)::text, array_to_json(n.asset_ids)::text, "
    "array_to_json(n.cve_ids)::text, sitrep_micros(n.created_at)";

// Whether a target is overdue at `now_param` (micros): sitrep_notice_overdue, the one home of
// the rule (storage/schema/04_notifications.sql).
std::string OverdueAt(const std::string& now_param) {
  return "sitrep_notice_overdue(t.state, t.response_deadline, sitrep_time(" + now_param +
         "::bigint))";
}

// The target columns, `now_param` standing for the time that decides overdue.
constexpr int kTargetColumnCount = 10;
std::string TargetColumns(const std::string& now_param) {
  return "t.notification_id, t.id, t.province, t.enterprise_id, t.state, t.feedback, t.outcome, "
         "array_to_json(t.feedback_incident_ids)::text, t.national, " +
         OverdueAt(now_param);
}

v1::Notification NoticeFromRow(const pqxx::row& row) {
  v1::Notification notice;
  notice.set_id(row[0].as<int64_t>());
  notice.set_issuer_id(row[1].as<int64_t>());
  if (!row[2].is_null()) notice.set_issuer_province(row[2].as<uint32_t>());
  notice.set_level(EnumFromText<v1::NotificationLevel>(row[3].as<std::string>()));
  notice.set_origin(EnumFromText<v1::NotificationOrigin>(row[4].as<std::string>()));
  notice.set_priority(static_cast<v1::Severity>(row[5].as<int>()));
  notice.set_title(row[6].as<std::string>());
  notice.set_body(row[7].as<std::string>());
  notice.set_required_action(row[8].as<std::string>());
  *notice.mutable_response_deadline() = TimestampFromMicros(row[9]);
  notice.set_tlp(EnumFromText<v1::Tlp>(row[10].as<std::string>()));
  ReadJsonArray(row[11], notice.mutable_incident_ids());
  ReadJsonArray(row[12], notice.mutable_asset_ids());
  ReadJsonArray(row[13], notice.mutable_cve_ids());
  *notice.mutable_create_time() = TimestampFromMicros(row[14]);
  return notice;
}

// Reads the target columns starting at `first`.
v1::NotificationTarget TargetFromRow(const pqxx::row& row, int first) {
  v1::NotificationTarget target;
  target.set_id(row[first + 1].as<int64_t>());
  target.set_province(row[first + 2].as<uint32_t>());
  if (!row[first + 3].is_null()) target.set_enterprise_id(row[first + 3].as<int64_t>());
  target.set_state(EnumFromText<v1::TargetState>(row[first + 4].as<std::string>()));
  target.set_feedback(row[first + 5].as<std::string>());
  target.set_outcome(EnumFromText<v1::FeedbackOutcome>(row[first + 6].as<std::string>()));
  ReadJsonArray(row[first + 7], target.mutable_feedback_incident_ids());
  target.set_national(row[first + 8].as<bool>());
  target.set_overdue(row[first + 9].as<bool>());
  return target;
}

// The visible notices of `ids`, in the order of `ids`, with their visible targets (recipient
// order: province, then enterprise) and, when `with_history`, each target's steps.
std::vector<v1::Notification> LoadNotices(pqxx::work& tx, const std::vector<int64_t>& ids,
                                          TimePoint now, bool with_history) {
  std::vector<v1::Notification> notices;
  if (ids.empty()) return notices;
  const std::string id_list = BigintArray(ids);
  std::map<int64_t, v1::Notification> by_id;
  for (const pqxx::row& row :
       tx.exec_params(std::string("SELECT ") + kNoticeColumns +
                          " FROM notifications n WHERE n.id = ANY($1::bigint[])",
                      id_list)) {
    v1::Notification notice = NoticeFromRow(row);
    by_id.emplace(notice.id(), std::move(notice));
  }
  std::map<std::pair<uint32_t, int64_t>, v1::NotificationTarget*> targets;
  for (const pqxx::row& row : tx.exec_params(
           "SELECT " + TargetColumns("$2") +
               " FROM notification_targets t JOIN notifications n ON n.id = t.notification_id"
               " WHERE t.notification_id = ANY($1::bigint[])"
               " ORDER BY t.notification_id, t.province, t.enterprise_id NULLS FIRST, t.id",
           id_list, ToMicros(now))) {
    const auto notice = by_id.find(row[0].as<int64_t>());
    if (notice == by_id.end()) continue;
    v1::NotificationTarget* target = notice->second.add_targets();
    *target = TargetFromRow(row, 0);
    targets[{target->province(), target->id()}] = target;
    if (with_history) {
      // Delivery is the target's creation: the notice's time, by its issuer (the target carries
      // both).
      v1::TargetEvent& delivered = *target->add_history();
      delivered.set_state(v1::TARGET_STATE_DELIVERED);
      *delivered.mutable_time() = notice->second.create_time();
      delivered.set_principal_id(notice->second.issuer_id());
    }
  }
  if (with_history) {
    // The steps after delivery are notification_events rows; row-level security shows those
    // of the visible targets only.
    for (const pqxx::row& row : tx.exec_params(
             "SELECT e.province, e.target_id, e.state, sitrep_micros(e.at), e.principal_id, "
             "e.text FROM notification_events e WHERE e.notification_id = ANY($1::bigint[]) "
             "ORDER BY e.at, e.id",
             id_list)) {
      const auto target = targets.find({row[0].as<uint32_t>(), row[1].as<int64_t>()});
      if (target == targets.end()) continue;
      v1::TargetEvent* event = target->second->add_history();
      event->set_state(EnumFromText<v1::TargetState>(row[2].as<std::string>()));
      *event->mutable_time() = TimestampFromMicros(row[3]);
      event->set_principal_id(row[4].as<int64_t>());
      event->set_text(row[5].as<std::string>());
    }
  }
  for (const int64_t id : ids) {
    const auto notice = by_id.find(id);
    if (notice != by_id.end()) notices.push_back(std::move(notice->second));
  }
  return notices;
}

// The targets addressed to `caller`, as a condition on notification_targets t.
std::string AddressedTo(const Principal& caller, Params& params) {
  switch (caller.role) {
    case v1::ROLE_ADMIN:
      return "true";
    case v1::ROLE_NATIONAL:
      return "t.national";
    case v1::ROLE_PROVINCIAL:
      return "t.enterprise_id IS NULL AND NOT t.national AND t.province = " +
             params.Add(std::to_string(caller.province)) + "::integer";
    case v1::ROLE_ENTERPRISE:
      return "t.enterprise_id = " + params.Add(std::to_string(caller.enterprise_id)) + "::bigint";
    default:
      return "false";
  }
}

// The notices `caller`'s organisation issued, as a condition on notifications n.
std::string IssuedBy(const Principal& caller, Params& params) {
  switch (caller.role) {
    case v1::ROLE_ADMIN:
      return "true";
    case v1::ROLE_NATIONAL:
      return "n.level = 'NATIONAL'";
    case v1::ROLE_PROVINCIAL:
      return "n.level = 'PROVINCIAL' AND n.issuer_province = " +
             params.Add(std::to_string(caller.province)) + "::integer";
    default:
      return "false";
  }
}

uint64_t Horizon(pqxx::work& tx) {
  return tx.exec("SELECT pg_snapshot_xmin(pg_current_snapshot())::text")[0][0].as<uint64_t>();
}

}  // namespace

Outcome<v1::Notification> NotificationStore::Issue(const Principal& caller,
                                                   const v1::Notification& notice, TimePoint now,
                                                   const PlanTargets& plan) {
  std::vector<int64_t> enterprise_ids;
  for (const v1::NotificationTarget& target : notice.targets()) {
    if (target.enterprise_id() != 0) enterprise_ids.push_back(target.enterprise_id());
  }
  return InTransaction(pool_, caller, [&](pqxx::work& tx) -> Outcome<v1::Notification> {
    Tx handle(tx);
    Outcome<std::vector<NewTarget>> targets = plan(FindEnterpriseFacts(handle, enterprise_ids));
    if (!targets.ok()) return targets.error();
    const int64_t micros = ToMicros(now);
    const int64_t id =
        tx.exec_params1(
              "INSERT INTO notifications (issuer_id, issuer_province, level, origin, priority, "
              "title, body, required_action, response_deadline, tlp, incident_ids, asset_ids, "
              "cve_ids, created_at) VALUES ($1, nullif($2::integer, 0), $3, $4, $5, $6, $7, $8, "
              "sitrep_time($9), $10, $11::bigint[], $12::bigint[], $13::text[], sitrep_time($14)) "
              "RETURNING id",
              caller.id, notice.issuer_province(), EnumText(notice.level()),
              EnumText(notice.origin()), static_cast<int>(notice.priority()), notice.title(),
              notice.body(), notice.required_action(), ToMicros(notice.response_deadline()),
              EnumText(notice.tlp()), BigintArray(notice.incident_ids()),
              BigintArray(notice.asset_ids()), ArrayLiteral(notice.cve_ids()), micros)[0]
            .as<int64_t>();
    std::vector<uint32_t> provinces;
    std::vector<int64_t> enterprises;
    for (const NewTarget& target : targets.value()) {
      provinces.push_back(target.province);
      enterprises.push_back(target.enterprise_id);
    }
    // Each target starts DELIVERED (the column default); its creation is that step of its
    // history (LoadNotices). It carries the notice's deadline and creation time for the
    // situation's backlog.
    tx.exec_params(
        "INSERT INTO notification_targets (notification_id, province, enterprise_id, "
        "response_deadline, notice_created_at) "
        "SELECT $1, x.province, nullif(x.enterprise_id, 0), sitrep_time($4), sitrep_time($5) "
        "FROM unnest($2::integer[], $3::bigint[]) AS x(province, enterprise_id)",
        id, BigintArray(provinces), BigintArray(enterprises), ToMicros(notice.response_deadline()),
        micros);
    return std::move(LoadNotices(tx, {id}, now, true).at(0));
  });
}

Page<v1::Notification> NotificationStore::List(const Principal& caller, const NoticeQuery& query,
                                               TimePoint now) {
  Params params;
  std::string notice_where =
      query.box == NoticeBox::kOutbox ? IssuedBy(caller, params) : std::string("true");
  std::string target_where =
      query.box == NoticeBox::kInbox ? AddressedTo(caller, params) : std::string("true");
  if (!query.states.empty()) {
    google::protobuf::RepeatedPtrField<std::string> names;
    for (const v1::TargetState state : query.states) names.Add(StateText(state));
    target_where += " AND t.state = ANY(" + params.Add(ArrayLiteral(names)) + "::text[])";
  }
  if (query.overdue_only) {
    target_where += " AND " + OverdueAt(params.Add(std::to_string(ToMicros(now))));
  }
  if (query.min_priority != v1::SEVERITY_UNSPECIFIED) {
    notice_where +=
        " AND n.priority <= " + params.Add(std::to_string(static_cast<int>(query.min_priority))) +
        "::smallint";
  }
  if (query.created_from) {
    notice_where += " AND n.created_at >= sitrep_time(" +
                    params.Add(std::to_string(ToMicros(*query.created_from))) + "::bigint)";
  }
  if (query.created_before) {
    notice_where += " AND n.created_at < sitrep_time(" +
                    params.Add(std::to_string(ToMicros(*query.created_before))) + "::bigint)";
  }
  if (query.before_id != 0) {
    notice_where += " AND n.id < " + params.Add(std::to_string(query.before_id)) + "::bigint";
  }
  const int limit = std::max(query.limit, 1);
  // One row beyond the page tells whether another follows.
  const std::string sql = "SELECT n.id FROM notifications n WHERE " + notice_where +
                          " AND EXISTS (SELECT 1 FROM notification_targets t"
                          " WHERE t.notification_id = n.id AND " +
                          target_where + ") ORDER BY n.id DESC LIMIT " + std::to_string(limit + 1);
  return InTransaction(pool_, caller, [&](pqxx::work& tx) {
    std::vector<int64_t> ids;
    for (const pqxx::row& row :
         tx.exec_params(sql, pqxx::prepare::make_dynamic_params(params.values()))) {
      ids.push_back(row[0].as<int64_t>());
    }
    Page<v1::Notification> page;
    if (static_cast<int>(ids.size()) > limit) {
      ids.resize(limit);
      page.last_key = ids.back();
    }
    page.items = LoadNotices(tx, ids, now, false);
    return page;
  });
}

std::optional<v1::Notification> NotificationStore::Get(const Principal& caller, int64_t id,
                                                       TimePoint now) {
  return InTransaction(pool_, caller, [&](pqxx::work& tx) -> std::optional<v1::Notification> {
    std::vector<v1::Notification> notices = LoadNotices(tx, {id}, now, true);
    if (notices.empty()) return std::nullopt;
    return std::move(notices.front());
  });
}

Outcome<v1::Notification> NotificationStore::Change(const Principal& caller, int64_t id,
                                                    TimePoint now, const Decide& decide) {
  return InTransaction(pool_, caller, [&](pqxx::work& tx) -> Outcome<v1::Notification> {
    if (tx.exec_params("SELECT 1 FROM notifications WHERE id = $1", id).empty()) {
      return NotFound("notification " + std::to_string(id) + " was not found.");
    }
    // Locks the targets the caller may change, in one order for every caller (no deadlock),
    // then reads them afresh: READ COMMITTED gives the next statement a new snapshot, so a
    // step that waited for the lock sees the one before it.
    tx.exec_params(
        "SELECT 1 FROM notification_targets WHERE notification_id = $1 ORDER BY province, id "
        "FOR UPDATE",
        id);
    const std::vector<v1::Notification> locked = LoadNotices(tx, {id}, now, true);
    if (locked.empty()) return NotFound("notification " + std::to_string(id) + " was not found.");
    Outcome<std::vector<TargetChange>> changes = decide(locked.front());
    if (!changes.ok()) return changes.error();
    const int64_t micros = ToMicros(now);
    for (const TargetChange& change : changes.value()) {
      const std::string state = StateText(change.state);
      const pqxx::result updated = tx.exec_params(
          "UPDATE notification_targets SET state = $4::text, "
          "acknowledged_at = CASE WHEN $4::text = 'ACKNOWLEDGED' THEN sitrep_time($5) "
          "ELSE acknowledged_at END, "
          "feedback_at = CASE WHEN $4::text = 'FEEDBACK_SUBMITTED' THEN sitrep_time($5) "
          "ELSE feedback_at END, "
          "closed_at = CASE WHEN $4::text = 'CLOSED' THEN sitrep_time($5) ELSE closed_at END, "
          "feedback = CASE WHEN $4::text = 'FEEDBACK_SUBMITTED' THEN $6 ELSE feedback END, "
          "outcome = CASE WHEN $4::text = 'FEEDBACK_SUBMITTED' THEN $7 ELSE outcome END, "
          "feedback_incident_ids = CASE WHEN $4::text = 'FEEDBACK_SUBMITTED' "
          "THEN $8::bigint[] ELSE feedback_incident_ids END "
          "WHERE province = $1 AND id = $2 AND notification_id = $3",
          change.province, change.target_id, id, state, micros, change.text,
          EnumText(change.outcome), BigintArray(change.incident_ids));
      if (updated.affected_rows() != 1) {
        // notifications/ allowed what row-level security refuses: a bug, reported as such.
        throw pqxx::insufficient_privilege("row-level security refused a change of target " +
                                           std::to_string(change.target_id));
      }
      tx.exec_params(
          "INSERT INTO notification_events (province, target_id, notification_id, state, "
          "principal_id, text, at) VALUES ($1, $2, $3, $4, $5, $6, sitrep_time($7))",
          change.province, change.target_id, id, state, caller.id, change.text, micros);
    }
    return std::move(LoadNotices(tx, {id}, now, true).at(0));
  });
}

FeedPage<v1::Notification> NotificationStore::Inbox(const Principal& caller, FeedPosition after,
                                                    int limit, TimePoint now) {
  Params params;
  const std::string now_param = params.Add(std::to_string(ToMicros(now)));
  const std::string addressed = AddressedTo(caller, params);
  const std::string after_xid = params.Add(std::to_string(after.xid));
  const std::string after_seq = params.Add(std::to_string(after.seq));
  // Below the horizon only, so that a target committing later never lands behind a position
  // already served (the feeds' rule, storage/feed_store.cc). The positions are selected under
  // other names so that ORDER BY sorts the xid8 values, not their text.
  const std::string sql =
      std::string("SELECT ") + kNoticeColumns + ", " + TargetColumns(now_param) +
      ", t.feed_xid::text AS position_xid, t.feed_seq AS position_seq"
      " FROM notification_targets t JOIN notifications n"
      " ON n.id = t.notification_id WHERE " +
      addressed + " AND (t.feed_xid, t.feed_seq) > (" + after_xid + "::xid8, " + after_seq +
      "::bigint) AND t.feed_xid < pg_snapshot_xmin(pg_current_snapshot())"
      " ORDER BY t.feed_xid, t.feed_seq LIMIT " +
      std::to_string(limit);
  return InTransaction(pool_, caller, [&](pqxx::work& tx) {
    FeedPage<v1::Notification> page;
    page.horizon = Horizon(tx);
    for (const pqxx::row& row :
         tx.exec_params(sql, pqxx::prepare::make_dynamic_params(params.values()))) {
      v1::Notification notice = NoticeFromRow(row);
      *notice.add_targets() = TargetFromRow(row, kNoticeColumnCount);
      const int position = kNoticeColumnCount + kTargetColumnCount;
      page.positions.push_back(
          FeedPosition{row[position].as<uint64_t>(), row[position + 1].as<int64_t>()});
      page.records.push_back(std::move(notice));
    }
    return page;
  });
}

FeedPosition NotificationStore::InboxNow(const Principal& caller) {
  return InTransaction(pool_, caller, [&](pqxx::work& tx) {
    const uint64_t horizon = Horizon(tx);
    return FeedPosition{horizon == 0 ? 0 : horizon - 1, INT64_MAX};
  });
}

UnseenRecords NotificationStore::Unseen(
    const Principal& caller, const google::protobuf::RepeatedField<int64_t>& incident_ids,
    const google::protobuf::RepeatedField<int64_t>& asset_ids) {
  UnseenRecords unseen;
  if (incident_ids.empty() && asset_ids.empty()) return unseen;
  return InTransaction(pool_, caller, [&](pqxx::work& tx) {
    // The read policies (storage/schema/04_notifications.sql) filter both tables: an id the caller
    // may not read finds no row, exactly like one that does not exist.
    const pqxx::result result = tx.exec_params(
        "SELECT 'i', x.i - 1 FROM unnest($1::bigint[]) WITH ORDINALITY AS x(id, i)"
        " WHERE NOT EXISTS (SELECT 1 FROM incidents r WHERE r.id = x.id)"
        " UNION ALL "
        "SELECT 'a', x.i - 1 FROM unnest($2::bigint[]) WITH ORDINALITY AS x(id, i)"
        " WHERE NOT EXISTS (SELECT 1 FROM assets r WHERE r.id = x.id) ORDER BY 1, 2",
        BigintArray(incident_ids), BigintArray(asset_ids));
    UnseenRecords found;
    for (const pqxx::row& row : result) {
      (row[0].as<std::string>() == "i" ? found.incidents : found.assets)
          .push_back(row[1].as<int>());
    }
    return found;
  });
}

uint64_t NotificationStore::InboxEnd(const Principal& caller) {
  return InTransaction(pool_, caller, [&](pqxx::work& tx) { return FeedHorizon::ReadEnd(tx); });
}

std::vector<NoticeBacklog> NotificationStore::Backlog(TimePoint now) {
  // The whole backlog whoever asks: metrics are for the platform's operators. Counted by a
  // function of the tables' owner: row-level security per row was too slow.
  Principal platform;
  platform.role = v1::ROLE_ADMIN;
  return InTransaction(pool_, platform, [&](pqxx::work& tx) {
    std::vector<NoticeBacklog> backlog;
    for (const pqxx::row& row : tx.exec_params(
             "SELECT level, province, open, overdue FROM sitrep_notice_backlog(sitrep_time($1))",
             ToMicros(now))) {
      NoticeBacklog& counts = backlog.emplace_back();
      counts.level = row[0].as<std::string>();
      counts.province = row[1].as<uint32_t>();
      counts.open = row[2].as<int64_t>();
      counts.overdue = row[3].as<int64_t>();
    }
    return backlog;
  });
}

}  // namespace sitrep::storage
