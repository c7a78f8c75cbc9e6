#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "bench/binary_copy.h"
#include "sitrep/v1/records.pb.h"

namespace sitrep::bench {

// The columns of incidents that the ingest path writes, in the order AppendIncidentRow encodes
// them: storage's first report (storage/incident_columns.h), then received_at, updated_at and
// amended_by. The others keep their defaults, as they do when the server inserts (id,
// revision, amendment, amendment_note, feed_xid, feed_seq).
[[nodiscard]] std::string IncidentCopyColumns();

// Appends one row of `incident` as the server stores a first report by `reporter_id` received
// at `received` (storage::AppendFirstReport, so the two cannot drift apart), in binary COPY.
// `external_id_suffix` is appended to the external id, so that the rows can sit beside the
// server's under the same unique key.
void AppendIncidentRow(BinaryCopyEncoder& encoder, const v1::Incident& incident,
                       int64_t reporter_id, std::string_view external_id_suffix,
                       std::chrono::system_clock::time_point received);

}  // namespace sitrep::bench
