#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>

#include "domain/field_violation.h"
#include "domain/reference_codes.h"
#include "sitrep/v1/records.pb.h"

namespace sitrep {

// Input limits of incidents and assets (SPEC §2; documented in records.proto and the README).
inline constexpr size_t kMaxExternalIdChars = 128;  // external_id, asset_key
inline constexpr size_t kMaxTitleChars = 300;
inline constexpr size_t kMaxDescriptionChars = 20'000;
inline constexpr size_t kMaxSubcategoryChars = 100;
inline constexpr size_t kMaxIndicators = 100;
inline constexpr size_t kMaxIndicatorChars = 2'048;  // a URL may be long
inline constexpr size_t kMaxCveIds = 100;
inline constexpr size_t kMaxTechniqueIds = 50;
inline constexpr size_t kMaxAssetKeys = 100;
inline constexpr size_t kMaxAttributes = 50;
inline constexpr size_t kMaxAttributeKeyChars = 100;
inline constexpr size_t kMaxAttributeValueChars = 1'000;
inline constexpr size_t kMaxAssetTextChars = 200;  // vendor, product, version
inline constexpr size_t kMaxProtocolChars = 40;    // protocol: [a-z0-9_]
// How far in the future a reported time may lie (clock skew between collector and server).
inline constexpr std::chrono::minutes kMaxClockSkew{5};

// Every wrong field of an incident as a collector or enterprise sends it, with paths under
// `prefix` ("incident" → "incident.title"; "" → "title"). Output-only fields are ignored.
// Checks enumerations (no _UNSPECIFIED except status and sharing_scope, which default),
// province and sector codes, UTF-8 and lengths, indicators by type, CVE ids (CVE-YYYY-NNNN+),
// ATT&CK for ICS ids (T0NNN), times (1990 ≤ occur ≤ detect ≤ now + kMaxClockSkew).
// Items are named by index ("incident.cve_ids[2]") and attributes by key
// ("incident.attributes[\"plant\"]", or just "incident.attributes" when the key is not UTF-8);
// a list over its limit is one TOO_MANY violation and its items go unchecked.
// Reasons: REQUIRED, TOO_LONG, INVALID_UTF8, CONTROL_CHARACTER (text, as CheckText),
// UNKNOWN_PROVINCE, UNKNOWN_SECTOR, OUT_OF_RANGE, INVALID_ENUM, TOO_MANY, INVALID_INDICATOR,
// INVALID_CVE_ID, INVALID_TECHNIQUE_ID, INVALID_TIMESTAMP, TOO_EARLY, IN_FUTURE,
// BEFORE_OCCUR_TIME (on detect_time).
// Whether the caller may report for that province or enterprise is not decided here.
[[nodiscard]] FieldViolations CheckIncident(const v1::Incident& incident,
                                            const ReferenceCodes& codes,
                                            std::chrono::system_clock::time_point now,
                                            const std::string& prefix = "incident");

// The same for an asset: asset_key, province, sector (empty allowed: "other"), ip (IPv4 or
// IPv6, no port; empty allowed), port 0..65535, enums, protocol code, text lengths, CVE ids,
// last_seen_time (not before 1990, not after now + kMaxClockSkew), attributes.
// Reasons as CheckIncident's, plus INVALID_IP and INVALID_PROTOCOL.
[[nodiscard]] FieldViolations CheckAsset(const v1::Asset& asset, const ReferenceCodes& codes,
                                         std::chrono::system_clock::time_point now,
                                         const std::string& prefix = "asset");

// True for "CVE-" + 4-digit year ≥ 1999 + "-" + 4 to 19 digits, without a leading zero when
// longer than 4 (CVE's own syntax: CVE-2014-0160, CVE-2021-44228).
[[nodiscard]] bool IsValidCveId(std::string_view id);
// True for an ATT&CK for ICS technique id "T0NNN" (optionally ".NNN" for a sub-technique).
[[nodiscard]] bool IsValidIcsTechniqueId(std::string_view id);

}  // namespace sitrep
