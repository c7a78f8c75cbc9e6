#include "storage/vuln_store.h"

#include <nlohmann/json.hpp>

#include "storage/sql_types.h"
#include "storage/tx_work.h"

namespace sitrep::storage {
namespace {

// Lists cross the SQL boundary as one JSON parameter each, so no text is spliced into SQL.
std::string JsonOf(const std::vector<std::string>& values) { return nlohmann::json(values).dump(); }
std::string JsonOf(const std::vector<int64_t>& values) { return nlohmann::json(values).dump(); }

template <class Repeated>
nlohmann::json JsonList(const Repeated& values) {
  nlohmann::json list = nlohmann::json::array();
  for (const auto& value : values) list.push_back(value);
  return list;
}

std::optional<int64_t> MicrosOrNull(bool present, const google::protobuf::Timestamp& time) {
  if (!present) return std::nullopt;
  return ToMicros(time);
}

std::string RevisionHistoryJson(const v1::Advisory& advisory) {
  nlohmann::json history = nlohmann::json::array();
  for (const v1::AdvisoryRevision& revision : advisory.revision_history()) {
    history.push_back({{"number", revision.number()},
                       {"date_micros", ToMicros(revision.date())},
                       {"summary", revision.summary()}});
  }
  return history.dump();
}

std::string ProductsJson(const AdvisoryWrite& write) {
  nlohmann::json rows = nlohmann::json::array();
  const auto& products = write.advisory->products_affected();
  for (int i = 0; i < products.size(); ++i) {
    const v1::AffectedProduct& product = products[i];
    const size_t at = static_cast<size_t>(i);
    rows.push_back(
        {{"ordinal", i},
         {"product_id", product.product_id()},
         {"branch_path", product.branch_path()},
         {"vendor", product.vendor()},
         {"vendor_norm", at < write.vendor_norms.size() ? write.vendor_norms[at] : ""},
         {"product", product.product()},
         {"product_norm", at < write.product_norms.size() ? write.product_norms[at] : ""},
         {"expression", product.version_expression()},
         {"is_range", product.is_range()}});
  }
  return rows.dump();
}

std::string VulnerabilitiesJson(const v1::Advisory& advisory) {
  nlohmann::json rows = nlohmann::json::array();
  for (int i = 0; i < advisory.vulnerabilities_size(); ++i) {
    const v1::Vulnerability& vulnerability = advisory.vulnerabilities(i);
    nlohmann::json scores = nlohmann::json::array();
    for (const v1::CvssScore& score : vulnerability.scores()) {
      scores.push_back({{"version", score.version()},
                        {"base_score", score.base_score()},
                        {"base_severity", score.base_severity()},
                        {"vector", score.vector()}});
    }
    nlohmann::json remediations = nlohmann::json::array();
    for (const v1::Remediation& remediation : vulnerability.remediations()) {
      remediations.push_back({{"category", remediation.category()},
                              {"details", remediation.details()},
                              {"url", remediation.url()}});
    }
    rows.push_back({{"ordinal", i},
                    {"cve_id", vulnerability.cve_id()},
                    {"cwe_id", vulnerability.cwe_id()},
                    {"cwe_name", vulnerability.cwe_name()},
                    {"title", vulnerability.title()},
                    {"scores", scores},
                    {"remediations", remediations},
                    // "references" is an SQL keyword: the record column is named refs.
                    {"refs", JsonList(vulnerability.references())},
                    {"product_ids", JsonList(vulnerability.product_ids())},
                    {"max_base_score", vulnerability.max_base_score()}});
  }
  return rows.dump();
}

void WriteProductsAndVulnerabilities(pqxx::work& tx, int64_t id, const AdvisoryWrite& write) {
  tx.exec_params(
      "INSERT INTO advisory_products (advisory_id, ordinal, product_id, branch_path, vendor, "
      "vendor_norm, product, product_norm, expression, is_range) "
      "SELECT $1, r.ordinal, r.product_id, r.branch_path, r.vendor, r.vendor_norm, r.product, "
      "r.product_norm, r.expression, r.is_range FROM jsonb_to_recordset($2::jsonb) AS "
      "r(ordinal integer, product_id text, branch_path text, vendor text, vendor_norm text, "
      "product text, product_norm text, expression text, is_range boolean)",
      id, ProductsJson(write));
  tx.exec_params(
      "INSERT INTO advisory_vulnerabilities (advisory_id, ordinal, cve_id, cwe_id, cwe_name, "
      "title, scores, remediations, \"references\", product_ids, max_base_score) "
      "SELECT $1, r.ordinal, r.cve_id, r.cwe_id, r.cwe_name, r.title, r.scores, r.remediations, "
      "ARRAY(SELECT jsonb_array_elements_text(r.refs)), "
      "ARRAY(SELECT jsonb_array_elements_text(r.product_ids)), r.max_base_score "
      "FROM jsonb_to_recordset($2::jsonb) AS r(ordinal integer, cve_id text, cwe_id text, "
      "cwe_name text, title text, scores jsonb, remediations jsonb, refs jsonb, "
      "product_ids jsonb, max_base_score double precision)",
      id, VulnerabilitiesJson(*write.advisory));
}

// The columns a version sets, as `column = $n` pairs from $2 on ($1 is the id or unused).
constexpr const char* kVersionColumns[] = {"stub",
                                           "version",
                                           "title",
                                           "publisher",
                                           "tlp",
                                           "published_at",
                                           "current_release_at",
                                           "url",
                                           "vendors",
                                           "products",
                                           "cve_ids",
                                           "max_cvss",
                                           "required_action",
                                           "revision_history",
                                           "document",
                                           "reporter_id",
                                           "updated_at"};

std::string VersionValue(int n, const char* column) {
  const std::string p = "$" + std::to_string(n);
  const std::string name = column;
  if (name == "published_at" || name == "current_release_at" || name == "updated_at") {
    return "sitrep_time(" + p + ")";
  }
  if (name == "vendors" || name == "products" || name == "cve_ids") {
    return "ARRAY(SELECT jsonb_array_elements_text(" + p + "::jsonb))";
  }
  if (name == "revision_history") return p + "::jsonb";
  return p;
}

// Runs `sql`, whose $1 is `first` and $2… the columns of kVersionColumns in order.
template <class First>
pqxx::row ExecVersion(pqxx::work& tx, const std::string& sql, const First& first,
                      const AdvisoryWrite& write, std::chrono::system_clock::time_point now) {
  const v1::Advisory& advisory = *write.advisory;
  return tx.exec_params1(
      sql, first, advisory.stub(), advisory.version(), advisory.title(), advisory.publisher(),
      EnumText(advisory.tlp() == v1::TLP_UNSPECIFIED ? v1::TLP_CLEAR : advisory.tlp()),
      MicrosOrNull(advisory.has_published_time(), advisory.published_time()),
      MicrosOrNull(advisory.has_current_release_time(), advisory.current_release_time()),
      advisory.url(), JsonList(advisory.vendors()).dump(), JsonList(advisory.products()).dump(),
      JsonList(advisory.cve_ids()).dump(), advisory.max_cvss(), write.required_action,
      RevisionHistoryJson(advisory),
      advisory.stub() ? std::optional<std::string>() : std::optional(advisory.csaf_document()),
      write.reporter_id, ToMicros(now));
}

}  // namespace

void VulnStore::ReplaceKevCatalog(Tx& handle, std::span<const KevRow> entries,
                                  const std::string& catalog_version) {
  pqxx::work& tx = Work(handle);
  nlohmann::json rows = nlohmann::json::array();
  for (const KevRow& entry : entries) {
    rows.push_back({{"cve_id", entry.cve_id},
                    {"vendor_project", entry.vendor_project},
                    {"product", entry.product},
                    {"vulnerability_name", entry.vulnerability_name},
                    {"date_added", entry.date_added},
                    {"due_date", entry.due_date},
                    {"known_ransomware_use", entry.known_ransomware_use},
                    {"required_action", entry.required_action}});
  }
  tx.exec0("DELETE FROM kev_entries");
  // A date the catalog writes in another form is stored as unknown rather than refusing the
  // whole catalog.
  tx.exec_params(
      "INSERT INTO kev_entries (cve_id, vendor_project, product, vulnerability_name, date_added, "
      "due_date, known_ransomware_use, required_action, catalog_version) "
      "SELECT DISTINCT ON (r.cve_id) r.cve_id, r.vendor_project, r.product, r.vulnerability_name, "
      "CASE WHEN r.date_added ~ '^\\d{4}-\\d{2}-\\d{2}$' THEN r.date_added::date END, "
      "CASE WHEN r.due_date ~ '^\\d{4}-\\d{2}-\\d{2}$' THEN r.due_date::date END, "
      "r.known_ransomware_use, r.required_action, $2 "
      "FROM jsonb_to_recordset($1::jsonb) AS r(cve_id text, vendor_project text, product text, "
      "vulnerability_name text, date_added text, due_date text, known_ransomware_use boolean, "
      "required_action text) ORDER BY r.cve_id",
      rows.dump(), catalog_version);
}

std::unordered_map<std::string, StoredAdvisoryVersion> VulnStore::StoredVersions(
    Tx& handle, const std::vector<std::string>& tracking_ids) {
  pqxx::work& tx = Work(handle);
  std::unordered_map<std::string, StoredAdvisoryVersion> stored;
  if (tracking_ids.empty()) return stored;
  const pqxx::result rows = tx.exec_params(
      "SELECT id, tracking_id, stub, version, revision, readable FROM "
      "sitrep_advisory_versions(ARRAY(SELECT jsonb_array_elements_text($1::jsonb)))",
      JsonOf(tracking_ids));
  for (const pqxx::row& row : rows) {
    stored.emplace(
        row[1].as<std::string>(),
        StoredAdvisoryVersion{row[0].as<int64_t>(), row[2].as<bool>(), row[3].as<std::string>(),
                              row[4].as<int64_t>(), row[5].as<bool>()});
  }
  return stored;
}

int64_t VulnStore::InsertAdvisory(Tx& handle, const AdvisoryWrite& write,
                                  std::chrono::system_clock::time_point now) {
  pqxx::work& tx = Work(handle);
  std::string columns = "tracking_id";
  std::string values = "$1";
  int n = 2;
  for (const char* column : kVersionColumns) {
    columns += std::string(", ") + column;
    values += ", " + VersionValue(n++, column);
  }
  const std::string sql = "INSERT INTO advisories (" + columns + ", received_at) VALUES (" +
                          values + ", sitrep_time($" + std::to_string(n - 1) + ")) RETURNING id";
  const int64_t id =
      ExecVersion(tx, sql, write.advisory->tracking_id(), write, now)[0].as<int64_t>();
  WriteProductsAndVulnerabilities(tx, id, write);
  return id;
}

int64_t VulnStore::ReplaceAdvisory(Tx& handle, int64_t id, const AdvisoryWrite& write,
                                   std::chrono::system_clock::time_point now) {
  pqxx::work& tx = Work(handle);
  // A stub is no version: the first document takes its place as revision 1.
  tx.exec_params(
      "INSERT INTO advisory_revisions SELECT a.*, sitrep_time($2) FROM advisories a "
      "WHERE a.id = $1 AND NOT a.stub",
      id, ToMicros(now));
  std::string assignments;
  int n = 2;
  for (const char* column : kVersionColumns) {
    assignments += std::string(column) + " = " + VersionValue(n++, column) + ", ";
  }
  // SET reads the row as it was: a stub becomes revision 1.
  const std::string sql = "UPDATE advisories SET " + assignments +
                          "revision = CASE WHEN stub THEN 1 ELSE revision + 1 END, "
                          "feed_xid = pg_current_xact_id(), feed_seq = nextval('record_feed_seq') "
                          "WHERE id = $1 RETURNING revision";
  const int64_t revision = ExecVersion(tx, sql, id, write, now)[0].as<int64_t>();
  tx.exec_params0("DELETE FROM advisory_products WHERE advisory_id = $1", id);
  tx.exec_params0("DELETE FROM advisory_vulnerabilities WHERE advisory_id = $1", id);
  WriteProductsAndVulnerabilities(tx, id, write);
  return revision;
}

std::vector<CandidateProduct> VulnStore::CandidateProducts(
    Tx& handle, const std::vector<std::string>& vendor_norms,
    const std::vector<int64_t>& only_advisories) {
  pqxx::work& tx = Work(handle);
  std::vector<CandidateProduct> products;
  if (vendor_norms.empty()) return products;
  const pqxx::result rows = tx.exec_params(
      "SELECT advisory_id, tracking_id, title, required_action, raises_notice, "
      "array_to_json(cve_ids)::text, vendor_norm, branch_path, vendor, product, expression, "
      "is_range FROM sitrep_match_candidate_products("
      "ARRAY(SELECT jsonb_array_elements_text($1::jsonb)), "
      "ARRAY(SELECT jsonb_array_elements_text($2::jsonb)::bigint))",
      JsonOf(vendor_norms), JsonOf(only_advisories));
  products.reserve(rows.size());
  for (const pqxx::row& row : rows) {
    CandidateProduct product;
    product.advisory_id = row[0].as<int64_t>();
    product.tracking_id = row[1].as<std::string>();
    product.title = row[2].as<std::string>();
    product.required_action = row[3].as<std::string>();
    product.raises_notice = row[4].as<bool>();
    if (!row[5].is_null()) {
      product.cve_ids = nlohmann::json::parse(row[5].c_str()).get<std::vector<std::string>>();
    }
    product.vendor_norm = row[6].as<std::string>();
    product.branch_path = row[7].as<std::string>();
    product.vendor = row[8].as<std::string>();
    product.product = row[9].as<std::string>();
    product.expression = row[10].as<std::string>();
    product.is_range = row[11].as<bool>();
    products.push_back(std::move(product));
  }
  return products;
}

std::vector<CandidateAsset> VulnStore::CandidateAssets(Tx& handle,
                                                       std::span<const ProductKeyRef> keys,
                                                       const std::vector<int64_t>& asset_ids) {
  pqxx::work& tx = Work(handle);
  std::vector<CandidateAsset> assets;
  if (keys.empty() && asset_ids.empty()) return assets;
  std::vector<std::string> vendor_norms;
  std::vector<std::string> product_keys;
  for (const ProductKeyRef& key : keys) {
    vendor_norms.push_back(key.vendor_norm);
    product_keys.push_back(key.product_key);
  }
  const pqxx::result rows = tx.exec_params(
      "SELECT id, province, vendor_norm, vendor, product, version, internet_exposed, asset_type "
      "FROM sitrep_match_candidate_assets(ARRAY(SELECT jsonb_array_elements_text($1::jsonb)), "
      "ARRAY(SELECT jsonb_array_elements_text($2::jsonb)), "
      "ARRAY(SELECT jsonb_array_elements_text($3::jsonb)::bigint))",
      JsonOf(vendor_norms), JsonOf(product_keys), JsonOf(asset_ids));
  assets.reserve(rows.size());
  for (const pqxx::row& row : rows) {
    assets.push_back(CandidateAsset{row[0].as<int64_t>(), row[1].as<uint32_t>(),
                                    row[2].as<std::string>(), row[3].as<std::string>(),
                                    row[4].as<std::string>(), row[5].as<std::string>(),
                                    row[6].as<bool>(), row[7].as<std::string>()});
  }
  return assets;
}

std::vector<UnkeyedAsset> VulnStore::UnkeyedAssets(Tx& handle, int64_t after_id, int page) {
  pqxx::work& tx = Work(handle);
  const pqxx::result rows = tx.exec_params(
      "SELECT id, vendor, product FROM sitrep_unkeyed_assets($1, $2)", after_id, page);
  std::vector<UnkeyedAsset> assets;
  assets.reserve(rows.size());
  for (const pqxx::row& row : rows) {
    assets.push_back({row[0].as<int64_t>(), row[1].as<std::string>(), row[2].as<std::string>()});
  }
  return assets;
}

void VulnStore::KeyAssets(Tx& handle, std::span<const AssetKeys> keys) {
  pqxx::work& tx = Work(handle);
  if (keys.empty()) return;
  std::vector<int64_t> ids;
  std::vector<std::string> vendor_norms;
  std::vector<std::string> product_keys;
  for (const AssetKeys& key : keys) {
    ids.push_back(key.id);
    vendor_norms.push_back(key.vendor_norm);
    product_keys.push_back(key.product_key);
  }
  (void)tx.exec_params(
      "SELECT sitrep_key_assets(ARRAY(SELECT jsonb_array_elements_text($1::jsonb)::bigint), "
      "ARRAY(SELECT jsonb_array_elements_text($2::jsonb)), "
      "ARRAY(SELECT jsonb_array_elements_text($3::jsonb)))",
      JsonOf(ids), JsonOf(vendor_norms), JsonOf(product_keys));
}

std::vector<StoredExposure> VulnStore::ExposedMatchesRaisingNotice(Tx& handle, int64_t after_asset,
                                                                   int64_t after_advisory,
                                                                   int limit) {
  pqxx::work& tx = Work(handle);
  // The leaf is the one the match names (its branch path); the advisory's current version.
  const pqxx::result rows = tx.exec_params(
      "SELECT s.id, s.province, s.vendor_norm, s.vendor, s.product, m.asset_version, "
      "s.internet_exposed, s.asset_type, a.id, a.tracking_id, a.title, a.required_action, "
      "array_to_json(a.cve_ids)::text, m.branch_path, m.expression, m.reason "
      "FROM asset_advisory_matches m JOIN assets s ON s.id = m.asset_id "
      "JOIN advisories a ON a.id = m.advisory_id "
      "WHERE m.verdict = 'MATCH' AND s.internet_exposed "
      "AND sitrep_advisory_raises_notice(a.cve_ids, a.max_cvss) "
      "AND (m.asset_id, m.advisory_id) > ($1::bigint, $2::bigint) "
      "ORDER BY m.asset_id, m.advisory_id LIMIT $3",
      after_asset, after_advisory, limit);
  std::vector<StoredExposure> exposures;
  exposures.reserve(rows.size());
  for (const pqxx::row& row : rows) {
    StoredExposure exposure;
    exposure.asset =
        CandidateAsset{row[0].as<int64_t>(),     row[1].as<uint32_t>(),    row[2].as<std::string>(),
                       row[3].as<std::string>(), row[4].as<std::string>(), row[5].as<std::string>(),
                       row[6].as<bool>(),        row[7].as<std::string>()};
    CandidateProduct& product = exposure.product;
    product.advisory_id = row[8].as<int64_t>();
    product.tracking_id = row[9].as<std::string>();
    product.title = row[10].as<std::string>();
    product.required_action = row[11].as<std::string>();
    product.raises_notice = true;
    if (!row[12].is_null()) {
      product.cve_ids = nlohmann::json::parse(row[12].c_str()).get<std::vector<std::string>>();
    }
    product.vendor_norm = exposure.asset.vendor_norm;
    product.branch_path = row[13].as<std::string>();
    product.expression = row[14].as<std::string>();
    exposure.reason = row[15].as<std::string>();
    exposures.push_back(std::move(exposure));
  }
  return exposures;
}

int64_t VulnStore::ReplaceMatches(Tx& handle, const std::vector<int64_t>& asset_ids,
                                  const std::vector<int64_t>& advisory_ids,
                                  std::span<const MatchRow> matches,
                                  std::chrono::system_clock::time_point now) {
  pqxx::work& tx = Work(handle);
  if (asset_ids.empty() && advisory_ids.empty() && matches.empty()) return 0;
  nlohmann::json rows = nlohmann::json::array();
  for (const MatchRow& match : matches) {
    rows.push_back({{"asset_id", match.asset_id},
                    {"advisory_id", match.advisory_id},
                    {"branch_path", match.branch_path},
                    {"expression", match.expression},
                    {"asset_version", match.asset_version},
                    {"verdict", match.verdict},
                    {"reason", match.reason}});
  }
  return tx
      .exec_params1(
          "SELECT sitrep_replace_matches(ARRAY(SELECT "
          "jsonb_array_elements_text($1::jsonb)::bigint), "
          "ARRAY(SELECT jsonb_array_elements_text($2::jsonb)::bigint), $3::jsonb, sitrep_time($4))",
          JsonOf(asset_ids), JsonOf(advisory_ids), rows.dump(), ToMicros(now))[0]
      .as<int64_t>();
}

}  // namespace sitrep::storage
