#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "sitrep/v1/records.pb.h"
#include "storage/record_rows.h"
#include "storage/sql_types.h"

namespace sitrep::storage {

// How a first report of an incident is stored, for every writer of incident rows: the
// server's staging COPY (incident_store.cc) and sitrep-bench's binary COPY baseline, which
// must store exactly what the server stores.

// The columns AppendFirstReport writes, in its order; times as microseconds since the Unix
// epoch. The other columns are the writer's: received_at, updated_at and amended_by (the
// reporter) and those left to their defaults.
inline constexpr std::string_view kFirstReportColumns =
    "province, reporter_id, external_id, enterprise_id, sector, category, subcategory, severity, "
    "tlp, sharing_scope, status, occurred_at, detected_at, title, description, indicators, "
    "cve_ids, attack_technique_ids, affected_asset_keys, attributes";
inline constexpr int kFirstReportColumnCount = 20;

// The statement that records the receive-time marks of the incident feed
// (storage/schema/03_records.sql, incident_feed_marks), which every writer of incident rows runs
// in the transaction that wrote them: per minute of receive time (`minute`, a timestamptz
// expression over the rows), the smallest feed position this backend wrote, kept when smaller
// than the one it already marked. `rows` follows FROM: the rows this transaction wrote, with
// their feed_xid and feed_seq, grouped by the minute when they span several.
inline std::string FeedMarkSql(std::string_view minute, std::string_view rows) {
  return std::string(
             "INSERT INTO incident_feed_marks AS m (minute, backend, min_xid, min_seq) "
             "SELECT sitrep_minute(") +
         std::string(minute) + "), pg_backend_pid(), min(feed_xid), min(feed_seq) FROM " +
         std::string(rows) +
         " ON CONFLICT (minute, backend) DO UPDATE "
         "SET min_xid = EXCLUDED.min_xid, min_seq = EXCLUDED.min_seq "
         "WHERE (EXCLUDED.min_xid, EXCLUDED.min_seq) < (m.min_xid, m.min_seq)";
}

// Appends the values of `incident`, reported by `reporter_id` and stored under `external_id`,
// to `row`: enum columns as EnumText (the writer has set the defaults of sharing scope and status),
// enterprise_id 0 as NULL, indicators as [{"type":…,"value":…}] and attributes as a JSON
// object. `row` is a COPY row of either format: it offers Int (int16_t, int32_t and int64_t
// values), IdOrNull, Text, Null, Micros (a time, microseconds since the Unix epoch), Json,
// TextArray and JsonObject (a protobuf map of strings).
template <class Row>
void AppendFirstReport(Row& row, const v1::Incident& incident, int64_t reporter_id,
                       std::string_view external_id) {
  row.Int(static_cast<int32_t>(incident.province()))
      .Int(reporter_id)
      .Text(external_id)
      .IdOrNull(incident.enterprise_id())
      .Text(incident.sector())
      .Text(EnumText(incident.category()))
      .Text(incident.subcategory())
      .Int(static_cast<int16_t>(incident.severity()))
      .Text(EnumText(incident.tlp()))
      .Text(EnumText(incident.sharing_scope()))  // defaults: ingest/record_writer.cc
      .Text(EnumText(incident.status()));
  if (incident.has_occur_time()) {
    row.Micros(ToMicros(incident.occur_time()));
  } else {
    row.Null();
  }
  if (incident.has_detect_time()) {
    row.Micros(ToMicros(incident.detect_time()));
  } else {
    row.Null();
  }
  row.Text(incident.title())
      .Text(incident.description())
      .Json(IndicatorsJson(incident))
      .TextArray(incident.cve_ids())
      .TextArray(incident.attack_technique_ids())
      .TextArray(incident.affected_asset_keys())
      .JsonObject(incident.attributes());
}

}  // namespace sitrep::storage
