#include "collector/attack_importer.h"

#include <google/protobuf/util/time_util.h>

#include <algorithm>
#include <map>
#include <set>
#include <vector>

#include "collector/json_document.h"
#include "collector/provinces.h"
#include "collector/stable_hash.h"
#include "collector/utf8_text.h"
#include "domain/record_checks.h"

namespace sitrep::collector {
namespace {

using google::protobuf::Timestamp;
using google::protobuf::util::TimeUtil;
using nlohmann::json;

constexpr const char* kSource =
    "MITRE ATT&CK for ICS, (c) The MITRE Corporation, reproduced under its ATT&CK licence";

bool IsCurrent(const json& object) {
  return !TrueMember(object, "revoked") && !TrueMember(object, "x_mitre_deprecated");
}

std::string AttackId(const json& object) {
  if (const json* references = ArrayMember(object, "external_references")) {
    for (const json& reference : *references) {
      if (StringMember(reference, "source_name") == "mitre-attack") {
        return StringMember(reference, "external_id");
      }
    }
  }
  return std::string();
}

std::string Lowercase(std::string text) {
  for (char& c : text) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return text;
}

bool Mentions(const std::string& lowercase_text, std::initializer_list<std::string_view> words) {
  return std::any_of(words.begin(), words.end(), [&](std::string_view word) {
    return lowercase_text.find(word) != std::string::npos;
  });
}

// ATT&CK descriptions are Markdown with citation marks: "[Triton](https://...) was used
// ...(Citation: FireEye 2017)". A report wants the prose.
std::string PlainDescription(std::string_view markdown) {
  std::string text;
  for (size_t i = 0; i < markdown.size();) {
    if (markdown.substr(i).starts_with("(Citation:")) {
      const size_t close = markdown.find(')', i);
      if (close != std::string_view::npos) {
        i = close + 1;
        continue;
      }
    }
    if (markdown[i] == '[') {
      const size_t close = markdown.find("](", i);
      const size_t end = close == std::string_view::npos ? close : markdown.find(')', close);
      if (end != std::string_view::npos && markdown.find('\n', i) > close) {
        text.append(markdown.substr(i + 1, close - i - 1));
        i = end + 1;
        continue;
      }
    }
    text.push_back(markdown[i++]);
  }
  return CleanParagraphs(text, kMaxDescriptionChars);
}

v1::Severity SeverityOf(const std::string& text) {
  const bool power = Mentions(text, {"power grid", "electric power", "electric utility"});
  if (power && Mentions(text, {"transmission"})) return v1::SEVERITY_I;
  if (power) return v1::SEVERITY_II;
  return v1::SEVERITY_III;
}

std::string SectorOf(const std::string& text) {
  if (Mentions(text, {"triton", "safety instrumented", "petrochemical"})) return "petrochemical";
  if (Mentions(text, {"power", "electric", "heating"})) return "energy";
  if (Mentions(text, {"water"})) return "water";
  return "other";
}

// The STIX objects by id, and what each campaign `uses`.
struct BundleIndex {
  std::map<std::string, const json*> objects;
  std::multimap<std::string, std::string> uses;  // source_ref → target_ref
};

BundleIndex IndexBundle(const json& objects) {
  BundleIndex index;
  for (const json& object : objects) {
    const std::string id = StringMember(object, "id");
    if (!id.empty()) index.objects.emplace(id, &object);
    if (StringMember(object, "type") == "relationship" &&
        StringMember(object, "relationship_type") == "uses" && IsCurrent(object)) {
      index.uses.emplace(StringMember(object, "source_ref"), StringMember(object, "target_ref"));
    }
  }
  return index;
}

}  // namespace

void AttackToIncidents(const json& bundle, const std::string& file,
                       std::optional<uint32_t> province, ImportChunk& chunk) {
  const json* objects = ArrayMember(bundle, "objects");
  if (StringMember(bundle, "type") != "bundle" || objects == nullptr) {
    chunk.errors.push_back(file + ": not a STIX bundle: no \"objects\" array");
    return;
  }
  const BundleIndex index = IndexBundle(*objects);
  for (const json& campaign : *objects) {
    if (StringMember(campaign, "type") != "campaign" || !IsCurrent(campaign)) continue;
    const std::string attack_id = CleanLine(AttackId(campaign), 32);
    const std::string stix_id = CleanLine(StringMember(campaign, "id"), 80);
    const std::string where = file + ": campaign " + (attack_id.empty() ? stix_id : attack_id);
    if (attack_id.empty()) {
      chunk.errors.push_back(where + ": no mitre-attack external_id");
      continue;
    }
    Timestamp first_seen;
    if (!TimeUtil::FromString(StringMember(campaign, "first_seen"), &first_seen)) {
      chunk.errors.push_back(where + ": no valid first_seen time");
      continue;
    }
    Timestamp last_seen;
    if (!TimeUtil::FromString(StringMember(campaign, "last_seen"), &last_seen) ||
        last_seen < first_seen) {
      last_seen = first_seen;
    }
    const std::string name = CleanLine(StringMember(campaign, "name"), kMaxTitleChars);
    const std::string description = PlainDescription(StringMember(campaign, "description"));
    const std::string text = Lowercase(name + " " + description);

    std::set<std::string> techniques;
    std::vector<std::string> malware;
    const auto [begin, end] = index.uses.equal_range(StringMember(campaign, "id"));
    for (auto use = begin; use != end; ++use) {
      const auto target = index.objects.find(use->second);
      if (target == index.objects.end() || !IsCurrent(*target->second)) continue;
      const std::string type = StringMember(*target->second, "type");
      if (type == "attack-pattern") {
        const std::string technique = AttackId(*target->second);
        if (IsValidIcsTechniqueId(technique)) techniques.insert(technique);
      } else if (type == "malware") {
        malware.push_back(CleanLine(StringMember(*target->second, "name"), 100));
      }
    }

    v1::Record record;
    v1::Incident& incident = *record.mutable_incident();
    incident.set_external_id(attack_id);
    incident.set_province(province ? *province
                                   : ProvinceForHash(StableHash("attack:" + attack_id)));
    incident.set_sector(SectorOf(text));
    incident.set_category(malware.empty() ? v1::CATEGORY_NETWORK_ATTACK : v1::CATEGORY_MALWARE);
    incident.set_subcategory("ATT&CK for ICS campaign");
    incident.set_severity(SeverityOf(text));
    incident.set_tlp(v1::TLP_CLEAR);
    incident.set_sharing_scope(v1::SHARING_SCOPE_PUBLIC);
    *incident.mutable_occur_time() = first_seen;
    *incident.mutable_detect_time() = last_seen;
    incident.set_title(name.empty() ? attack_id : name);
    incident.set_description(description);
    for (const std::string& technique : techniques) {
      if (static_cast<size_t>(incident.attack_technique_ids_size()) < kMaxTechniqueIds) {
        incident.add_attack_technique_ids(technique);
      }
    }
    auto& attributes = *incident.mutable_attributes();
    attributes["attack_id"] = attack_id;
    attributes["url"] = "https://attack.mitre.org/campaigns/" + attack_id;
    attributes["source"] = kSource;
    if (!malware.empty()) {
      std::sort(malware.begin(), malware.end());
      std::string names;
      for (const std::string& one : malware) names += (names.empty() ? "" : ", ") + one;
      attributes["malware"] = CleanLine(names, kMaxAttributeValueChars);
    }
    chunk.records.push_back(std::move(record));
  }
}

AttackSource::AttackSource(std::filesystem::path path, std::optional<uint32_t> province)
    : path_(std::move(path)), province_(province) {}

bool AttackSource::Next(ImportChunk& chunk) {
  chunk.Clear();
  if (done_) return false;
  done_ = true;
  std::string error;
  if (const std::optional<json> bundle = ParseJsonFile(path_, kMaxAttackBundleBytes, error)) {
    AttackToIncidents(*bundle, path_.string(), province_, chunk);
  } else {
    chunk.errors.push_back(error);
  }
  chunk.progress.complete = true;
  chunk.progress.line = 1;
  return true;
}

}  // namespace sitrep::collector
