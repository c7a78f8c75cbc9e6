#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "sitrep/v1/vulnerability.pb.h"
#include "storage/tx.h"

// The write side of the vulnerability base (storage/schema/07_vulns.sql): the known-exploited
// catalog, advisory versions, and the matches between assets and advisories. Every function
// runs inside the caller's transaction and throws only when PostgreSQL fails.
namespace sitrep::storage {

// One entry of the known-exploited catalog as kev_entries stores it.
struct KevRow {
  std::string cve_id;
  std::string vendor_project;
  std::string product;
  std::string vulnerability_name;
  std::string date_added;  // YYYY-MM-DD, or "" when unknown
  std::string due_date;    // YYYY-MM-DD, or ""
  bool known_ransomware_use = false;
  std::string required_action;
};

// The stored version of one advisory (sitrep_advisory_versions: whoever may read it).
struct StoredAdvisoryVersion {
  int64_t id = 0;
  bool stub = false;
  std::string version;
  int64_t revision = 0;
  bool readable = false;  // whether the transaction's caller may read it
};

// An advisory version to write: the Advisory with its output fields filled from the document
// (or a stub's fields), and what the store cannot compute itself.
struct AdvisoryWrite {
  const v1::Advisory* advisory = nullptr;
  int64_t reporter_id = 0;
  std::string required_action;             // the notice text of its remediations
  std::vector<std::string> vendor_norms;   // per products_affected entry, vulns::Normalise
  std::vector<std::string> product_norms;  // per products_affected entry
};

// A product leaf that an asset of the same normalised vendor may match.
struct CandidateProduct {
  int64_t advisory_id = 0;
  std::string tracking_id;
  std::string title;
  std::string required_action;
  bool raises_notice = false;  // sitrep_advisory_raises_notice: KEV-listed CVE or CVSS ≥ 9.0
  std::vector<std::string> cve_ids;
  std::string vendor_norm;
  std::string branch_path;
  std::string vendor;
  std::string product;
  std::string expression;
  bool is_range = true;
};

// A stored asset as matching sees it.
struct CandidateAsset {
  int64_t id = 0;
  uint32_t province = 0;
  std::string vendor_norm;
  std::string vendor;
  std::string product;
  std::string version;
  bool internet_exposed = false;
  std::string asset_type;  // "PLC", …
};

// A normalised vendor and a product key (vulns::ProductKey) of it, as assets store them.
struct ProductKeyRef {
  std::string vendor_norm;
  std::string product_key;
};

// One row of asset_advisory_matches.
struct MatchRow {
  int64_t asset_id = 0;
  int64_t advisory_id = 0;
  std::string branch_path;
  std::string expression;
  std::string asset_version;
  std::string verdict;  // "MATCH" or "NEEDS_REVIEW"
  std::string reason;
};

// An asset stored before product keys existed (assets.product_key NULL), and its keys once
// computed (vulns::Normalise, vulns::ProductKey).
struct UnkeyedAsset {
  int64_t id = 0;
  std::string vendor;
  std::string product;
};
struct AssetKeys {
  int64_t id = 0;
  std::string vendor_norm;
  std::string product_key;
};

// A stored MATCH of an internet-exposed asset to an advisory that raises notices now
// (sitrep_advisory_raises_notice), with what the advisory rule's notice names.
struct StoredExposure {
  CandidateAsset asset;
  CandidateProduct product;  // the matched leaf and its advisory
  std::string reason;
};

class VulnStore final {
 public:
  // Replaces the whole known-exploited catalog with `entries` (run in a transaction of its
  // own, so readers see the old catalog or the new one).
  static void ReplaceKevCatalog(Tx& tx, std::span<const KevRow> entries,
                                const std::string& catalog_version);

  // The stored versions of the advisories of `tracking_ids`, by tracking id; absent ones are
  // not stored yet.
  [[nodiscard]] static std::unordered_map<std::string, StoredAdvisoryVersion> StoredVersions(
      Tx& tx, const std::vector<std::string>& tracking_ids);

  // Stores a new advisory (revision 1) under the transaction's caller; returns its id.
  [[nodiscard]] static int64_t InsertAdvisory(Tx& tx, const AdvisoryWrite& write,
                                              std::chrono::system_clock::time_point now);

  // Makes `write` the current version of stored advisory `id`: the current one moves to
  // advisory_revisions unless it is a stub (a stub is no version), and the product leaves and
  // vulnerabilities are replaced. Returns the new revision number.
  static int64_t ReplaceAdvisory(Tx& tx, int64_t id, const AdvisoryWrite& write,
                                 std::chrono::system_clock::time_point now);

  // The product leaves of normalised vendors `vendor_norms` (of the advisories
  // `only_advisories`, or of all when it is empty), whoever may read them.
  [[nodiscard]] static std::vector<CandidateProduct> CandidateProducts(
      Tx& tx, const std::vector<std::string>& vendor_norms,
      const std::vector<int64_t>& only_advisories);

  // The stored assets carrying one of the (vendor, product key) pairs `keys` (distinct), or of
  // ids `asset_ids`, whoever may read them.
  [[nodiscard]] static std::vector<CandidateAsset> CandidateAssets(
      Tx& tx, std::span<const ProductKeyRef> keys, const std::vector<int64_t>& asset_ids);

  // Up to `page` assets without a product key, of ids above `after_id`, in id order.
  [[nodiscard]] static std::vector<UnkeyedAsset> UnkeyedAssets(Tx& tx, int64_t after_id, int page);

  // Writes the keys of assets that have none yet (a keyed asset is left as it is).
  static void KeyAssets(Tx& tx, std::span<const AssetKeys> keys);

  // Up to `limit` stored MATCHes of internet-exposed assets to advisories that raise notices,
  // after (after_asset, after_advisory) in (asset, advisory) order, whoever may read them.
  [[nodiscard]] static std::vector<StoredExposure> ExposedMatchesRaisingNotice(
      Tx& tx, int64_t after_asset, int64_t after_advisory, int limit);

  // Deletes every match of the assets `asset_ids` and of the advisories `advisory_ids`, then
  // stores `matches` at `now`. Returns how many were stored.
  static int64_t ReplaceMatches(Tx& tx, const std::vector<int64_t>& asset_ids,
                                const std::vector<int64_t>& advisory_ids,
                                std::span<const MatchRow> matches,
                                std::chrono::system_clock::time_point now);
};

}  // namespace sitrep::storage
