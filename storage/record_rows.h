#pragma once

#include <string>

#include "sitrep/v1/records.pb.h"

// Reading incident and asset rows into their protos; internal to storage/. Each kColumns list
// is what the matching FromRow expects, in order, for tables of the incidents (or
// incident_revisions) and assets shape.

namespace pqxx {
class row;
}  // namespace pqxx

namespace sitrep::storage {

extern const char* const kIncidentColumns;
extern const char* const kAssetColumns;

[[nodiscard]] v1::Incident IncidentFromRow(const pqxx::row& row);
[[nodiscard]] v1::Asset AssetFromRow(const pqxx::row& row);

// The JSON that the ingest path stores in incidents.indicators.
[[nodiscard]] std::string IndicatorsJson(const v1::Incident& incident);

}  // namespace sitrep::storage
