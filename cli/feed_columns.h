#pragma once

#include "cli/output.h"
#include "cli/reference_words.h"
#include "sitrep/v1/records.pb.h"

namespace sitrep::cli {

// The tables of the feed commands. `words` names provinces and sectors and must outlive the
// columns. In each row table the last column (the title, the product) is the one to cut to the
// terminal's width.

// One incident per row: ID, REV, RECEIVED, PROV, SECTOR, SEVERITY (coloured), CATEGORY,
// STATUS, TLP, TITLE.
[[nodiscard]] Columns<v1::Incident> IncidentRowColumns(const ReferenceWords& words);

// Every field of one incident, one per line; lists (indicators, attributes) one item per line.
[[nodiscard]] Columns<v1::Incident> IncidentFieldColumns(const ReferenceWords& words);

// One asset per row: ID, PROV, SECTOR, ADDRESS, PROTOCOL, TYPE, EXPOSED, CVES (how many),
// LAST SEEN, PRODUCT (vendor, product and version).
[[nodiscard]] Columns<v1::Asset> AssetRowColumns(const ReferenceWords& words);

// Every field of one asset, one per line.
[[nodiscard]] Columns<v1::Asset> AssetFieldColumns(const ReferenceWords& words);

}  // namespace sitrep::cli
