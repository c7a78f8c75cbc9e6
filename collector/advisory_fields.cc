#include "collector/advisory_fields.h"

#include <algorithm>
#include <array>
#include <utility>

#include "domain/record_checks.h"

namespace sitrep::collector {
namespace {

std::string Lowercase(std::string_view text) {
  std::string lower(text);
  for (char& c : lower) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return lower;
}

std::string_view Trim(std::string_view text) {
  const size_t start = text.find_first_not_of(" \t\r\n.");
  if (start == std::string_view::npos) return {};
  return text.substr(start, text.find_last_not_of(" \t\r\n.") - start + 1);
}

// True when `word` occurs in `text` with no letter or digit on either side, so that "rtu"
// matches "RTU560 gateway" and "ABB RTU" but not "virtual".
bool HasWord(std::string_view text, std::string_view word) {
  const auto is_alpha = [](char c) { return (c >= 'a' && c <= 'z'); };
  for (size_t at = text.find(word); at != std::string_view::npos; at = text.find(word, at + 1)) {
    const bool left = at == 0 || !is_alpha(text[at - 1]);
    const size_t after = at + word.size();
    const bool right = after == text.size() || !is_alpha(text[after]);
    if (left && right) return true;
  }
  return false;
}

struct TypeRule {
  v1::AssetType type;
  std::vector<std::string_view> words;    // whole words
  std::vector<std::string_view> phrases;  // anywhere in the name
};

// Checked in order: a specific product family outranks a generic word ("WinCC Runtime
// Controller" is SCADA software, not a PLC).
const std::vector<TypeRule>& TypeRules() {
  static const std::vector<TypeRule> kRules = {
      {v1::ASSET_TYPE_RTU, {"rtu", "rtus"}, {"remote terminal"}},
      {v1::ASSET_TYPE_SCADA,
       {"scada", "wincc", "ifix", "cimplicity", "citect", "intouch", "vtscada", "webaccess",
        "ignition", "kingscada", "clearscada", "geo scada"},
       {"factorytalk view", "supervisory"}},
      {v1::ASSET_TYPE_DCS,
       {"dcs", "ovation", "deltav", "experion", "centum", "foxboro", "800xa", "symphony"},
       {"distributed control", "process control system"}},
      {v1::ASSET_TYPE_HMI,
       {"hmi", "hmis", "panelview", "simatic panel", "got", "proface", "cmore"},
       {"human machine", "human-machine", "operator panel", "touch panel", "operator terminal",
        "touchscreen"}},
      {v1::ASSET_TYPE_PLC,
       {"plc", "plcs", "controllogix", "compactlogix", "micrologix", "guardlogix", "modicon",
        "melsec", "controller", "controllers", "cpu", "s7"},
       {"programmable logic", "logix", "simatic s7", "iq-r", "iq-f"}},
      {v1::ASSET_TYPE_GATEWAY,
       {"gateway", "gateways", "router", "routers", "switch", "switches", "modem", "firewall",
        "vpn", "converter", "mgate", "nport"},
       {"device server", "serial server", "communication module", "protocol converter"}},
      {v1::ASSET_TYPE_INDUSTRIAL_PLATFORM,
       {"cloud", "platform", "historian", "mes", "iot"},
       {"asset performance", "data hub"}},
      {v1::ASSET_TYPE_INDUSTRIAL_APP,
       {"studio", "workbench", "designer", "engineering", "software", "suite", "configurator",
        "builder"},
       {"manager"}},
  };
  return kRules;
}

}  // namespace

v1::AssetType AssetTypeFromProduct(std::string_view product) {
  const std::string name = Lowercase(product);
  for (const TypeRule& rule : TypeRules()) {
    for (const std::string_view word : rule.words) {
      if (HasWord(name, word)) return rule.type;
    }
    for (const std::string_view phrase : rule.phrases) {
      if (name.find(phrase) != std::string::npos) return rule.type;
    }
  }
  return v1::ASSET_TYPE_OTHER;
}

std::string SectorFromCisaSectors(std::string_view sectors) {
  // CISA's 16 critical-infrastructure sectors, by what the industrial policy would call them.
  // Sectors with no industrial counterpart (government, finance, emergency services, ...) map
  // to nothing, so the next listed sector gets its chance.
  // Matched as prefixes: CISA writes "Water and Wastewater" and "Water and Wastewater Systems".
  static const std::array<std::pair<std::string_view, std::string_view>, 10> kSectors = {{
      {"energy", "energy"},
      {"nuclear reactors", "energy"},
      {"water", "water"},
      {"dams", "water"},
      {"chemical", "petrochemical"},
      {"critical manufacturing", "general_equipment"},
      {"food", "food"},
      {"healthcare", "pharmaceutical"},
      {"communications", "telecom"},
      {"information technology", "electronic_information"},
  }};
  while (!sectors.empty()) {
    const size_t separator = sectors.find_first_of(",;");
    const std::string name = Lowercase(Trim(sectors.substr(0, separator)));
    sectors =
        separator == std::string_view::npos ? std::string_view() : sectors.substr(separator + 1);
    for (const auto& [cisa, code] : kSectors) {
      if (name.starts_with(cisa)) return std::string(code);
    }
  }
  return "other";
}

void AddCveId(std::string_view id, CveList& list) {
  id = Trim(id);
  if (id.empty() || id == "CVE-NA") return;
  if (!IsValidCveId(id)) {
    ++list.dropped;
    return;
  }
  if (std::find(list.ids.begin(), list.ids.end(), id) != list.ids.end()) return;
  if (list.ids.size() >= kMaxCveIds) {
    ++list.truncated;
    return;
  }
  list.ids.emplace_back(id);
}

CveList ParseCveList(std::string_view text) {
  CveList list;
  while (!text.empty()) {
    const size_t separator = text.find_first_of(",; \t\r\n");
    AddCveId(text.substr(0, separator), list);
    text = separator == std::string_view::npos ? std::string_view() : text.substr(separator + 1);
  }
  return list;
}

}  // namespace sitrep::collector
