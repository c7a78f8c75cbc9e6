#pragma once

#include <cstddef>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace sitrep::escalation {

// What the known-exploited catalog says of one CVE, as shown in the notice it raises.
struct KevEntry {
  std::string vendor_project;
  std::string product;
  std::string vulnerability_name;
  std::string required_action;
  std::string due_date;               // YYYY-MM-DD, CISA's remediation date for US federal agencies
  std::string date_added;             // YYYY-MM-DD
  bool known_ransomware_use = false;  // knownRansomwareCampaignUse is "Known"
};

// The known-exploited CVE list (SPEC §5) in CISA's KEV feed format
// (known_exploited_vulnerabilities.json: {"catalogVersion": …, "vulnerabilities":
// [{"cveID": …, "vendorProject": …, …}]}). An immutable value; share it across threads freely.
class KevCatalog final {
 public:
  KevCatalog() = default;  // empty: the KEV rule raises nothing

  // Parses the feed; nullopt with `error` set (one sentence) when `json` is not that format
  // or an entry has no valid cveID. Fields other than cveID may be missing.
  [[nodiscard]] static std::optional<KevCatalog> Parse(std::string_view json, std::string& error);
  // Reads and parses `path`; nullopt with `error` set when it cannot be read or parsed.
  [[nodiscard]] static std::optional<KevCatalog> Load(const std::filesystem::path& path,
                                                      std::string& error);

  // The entry of `cve_id` (exact, upper-case id), or nullptr when it is not known-exploited.
  [[nodiscard]] const KevEntry* Find(std::string_view cve_id) const;
  // Every listed CVE id, sorted (for views that count assets carrying one), made once at
  // parse time: the situation overview asks for it on every call.
  [[nodiscard]] const std::vector<std::string>& CveIds() const { return *cve_ids_; }
  [[nodiscard]] std::shared_ptr<const std::vector<std::string>> SharedCveIds() const {
    return cve_ids_;
  }
  [[nodiscard]] size_t size() const { return entries_.size(); }
  // Every entry by CVE id (to store the catalog as data: storage/schema/07_vulns.sql).
  [[nodiscard]] const std::unordered_map<std::string, KevEntry>& entries() const {
    return entries_;
  }
  [[nodiscard]] const std::string& version() const { return version_; }

 private:
  std::unordered_map<std::string, KevEntry> entries_;
  std::string version_;
  std::shared_ptr<const std::vector<std::string>> cve_ids_ =
      std::make_shared<const std::vector<std::string>>();
};

}  // namespace sitrep::escalation
