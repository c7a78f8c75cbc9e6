#pragma once

#include <chrono>
#include <cstdint>
#include <string_view>

#include "bench/binary_copy.h"
#include "sitrep/v1/records.pb.h"

namespace sitrep::bench {

// The columns of incidents (storage/migrations/0003_records.sql) that the ingest path writes,
// in the order AppendIncidentRow encodes them; the others keep their defaults, as they do
// when the server inserts (id, revision, amendment, amendment_note, feed_xid, feed_seq).
inline constexpr std::string_view kIncidentCopyColumns =
    "province, reporter_id, external_id, enterprise_id, sector, category, subcategory, severity, "
    "tlp, sharing_scope, status, occurred_at, detected_at, received_at, updated_at, amended_by, "
    "title, description, indicators, cve_ids, attack_technique_ids, affected_asset_keys, "
    "attributes";

// Appends one row of `incident` as the server stores a first report by `reporter_id` received
// at `received`: enum columns as the value's name without the enum's prefix, unset sharing
// scope and status as PROVINCE and REPORTED, enterprise_id 0 as NULL, indicators as
// [{"type":…,"value":…}] and attributes as a JSON object. `external_id_suffix` is appended to
// the external id, so that the rows can sit beside the server's under the same unique key.
void AppendIncidentRow(BinaryCopyEncoder& encoder, const v1::Incident& incident,
                       int64_t reporter_id, std::string_view external_id_suffix,
                       std::chrono::system_clock::time_point received);

}  // namespace sitrep::bench
