#include "escalation/kev_catalog.h"

#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "domain/record_checks.h"

namespace sitrep::escalation {
namespace {

std::string TextField(const nlohmann::json& object, const char* name) {
  const auto found = object.find(name);
  return found != object.end() && found->is_string() ? found->get<std::string>() : std::string();
}

}  // namespace

std::optional<KevCatalog> KevCatalog::Parse(std::string_view json, std::string& error) {
  const nlohmann::json document = nlohmann::json::parse(json, nullptr, false);
  if (document.is_discarded() || !document.is_object()) {
    error = "is not a JSON object";
    return std::nullopt;
  }
  const auto vulnerabilities = document.find("vulnerabilities");
  if (vulnerabilities == document.end() || !vulnerabilities->is_array()) {
    error = "has no \"vulnerabilities\" array (not a CISA KEV catalog)";
    return std::nullopt;
  }
  KevCatalog catalog;
  catalog.version_ = TextField(document, "catalogVersion");
  size_t index = 0;
  for (const nlohmann::json& item : *vulnerabilities) {
    const std::string cve = item.is_object() ? TextField(item, "cveID") : std::string();
    // The same check as pushed records' CVE ids, so that a listed id can match one.
    if (!IsValidCveId(cve)) {
      error = "entry " + std::to_string(index) + " has no valid cveID";
      return std::nullopt;
    }
    catalog.entries_[cve] = {TextField(item, "vendorProject"),
                             TextField(item, "product"),
                             TextField(item, "vulnerabilityName"),
                             TextField(item, "requiredAction"),
                             TextField(item, "dueDate"),
                             TextField(item, "dateAdded"),
                             TextField(item, "knownRansomwareCampaignUse") == "Known"};
    ++index;
  }
  std::vector<std::string> ids;
  ids.reserve(catalog.entries_.size());
  for (const auto& [id, entry] : catalog.entries_) ids.push_back(id);
  std::sort(ids.begin(), ids.end());
  catalog.cve_ids_ = std::make_shared<const std::vector<std::string>>(std::move(ids));
  return catalog;
}

std::optional<KevCatalog> KevCatalog::Load(const std::filesystem::path& path, std::string& error) {
  std::ifstream file(path, std::ios::binary);
  if (!file) {
    error = "cannot be read";
    return std::nullopt;
  }
  std::ostringstream text;
  text << file.rdbuf();
  return Parse(text.str(), error);
}

const KevEntry* KevCatalog::Find(std::string_view cve_id) const {
  const auto found = entries_.find(std::string(cve_id));
  return found == entries_.end() ? nullptr : &found->second;
}

}  // namespace sitrep::escalation
