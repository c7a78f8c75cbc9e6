#pragma once

#include <array>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sitrep/v1/notification.pb.h"
#include "sitrep/v1/records.pb.h"
#include "sitrep/v1/vulnerability.pb.h"

namespace sitrep::stix {

// The outbound STIX 2.1 mapping of sitrep's records (docs/stix-mapping.md, the one place that
// says where each field goes). Pure: records in, STIX objects (JSON) out; no I/O. Every id is a
// UUIDv5 of what the object stands for in the namespace of the exporting sitrep instance, and
// created/modified come from the record's revisions, so a re-export is byte-for-byte the same
// and an amendment is a new version of the same object.

using Json = nlohmann::json;

// RFC 4122 UUID version 5 (SHA-1) of `name` in `name_space` (16 bytes), as lower-case text.
[[nodiscard]] std::string Uuid5(const std::array<uint8_t, 16>& name_space, std::string_view name);
// The 16 bytes of a textual UUID, or nullopt.
[[nodiscard]] std::optional<std::array<uint8_t, 16>> ParseUuid(std::string_view text);

// Whose export this is: `instance` names the sitrep deployment (e.g. "cn-national"); its UUIDv5
// in sitrep's own namespace is the namespace of every id it exports, so two deployments never
// mint the same id for their own records.
struct Exporter {
  std::string instance = "sitrep";
  std::string name = "sitrep";  // the identity object's name, shown by STIX tools
};

// Published ids (docs/stix-mapping.md, "Markings").
inline constexpr std::string_view kIncidentCoreExtension =
    "extension-definition--ef765651-680c-498d-9894-99799f2fa126";
inline constexpr std::string_view kTlp2Extension =
    "extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d";

// The marking-definition id TLP 2.0 publishes for `tlp`; TLP_UNSPECIFIED is treated as the
// server treats it on input (AMBER).
[[nodiscard]] std::string TlpMarkingId(v1::Tlp tlp);

// The objects every export refers to and a bundle of it must carry for its references to
// resolve: the instance's identity, the five TLP 2.0 marking definitions, and the TLP 2.0 and
// Incident Core extension definitions (as OASIS publishes them).
[[nodiscard]] std::vector<Json> ReferenceObjects(const Exporter& exporter);
[[nodiscard]] std::string IdentityId(const Exporter& exporter);

// The STIX id `record_kind` ("incident", "asset") record `id` is exported under: the
// incident's `incident--…`, the asset's `infrastructure--…`.
[[nodiscard]] std::string IncidentId(const Exporter& exporter, int64_t incident_id);
[[nodiscard]] std::string AssetId(const Exporter& exporter, int64_t asset_id);
[[nodiscard]] std::string VulnerabilityId(const Exporter& exporter, std::string_view cve_id);
[[nodiscard]] std::string AdvisoryReportId(const Exporter& exporter, std::string_view tracking_id);

// The objects of one incident as the caller received it (redacted or not): the incident with
// the Incident Core extension, an indicator and a cyber-observable per indicator, vulnerability
// objects for its CVEs, and the relationships tying them (ATT&CK techniques by MITRE's own
// attack-pattern ids). The incident comes first. Objects shared between records (a CVE's
// vulnerability) have one version that never changes.
[[nodiscard]] std::vector<Json> ExportIncident(const Exporter& exporter,
                                               const v1::Incident& incident);

// An asset: infrastructure, its software (and address) as cyber-observables, its CVEs, and the
// owning enterprise as an identity when the record names it.
[[nodiscard]] std::vector<Json> ExportAsset(const Exporter& exporter, const v1::Asset& asset);

// A notice: a report referring to the incidents, assets and CVEs it names, and a note per
// target that answered with feedback.
[[nodiscard]] std::vector<Json> ExportNotification(const Exporter& exporter,
                                                   const v1::Notification& notification);

// An advisory as the caller received it (ListAdvisories: without its document): a `report`
// (report_types vulnerability) under the advisory's TLP referring to a `vulnerability` per CVE,
// the report first. A stub whose tracking id is a CVE id is that CVE's vulnerability alone.
[[nodiscard]] std::vector<Json> ExportAdvisory(const Exporter& exporter,
                                               const v1::Advisory& advisory);

// The MITRE attack-pattern id of ATT&CK for ICS technique `technique_id` ("T0831"), or nullopt
// when the technique is unknown, revoked or deprecated.
[[nodiscard]] std::optional<std::string> AttackPatternId(std::string_view technique_id);

// A STIX timestamp (UTC, millisecond precision).
[[nodiscard]] std::string StixTime(const google::protobuf::Timestamp& time);

}  // namespace sitrep::stix
