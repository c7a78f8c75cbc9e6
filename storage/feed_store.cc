#include "storage/feed_store.h"

#include <algorithm>
#include <string>
#include <tuple>
#include <vector>

#include "storage/copy_text.h"
#include "storage/feed_conditions.h"
#include "storage/prepared_statement.h"
#include "storage/record_rows.h"
#include "storage/sql_types.h"
#include "storage/transaction.h"

namespace sitrep::storage {
namespace {

std::string IntArray(const google::protobuf::RepeatedField<uint32_t>& values) {
  std::string literal = "{";
  for (int i = 0; i < values.size(); ++i) literal += (i ? "," : "") + std::to_string(values[i]);
  return literal + "}";
}

template <class Enum>
std::string EnumArray(const google::protobuf::RepeatedField<int>& values) {
  google::protobuf::RepeatedPtrField<std::string> names;
  for (const int value : values) names.Add(EnumText(static_cast<Enum>(value)));
  return ArrayLiteral(names);
}

// One province as an equality, so that the (province, feed position) index serves the page in
// order; ANY over a one-element array would be read as a set and sorted.
void AddProvinces(Conditions& conditions,
                  const google::protobuf::RepeatedField<uint32_t>& provinces) {
  if (provinces.size() == 1) {
    conditions.Add("province = ?::integer", {std::to_string(provinces[0])});
  } else if (!provinces.empty()) {
    conditions.Add("province = ANY(?::integer[])", {IntArray(provinces)});
  }
}

// Rows received at or after `since` lie no earlier in the feed than the marks of its minute
// say (migrations 0010 and 0016), so a receive-time filter can start the feed just before the
// first of them instead of walking it from the beginning. Without marks nothing was received
// since: the start is the horizon. The xid goes out as text under another name: ORDER BY
// min_xid would otherwise sort the text, and "1073" sorts before "831".
FeedPosition ReceivedSinceStart(pqxx::work& tx, const google::protobuf::Timestamp& since,
                                uint64_t horizon) {
  const pqxx::result first = tx.exec_params(
      "SELECT min_xid::text AS first_xid, min_seq FROM incident_feed_marks "
      "WHERE minute >= sitrep_minute(sitrep_time($1)) ORDER BY min_xid, min_seq LIMIT 1",
      ToMicros(since));
  if (first.empty()) return FeedPosition{horizon, 0};
  return FeedPosition{first[0][0].as<uint64_t>(), first[0][1].as<int64_t>() - 1};
}

void AddIncidentFilter(Conditions& conditions, const v1::IncidentFilter& filter) {
  AddProvinces(conditions, filter.provinces());
  if (!filter.sectors().empty()) {
    conditions.Add("sector = ANY(?::text[])", {ArrayLiteral(filter.sectors())});
  }
  if (filter.min_severity() != v1::SEVERITY_UNSPECIFIED) {
    conditions.Add("severity <= ?::smallint", {std::to_string(filter.min_severity())});
  }
  if (!filter.categories().empty()) {
    conditions.Add("category = ANY(?::text[])", {EnumArray<v1::Category>(filter.categories())});
  }
  if (!filter.statuses().empty()) {
    conditions.Add("status = ANY(?::text[])", {EnumArray<v1::IncidentStatus>(filter.statuses())});
  }
  AddTimeRange(conditions, "occurred_at", filter.occur_time());
  AddTimeRange(conditions, "received_at", filter.receive_time());
  if (filter.enterprise_id() != 0) {
    conditions.Add("enterprise_id = ?::bigint", {std::to_string(filter.enterprise_id())});
  }
  if (!filter.cve_id().empty()) conditions.Add("cve_ids @> ARRAY[?::text]", {filter.cve_id()});
  if (!filter.indicator_value().empty()) {
    conditions.Add("indicators @> jsonb_build_array(jsonb_build_object('value', ?::text))",
                   {filter.indicator_value()});
  }
  if (!filter.title_contains().empty()) {
    conditions.Add("title ILIKE ?::text", {ContainsPattern(filter.title_contains())});
  }
}

void AddAssetFilter(Conditions& conditions, const v1::AssetFilter& filter) {
  AddProvinces(conditions, filter.provinces());
  if (!filter.sectors().empty()) {
    conditions.Add("sector = ANY(?::text[])", {ArrayLiteral(filter.sectors())});
  }
  if (!filter.protocols().empty()) {
    conditions.Add("protocol = ANY(?::text[])", {ArrayLiteral(filter.protocols())});
  }
  if (!filter.vendor().empty()) conditions.Add("lower(vendor) = lower(?::text)", {filter.vendor()});
  if (filter.internet_exposed_only()) conditions.Add("internet_exposed");
  if (!filter.cve_id().empty()) conditions.Add("cve_ids @> ARRAY[?::text]", {filter.cve_id()});
  AddTimeRange(conditions, "last_seen", filter.last_seen_time());
  if (filter.enterprise_id() != 0) {
    conditions.Add("enterprise_id = ?::bigint", {std::to_string(filter.enterprise_id())});
  }
}

FeedPosition PositionOf(const pqxx::row& row, int xid_column) {
  return FeedPosition{row[xid_column].as<uint64_t>(), row[xid_column + 1].as<int64_t>()};
}

// The positions are selected under other names: an output column called feed_xid (as text)
// would be what ORDER BY feed_xid sorts by, and "1000" sorts before "999".
constexpr int kIncidentColumnCount = 24;
constexpr int kAssetColumnCount = 20;
constexpr const char* kPositionColumns =
    ", feed_xid::text AS position_xid, feed_seq AS position_seq";

// Where a caller's incidents come from, with the column saying whether each was redacted.
// incidents_as_seen (storage/schema/03_records.sql) removes the victim's identity in SQL, before
// any filter, for every role. Only the roles that SPEC §3 shows every incident they may read in
// full read the table itself: the same rows and values, and their filters on enterprise_id and
// indicators keep the table's indexes, which the view's computed columns would hide. Every other
// role, including any added later, reads the view.
std::string IncidentSource(const Principal& caller) {
  if (caller.is(v1::ROLE_NATIONAL) || caller.is(v1::ROLE_ADMIN) || caller.is(v1::ROLE_PROVINCIAL)) {
    return std::string(kPositionColumns) + ", false AS redacted FROM incidents";
  }
  return std::string(kPositionColumns) + ", redacted FROM incidents_as_seen";
}

v1::Incident IncidentFromSeenRow(const pqxx::row& row) {
  v1::Incident incident = IncidentFromRow(row);
  incident.set_redacted(row[kIncidentColumnCount + 2].as<bool>());
  return incident;
}

}  // namespace

FeedPage<v1::Incident> FeedStore::ListIncidents(const Principal& caller,
                                                const v1::IncidentFilter& filter,
                                                FeedPosition after, int limit) {
  return InTransaction(pool_, caller, [&](pqxx::work& tx) {
    FeedPage<v1::Incident> page;
    // Read before the page: a horizon no later than the page's own (see FeedPage); the end
    // from the same snapshot, in the same round trip.
    std::tie(page.horizon, page.end) = horizon_.ReadWithEnd(tx);
    FeedPosition start = after;
    if (filter.receive_time().has_start_time()) {
      const FeedPosition since =
          ReceivedSinceStart(tx, filter.receive_time().start_time(), page.horizon);
      start = std::max(start, since);
    }
    Conditions conditions;
    AddFeedWindow(conditions, start, page.horizon);
    AddIncidentFilter(conditions, filter);
    conditions.Limit(limit);
    const std::string sql = std::string("SELECT ") + kIncidentColumns + IncidentSource(caller) +
                            conditions.where() + " ORDER BY feed_xid, feed_seq" +
                            conditions.limit();
    for (const pqxx::row& row : ExecDynamic(tx, sql, conditions.params())) {
      page.records.push_back(IncidentFromSeenRow(row));
      page.positions.push_back(PositionOf(row, kIncidentColumnCount));
    }
    return page;
  });
}

FeedPage<v1::Asset> FeedStore::ListAssets(const Principal& caller, const v1::AssetFilter& filter,
                                          FeedPosition after, int limit) {
  return InTransaction(pool_, caller, [&](pqxx::work& tx) {
    FeedPage<v1::Asset> page;
    std::tie(page.horizon, page.end) = horizon_.ReadWithEnd(tx);
    Conditions conditions;
    AddFeedWindow(conditions, after, page.horizon);
    AddAssetFilter(conditions, filter);
    conditions.Limit(limit);
    const std::string sql = std::string("SELECT ") + kAssetColumns + kPositionColumns +
                            " FROM assets" + conditions.where() + " ORDER BY feed_xid, feed_seq" +
                            conditions.limit();
    for (const pqxx::row& row : ExecDynamic(tx, sql, conditions.params())) {
      page.records.push_back(AssetFromRow(row));
      page.positions.push_back(PositionOf(row, kAssetColumnCount));
    }
    return page;
  });
}

std::optional<v1::Incident> FeedStore::GetIncident(const Principal& caller, int64_t id) {
  return InTransaction(pool_, caller, [&](pqxx::work& tx) -> std::optional<v1::Incident> {
    const pqxx::result result = tx.exec_params(
        std::string("SELECT ") + kIncidentColumns + IncidentSource(caller) + " WHERE id = $1", id);
    if (result.empty()) return std::nullopt;
    return IncidentFromSeenRow(result[0]);
  });
}

std::optional<v1::Asset> FeedStore::GetAsset(const Principal& caller, int64_t id) {
  return InTransaction(pool_, caller, [&](pqxx::work& tx) -> std::optional<v1::Asset> {
    const pqxx::result result =
        tx.exec_params(std::string("SELECT ") + kAssetColumns + " FROM assets WHERE id = $1", id);
    if (result.empty()) return std::nullopt;
    return AssetFromRow(result[0]);
  });
}

FeedPosition FeedStore::Now(const Principal& caller) {
  return InTransaction(pool_, caller, [&](pqxx::work& tx) {
    // Everything below the horizon has ended; the horizon's own transaction may still write.
    const uint64_t horizon = horizon_.Read(tx);
    return FeedPosition{horizon == 0 ? 0 : horizon - 1, INT64_MAX};
  });
}

uint64_t FeedStore::End(const Principal& caller) {
  return InTransaction(pool_, caller, [&](pqxx::work& tx) { return FeedHorizon::ReadEnd(tx); });
}

}  // namespace sitrep::storage
