#include "collector/csaf_importer.h"

#include <google/protobuf/util/time_util.h>

#include <algorithm>
#include <map>
#include <sstream>

#include "collector/advisory_fields.h"
#include "collector/json_document.h"
#include "collector/utf8_text.h"
#include "domain/record_checks.h"

namespace sitrep::collector {
namespace {

using nlohmann::json;

// What the vulnerabilities say about one affected product_id.
struct Affected {
  CveList cves;
  double cvss = -1;  // highest CVSS v3 base score, -1 when none
  std::string cvss_severity;
};

// A leaf of product_tree with the names of the branches above it.
struct Leaf {
  std::string vendor;
  std::string product;
  std::string version;
  std::string product_id;
  std::string full_name;
};

void CollectLeaves(const json& branches, Leaf path, std::vector<Leaf>& leaves, int depth) {
  if (!branches.is_array() || depth > 32) return;
  for (const json& branch : branches) {
    Leaf here = path;
    const std::string category = StringMember(branch, "category");
    const std::string name = StringMember(branch, "name");
    if (category == "vendor") {
      here.vendor = name;
    } else if (category == "product_name" || category == "product_family") {
      here.product = here.product.empty() ? name : here.product + " " + name;
    } else if (category == "product_version" || category == "product_version_range") {
      here.version = name;
    }
    if (const json* product = Member(branch, "product")) {
      here.product_id = StringMember(*product, "product_id");
      here.full_name = StringMember(*product, "name");
      leaves.push_back(here);
    }
    if (const json* children = ArrayMember(branch, "branches")) {
      CollectLeaves(*children, here, leaves, depth + 1);
    }
  }
}

std::map<std::string, Affected> AffectedProducts(const json& document) {
  std::map<std::string, Affected> affected;
  const json* vulnerabilities = ArrayMember(document, "vulnerabilities");
  if (vulnerabilities == nullptr) return affected;
  for (const json& vulnerability : *vulnerabilities) {
    const json* status = Member(vulnerability, "product_status");
    const json* ids = status == nullptr ? nullptr : ArrayMember(*status, "known_affected");
    if (ids == nullptr) continue;
    const std::string cve = StringMember(vulnerability, "cve");
    double score = -1;
    std::string severity;
    if (const json* scores = ArrayMember(vulnerability, "scores")) {
      for (const json& entry : *scores) {
        const json* cvss = Member(entry, "cvss_v3");
        const json* base = cvss == nullptr ? nullptr : Member(*cvss, "baseScore");
        if (base != nullptr && base->is_number() && base->get<double>() > score) {
          score = base->get<double>();
          severity = StringMember(*cvss, "baseSeverity");
        }
      }
    }
    for (const json& id : *ids) {
      if (!id.is_string()) continue;
      Affected& product = affected[id.get<std::string>()];
      if (!cve.empty()) AddCveId(cve, product.cves);
      if (score > product.cvss) product.cvss = score, product.cvss_severity = severity;
    }
  }
  return affected;
}

std::string SectorNote(const json& document) {
  const json* notes = ArrayMember(document, "notes");
  if (notes == nullptr) return std::string();
  for (const json& note : *notes) {
    if (StringMember(note, "title") == "Critical infrastructure sectors") {
      return StringMember(note, "text");
    }
  }
  return std::string();
}

std::string FormatScore(double score) {
  std::ostringstream text;
  text << score;
  return text.str();
}

}  // namespace

void CsafToAssets(const json& root, const std::string& file, const ExposureRules& rules,
                  ImportChunk& chunk) {
  std::vector<std::string>& errors = chunk.errors;
  const json* document = Member(root, "document");
  const json* tracking = document == nullptr ? nullptr : Member(*document, "tracking");
  const std::string tracking_id =
      tracking == nullptr ? std::string() : CleanLine(StringMember(*tracking, "id"), 64);
  if (tracking_id.empty()) {
    errors.push_back(file + ": not a CSAF document: no document.tracking.id");
    return;
  }
  const json* tree = Member(root, "product_tree");
  if (tree == nullptr || !tree->is_object()) {
    errors.push_back(file + ": " + tracking_id + " has no product_tree");
    return;
  }
  std::vector<Leaf> leaves;
  if (const json* branches = ArrayMember(*tree, "branches")) {
    CollectLeaves(*branches, Leaf{}, leaves, 0);
  }
  if (const json* names = ArrayMember(*tree, "full_product_names")) {
    for (const json& product : *names) {
      leaves.push_back({"", StringMember(product, "name"), "", StringMember(product, "product_id"),
                        StringMember(product, "name")});
    }
  }
  const std::map<std::string, Affected> affected = AffectedProducts(root);
  const std::string sector = SectorFromCisaSectors(SectorNote(*document));
  const std::string title = CleanLine(StringMember(*document, "title"), kMaxAttributeValueChars);
  google::protobuf::Timestamp released;
  const bool has_release = google::protobuf::util::TimeUtil::FromString(
      StringMember(*tracking, "current_release_date"), &released);

  for (const Leaf& leaf : leaves) {
    const auto found = affected.find(leaf.product_id);
    if (found == affected.end()) continue;  // fixed or not affected
    const std::string key = "csaf:" + tracking_id + ":" + CleanLine(leaf.product_id, 64);
    if (key.size() > kMaxExternalIdChars) {
      errors.push_back(file + ": product " + CleanLine(leaf.product_id, 64) +
                       ": asset key longer than 128 characters");
      continue;
    }
    v1::Record record;
    v1::Asset& asset = *record.mutable_asset();
    asset.set_asset_key(key);
    asset.set_vendor(CleanLine(leaf.vendor, kMaxAssetTextChars));
    asset.set_product(
        CleanLine(leaf.product.empty() ? leaf.full_name : leaf.product, kMaxAssetTextChars));
    asset.set_version(CleanLine(leaf.version, kMaxAssetTextChars));
    if (asset.vendor().empty() && asset.product().empty()) {
      errors.push_back(file + ": product " + CleanLine(leaf.product_id, 64) + " has no name");
      continue;
    }
    asset.set_type(AssetTypeFromProduct(asset.product()));
    asset.set_sector(sector);
    const CveList& cves = found->second.cves;
    for (const std::string& cve : cves.ids) asset.add_cve_ids(cve);
    const std::string product = file + ": product " + CleanLine(leaf.product_id, 64) + ": ";
    if (cves.dropped > 0) {
      chunk.warnings.push_back(product + std::to_string(cves.dropped) +
                               " invalid CVE id(s) dropped");
    }
    if (cves.truncated > 0) {
      chunk.warnings.push_back(product + std::to_string(cves.truncated) +
                               " CVE id(s) beyond the first " + std::to_string(kMaxCveIds) +
                               " dropped");
    }
    if (has_release) *asset.mutable_last_seen_time() = released;
    auto& attributes = *asset.mutable_attributes();
    attributes["advisory"] = tracking_id;
    attributes["product_id"] = CleanLine(leaf.product_id, 64);
    attributes["source"] = "CISA CSAF advisory " + tracking_id;
    if (!title.empty()) attributes["title"] = title;
    if (found->second.cvss >= 0) {
      attributes["cvss"] = FormatScore(found->second.cvss);
      const std::string severity = CleanLine(found->second.cvss_severity, 20);
      if (!severity.empty()) attributes["cvss_severity"] = severity;
    }
    SynthesizeExposure(key, rules, asset);
    chunk.records.push_back(std::move(record));
  }
}

CsafSource::CsafSource(std::filesystem::path path, ExposureRules rules)
    : path_(std::move(path)), rules_(std::move(rules)) {}

bool CsafSource::Next(ImportChunk& chunk) {
  chunk.Clear();
  if (done_) return false;
  done_ = true;
  std::string error;
  if (const std::optional<json> document = ParseJsonFile(path_, kMaxCsafBytes, error)) {
    CsafToAssets(*document, path_.string(), rules_, chunk);
  } else {
    chunk.errors.push_back(error);
  }
  chunk.progress.complete = true;
  chunk.progress.line = 1;
  return true;
}

std::vector<std::filesystem::path> CsafFiles(const std::filesystem::path& input) {
  if (!std::filesystem::is_directory(input)) return {input};
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(input)) {
    if (entry.path().extension() == ".json" && !entry.is_directory()) {
      files.push_back(entry.path());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace sitrep::collector
