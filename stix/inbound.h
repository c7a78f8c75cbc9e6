#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sitrep/v1/records.pb.h"

namespace sitrep::stix {

// STIX 2.1 from peers → sitrep records (issue 19; the mapping is docs/stix-inbound.md). Pure:
// no I/O, no gRPC, no SQL. The caller (the TAXII POST handler, sitrep-collector --format stix
// and --format taxii) pushes the records with the poster's own principal, so the poster's write
// permissions and the server's field checks apply to them as to any Push.

// The largest STIX document (envelope or bundle) ParseStixDocument takes.
inline constexpr size_t kMaxStixDocumentBytes = size_t{256} << 20;
// Nesting below one object of an envelope deeper than this rejects that object (alone).
inline constexpr int kMaxObjectDepth = 32;

// What the poster's context adds to objects that do not say it themselves.
struct InboundContext {
  // The province of an incident that carries no x_sitrep_province: the posting principal's
  // province (a provincial collector or enterprise), or sitrep-collector's --province. Unset
  // (a national poster): such an incident is rejected, naming x_sitrep_province.
  std::optional<uint32_t> default_province;
};

// What became of one STIX object.
struct ObjectVerdict {
  enum class Outcome {
    kRecord,   // `record` holds the sitrep record to push
    kFolded,   // an indicator folded into an incident of the same envelope (`message` says which)
    kIgnored,  // valid STIX that sitrep does not store (relationships, markings, attack-patterns…)
    kRejected,  // invalid: `message` names the property
  };
  Outcome outcome = Outcome::kRejected;
  std::string stix_id;  // the object's id when it is a string of sane length, else empty
  std::string type;     // the object's type, likewise
  // The object's version: `modified` (or `created` when it has none), as sent. With stix_id the
  // idempotency key: see CompareStixVersions.
  std::string version;
  v1::Record record;  // kRecord only
  // kRejected: "objects[17].created: not a STIX timestamp"; kIgnored / kFolded: why, one sentence.
  std::string message;
  // kRejected: the offending property's path, e.g. "objects[17].created".
  std::string property;
  // kFolded: the STIX ids of the incidents it was folded into (it shares their fate).
  std::vector<std::string> folded_into;
};

// Maps one STIX object (the element at `path`, e.g. "objects[3]") to a verdict. Never throws.
// Checks the common properties (type, spec_version 2.1, id = type--UUID, created and modified
// timestamps with modified ≥ created, object_marking_refs as marking-definition ids) and then
// the type's own: incident (with or without the Incident Core extension) and indicator become
// incidents, vulnerability an advisory stub; other types are kIgnored.
[[nodiscard]] ObjectVerdict ConvertObject(const nlohmann::json& object, const std::string& path,
                                          const InboundContext& context);

// The verdicts of a TAXII envelope or a STIX bundle: one per element of its "objects" array, in
// order, so that one bad object never costs the others. What a relationship of the same document
// ties to an incident of the same document is folded into it (kFolded) instead of becoming a
// record of its own: an indicator (`indicates`, or `related-to` as sitrep's export writes it)
// into its indicators, a vulnerability with a CVE id (`related-to`) into its cve_ids.
struct DocumentVerdicts {
  std::string error;  // the document as a whole is unusable (not an object, no objects array)
  std::vector<ObjectVerdict> objects;
};
[[nodiscard]] DocumentVerdicts ConvertDocument(const nlohmann::json& document,
                                               const InboundContext& context);

// Parses STIX JSON text of at most kMaxStixDocumentBytes. Bytes that are not UTF-8 do not fail
// the document: they fail only the object whose mapped property holds them ("not valid UTF-8"),
// and nesting deeper than kMaxObjectDepth fails only its object. Returns nullopt with one
// sentence in `error` when the text is not JSON at all.
[[nodiscard]] std::optional<nlohmann::json> ParseStixDocument(std::string_view text,
                                                              std::string& error);

// How a received version relates to the stored one of the same STIX id (both `modified`
// values as sent; each a STIX timestamp).
enum class VersionOrder { kNewer, kSame, kOlder };
// kNewer: the received object is an amendment of the stored one; kSame: a duplicate (nothing
// changes); kOlder: a stale copy (nothing changes). nullopt when either is not a STIX timestamp.
[[nodiscard]] std::optional<VersionOrder> CompareStixVersions(std::string_view stored,
                                                              std::string_view received);

// The indicators of a STIX pattern sitrep can hold: comparisons of ipv4-addr, ipv6-addr,
// domain-name, url and email-addr values and of MD5 / SHA-256 file hashes with "=", joined by OR
// within and between observation expressions ("[a = 'x' OR b = 'y'] OR [c = 'z']"). nullopt for
// anything else (AND, other operators or properties, qualifiers): sitrep could not search it.
[[nodiscard]] std::optional<std::vector<v1::Indicator>> ParsePattern(std::string_view pattern);

// The TLP 2.0 (and TLP 1.0) marking-definition ids sitrep reads, and the level each stands for.
// nullopt for any other id.
[[nodiscard]] std::optional<v1::Tlp> TlpOfMarking(std::string_view marking_id);

}  // namespace sitrep::stix
