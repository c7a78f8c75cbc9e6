#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "vulns/match.h"

namespace sitrep::v1 {
class Advisory;
}

// CSAF 2.0 documents (OASIS CSAF 2.0, https://docs.oasis-open.org/csaf/csaf/v2.0/) read and
// checked without network: the server stores them, the collector checks them before pushing
// (one parser, so both say the same). Pure: no I/O.
//
// A document is accepted when it parses within the limits below, keeps the schema constraints
// sitrep relies on, and passes the mandatory tests of CSAF 2.0 §6.1 that need no network.
// Otherwise every problem found is returned, each naming the JSON pointer it is about and the
// rule (a schema constraint, or a mandatory test by number and name).
//
// Schema constraints checked ("schema: …"): required members and their JSON types; the enums
// of /document/category profiles' fields that sitrep reads (csaf_version, publisher category,
// tracking status, TLP label, note/reference/remediation/branch/relationship categories, CVSS
// version and severity); date-time format (RFC 3339); tracking id and version patterns; the CVE
// and CWE id patterns; non-empty strings and arrays where the schema says minLength/minItems 1.
// Mandatory tests checked (§6.1):
//   6.1.1 Missing Definition of Product ID        6.1.2 Multiple Definition of Product ID
//   6.1.3 Circular Definition of Product ID       6.1.4 Missing Definition of Product Group ID
//   6.1.5 Multiple Definition of Product Group ID 6.1.6 Contradicting Product Status
//   6.1.7 Multiple Scores with same Version per Product
//   6.1.8 Invalid CVSS (vector pattern of its version)
//   6.1.9 Invalid CVSS computation (v3.x base score and severity recomputed from the vector)
//   6.1.11 CWE (id pattern only: the CWE catalog is not bundled, so the name is not compared)
//   6.1.14 Sorted Revision History                6.1.15 Translator
//   6.1.16 Latest Document Version                6.1.17 Document Status Draft
//   6.1.18 Released Revision in Revision History  6.1.19 Revision History Entries for
//          Pre-release Versions                   6.1.20 Non-draft Document Version
//   6.1.21 Missing Item in Revision History       6.1.22 Multiple Definition in Revision History
//   6.1.23 Multiple Use of Same CVE               6.1.27.1–6.1.27.8 profile tests
//   6.1.28 Translation                            6.1.29 Remediation without Product Reference
//   6.1.30 Mixed Integer and Semantic Versioning  6.1.31 Version Range in Product Version
// Not checked: 6.1.10 (CVSS property consistency: the CISA documents carry no per-metric
// properties), 6.1.12 (language tags), 6.1.13 (PURL), 6.1.24–6.1.26, 6.1.27.9–6.1.27.11,
// 6.1.32, 6.1.33 (none of their inputs occur in the shipped data).
namespace sitrep::vulns {

inline constexpr std::size_t kMaxCsafBytes = std::size_t{2} * 1024 * 1024;
// Deeper nesting than any real document (the CISA ones reach 9) is refused before parsing,
// so hostile input cannot exhaust the stack of the parser or of the walks below.
inline constexpr int kMaxCsafDepth = 64;

// A point in time read from an RFC 3339 date-time.
struct CsafTime {
  std::string text;          // as written
  std::int64_t seconds = 0;  // since the Unix epoch, UTC
  std::int32_t nanos = 0;
};

struct CsafRevision {
  std::string number;
  CsafTime date;
  std::string summary;
};

// A product the document defines: a product tree leaf (branch path, vendor, product name and
// version or range), a full_product_names entry or a relationship's full_product_name (their
// branch has only the product's name).
struct CsafProduct {
  std::string product_id;
  std::string full_name;  // the product's "name"
  ProductBranch branch;
};

struct CsafScore {
  std::string version;  // "3.0", "3.1", "4.0"
  double base_score = 0;
  std::string base_severity;
  std::string vector;
  std::vector<std::string> product_ids;
};

struct CsafRemediation {
  std::string category;
  std::string details;
  std::string url;
  std::vector<std::string> product_ids;
};

struct CsafVulnerability {
  std::string cve;
  std::string cwe_id;
  std::string cwe_name;
  std::string title;
  std::vector<CsafScore> scores;  // cvss_v3 and cvss_v4 objects, in document order
  std::vector<CsafRemediation> remediations;
  std::vector<std::string> references;      // URLs
  std::vector<std::string> known_affected;  // product_status.known_affected
};

struct CsafAdvisory {
  std::string category;  // "csaf_security_advisory", …
  std::string title;
  std::string tracking_id;
  std::string version;
  std::string status;
  CsafTime initial_release;
  CsafTime current_release;
  std::vector<CsafRevision> revisions;
  std::string publisher_name;
  std::string publisher_category;
  std::string tlp_label = "CLEAR";  // as written (TLP 1.0 "WHITE" …); CLEAR when absent
  std::string self_url;  // the human-readable self reference, else the first self reference
  std::vector<CsafProduct> products;
  std::vector<CsafVulnerability> vulnerabilities;
};

struct CsafProblem {
  std::string path;     // JSON pointer: "/vulnerabilities/3/cve"; "" for the whole document
  std::string rule;     // "schema: pattern", "6.1.1 Missing Definition of Product ID", …
  std::string message;  // one sentence
};

struct CsafParseResult {
  std::optional<CsafAdvisory> advisory;  // set exactly when problems is empty
  std::vector<CsafProblem> problems;
};

[[nodiscard]] CsafParseResult ParseCsaf(std::string_view json);

// "path: rule: message", the form the collector's reject log and the server's Rejection use.
[[nodiscard]] std::string DescribeProblem(const CsafProblem& problem);

// The one mapping of a parsed document onto Advisory's output fields (tracking_id, title,
// version, times, publisher, TLP, revision history, vulnerabilities, products_affected,
// cve_ids, max_cvss, vendors, products). Leaves csaf_document and the stored-state fields
// (stub, revision, known_exploited, matched_assets, cursor) alone.
void FillAdvisory(const CsafAdvisory& parsed, v1::Advisory& out);

}  // namespace sitrep::vulns
