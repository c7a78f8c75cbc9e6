#include "collector/demo_generator.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <string>
#include <string_view>

#include "collector/advisory_fields.h"
#include "collector/demo_vocabulary.h"
#include "collector/provinces.h"
#include "domain/time_convert.h"

namespace sitrep::collector {
namespace {

using demo::Action;
using demo::AdvisoryProduct;
using demo::Facility;
using demo::kActions;
using demo::kAdvisoryProducts;
using demo::kConfidence;
using demo::kCves;
using demo::kDomains;
using demo::kDomainSuffixes;
using demo::kExtraTechniques;
using demo::kFacilities;
using demo::kFiles;
using demo::kNetwork;
using demo::kProducts;
using demo::kScenarios;
using demo::kSources;
using demo::kSystems;
using demo::kTestNets;
using demo::kUrlPaths;
using demo::kWeb;
using demo::Product;
using demo::Scenario;
using demo::System;

using std::string_view;
using std::chrono::hours;
using std::chrono::seconds;

constexpr size_t kDuplicatePool = 1024;

std::string Fill(string_view text, const Facility& facility, const System& system, bool zh) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text.substr(i).starts_with("{f}")) {
      out += zh ? facility.zh : facility.en;
      i += 2;
    } else if (text.substr(i).starts_with("{s}")) {
      out += zh ? system.zh : system.en;
      i += 2;
    } else {
      out.push_back(text[i]);
    }
  }
  return out;
}

std::string Date(const google::protobuf::Timestamp& time) {
  const std::chrono::sys_days day = std::chrono::floor<std::chrono::days>(FromTimestamp(time));
  const std::chrono::year_month_day date(day);
  char text[16];
  std::snprintf(text, sizeof text, "%04d-%02u-%02u", static_cast<int>(date.year()),
                static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()));
  return text;
}

}  // namespace

DemoGenerator::DemoGenerator(DemoOptions options)
    : options_(std::move(options)), state_(options_.seed ^ 0x5EED5EED5EED5EEDull) {}

uint64_t DemoGenerator::Random() {
  uint64_t z = (state_ += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

uint64_t DemoGenerator::Below(uint64_t bound) {
  return bound == 0
             ? 0
             : static_cast<uint64_t>((static_cast<unsigned __int128>(Random()) * bound) >> 64);
}

bool DemoGenerator::Chance(double probability) {
  return static_cast<double>(Random() >> 11) * 0x1.0p-53 < probability;
}

uint32_t DemoGenerator::Province() {
  return options_.province ? *options_.province : kProvinceCodes[Below(kProvinceCodes.size())];
}

google::protobuf::Timestamp DemoGenerator::TimeWithin(seconds before_now) {
  const auto micros = std::chrono::microseconds(
      Below(static_cast<uint64_t>(std::chrono::microseconds(before_now).count())));
  return ToTimestamp(options_.now - micros);
}

v1::Record DemoGenerator::Next() {
  if (!recent_.empty() && Chance(options_.duplicate_share)) {
    ++counts_.duplicates;
    return recent_[Below(recent_.size())];
  }
  v1::Record record = Chance(options_.asset_share) ? NewAsset() : NewIncident();
  if (!options_.mistakes.empty() && Chance(options_.invalid_share)) {
    AddMistake(record);
    ++counts_.invalid;
  }
  recent_.push_back(record);
  if (recent_.size() > kDuplicatePool) recent_.pop_front();
  return record;
}

v1::Record DemoGenerator::NewIncident() {
  ++counts_.incidents;
  unsigned total_weight = 0;
  for (const Scenario& scenario : kScenarios) total_weight += scenario.weight;
  uint64_t roll = Below(total_weight);
  const Scenario* scenario = &kScenarios.front();
  for (const Scenario& candidate : kScenarios) {
    if (roll < candidate.weight) {
      scenario = &candidate;
      break;
    }
    roll -= candidate.weight;
  }
  const Facility& facility = Pick(kFacilities);
  const System& system = Pick(kSystems);
  const uint32_t province = Province();
  const ProvinceName names = ProvinceNameOf(province);

  v1::Record record;
  v1::Incident& incident = *record.mutable_incident();
  incident.set_external_id("demo-" + std::to_string(options_.seed) + "-i" +
                           std::to_string(next_incident_++));
  incident.set_province(province);
  incident.set_sector(std::string(facility.sector));
  incident.set_category(scenario->category);
  incident.set_subcategory(std::string(scenario->subcategory));
  const uint64_t grade = Below(100);  // IV 55 %, III 30 %, II 12 %, I 3 %
  incident.set_severity(grade < 55   ? v1::SEVERITY_IV
                        : grade < 85 ? v1::SEVERITY_III
                        : grade < 97 ? v1::SEVERITY_II
                                     : v1::SEVERITY_I);
  const uint64_t tlp = Below(100);  // CLEAR 10, GREEN 35, AMBER 45, AMBER+STRICT 5, RED 5
  incident.set_tlp(tlp < 10   ? v1::TLP_CLEAR
                   : tlp < 45 ? v1::TLP_GREEN
                   : tlp < 90 ? v1::TLP_AMBER
                   : tlp < 95 ? v1::TLP_AMBER_STRICT
                              : v1::TLP_RED);
  // Never wider than the TLP allows: RED and AMBER+STRICT stay in the province, AMBER with
  // the regulators, only CLEAR and GREEN may reach enterprises.
  const uint64_t scope = Below(100);
  if (incident.tlp() == v1::TLP_RED || incident.tlp() == v1::TLP_AMBER_STRICT) {
    incident.set_sharing_scope(v1::SHARING_SCOPE_PROVINCE);
  } else if (incident.tlp() == v1::TLP_AMBER) {
    incident.set_sharing_scope(scope < 60 ? v1::SHARING_SCOPE_PROVINCE
                                          : v1::SHARING_SCOPE_ALL_REGULATORS);
  } else {
    incident.set_sharing_scope(scope < 40   ? v1::SHARING_SCOPE_PROVINCE
                               : scope < 70 ? v1::SHARING_SCOPE_ALL_REGULATORS
                               : scope < 90 ? v1::SHARING_SCOPE_SECTOR
                                            : v1::SHARING_SCOPE_PUBLIC);
  }
  const uint64_t status = Below(100);
  incident.set_status(status < 85   ? v1::INCIDENT_STATUS_REPORTED
                      : status < 95 ? v1::INCIDENT_STATUS_CONFIRMED
                                    : v1::INCIDENT_STATUS_HANDLING);
  *incident.mutable_occur_time() = TimeWithin(options_.occur_within);
  const auto occurred = FromTimestamp(incident.occur_time());
  const auto detected = occurred + std::chrono::minutes(Below(48 * 60));
  *incident.mutable_detect_time() = ToTimestamp(std::min(detected, options_.now));

  const std::string event_zh = Fill(scenario->zh, facility, system, true);
  const std::string event_en = Fill(scenario->en, facility, system, false);
  incident.set_title(event_zh + " / " + event_en);
  const Action& action = Pick(kActions);
  const std::string date = Date(incident.occur_time());
  incident.set_description(date + "，" + std::string(names.zh) + "监测发现" + event_zh + "。" +
                           std::string(action.zh) + "\n" + "On " + date + ", monitoring in " +
                           std::string(names.en) + " detected " + event_en + ". " +
                           std::string(action.en));

  const auto domain = [&] {
    return std::string(Pick(kDomains)) + "." + std::string(Pick(kDomainSuffixes));
  };
  const auto add_indicator = [&](v1::IndicatorType type, std::string value) {
    v1::Indicator& indicator = *incident.add_indicators();
    indicator.set_type(type);
    indicator.set_value(std::move(value));
  };
  const auto hex = [&](size_t digits) {
    static constexpr char kHex[] = "0123456789abcdef";
    std::string text;
    for (size_t i = 0; i < digits; ++i) text.push_back(kHex[Below(16)]);
    return text;
  };
  if (scenario->indicators & kNetwork) {
    for (uint64_t i = 0, n = 1 + Below(2); i < n; ++i) {
      add_indicator(v1::INDICATOR_TYPE_IPV4,
                    std::string(Pick(kTestNets)) + std::to_string(1 + Below(254)));
    }
    if (Chance(0.6)) add_indicator(v1::INDICATOR_TYPE_DOMAIN, domain());
  }
  if (scenario->indicators & kFiles) {
    add_indicator(v1::INDICATOR_TYPE_SHA256, hex(64));
    if (Chance(0.5)) add_indicator(v1::INDICATOR_TYPE_MD5, hex(32));
  }
  if (scenario->indicators & kWeb) {
    add_indicator(v1::INDICATOR_TYPE_URL,
                  "http://" + domain() + "/" + std::string(Pick(kUrlPaths)));
    if (Chance(0.3)) add_indicator(v1::INDICATOR_TYPE_EMAIL, "ops" + hex(4) + "@example.net");
  }
  if (scenario->cves) {
    for (uint64_t i = 0, n = Below(3); i < n; ++i) {
      const std::string cve(Pick(kCves));
      if (std::find(incident.cve_ids().begin(), incident.cve_ids().end(), cve) ==
          incident.cve_ids().end()) {
        incident.add_cve_ids(cve);
      }
    }
  }
  for (const string_view technique : scenario->techniques) {
    incident.add_attack_technique_ids(std::string(technique));
  }
  if (!scenario->techniques.empty() && Chance(0.4)) {
    const std::string extra(Pick(kExtraTechniques));
    incident.add_attack_technique_ids(extra);
  }
  if (next_asset_ > 1) {
    for (uint64_t i = 0, n = Below(3); i < n; ++i) {
      incident.add_affected_asset_keys("demo-" + std::to_string(options_.seed) + "-a" +
                                       std::to_string(1 + Below(next_asset_ - 1)));
    }
  }
  auto& attributes = *incident.mutable_attributes();
  attributes["detector"] =
      "probe-" + std::to_string(province / 10000) + "-" + std::to_string(1 + Below(20));
  attributes["source"] = std::string(Pick(kSources));
  attributes["confidence"] = std::string(Pick(kConfidence));
  return record;
}

void DemoGenerator::DrawAdvisoryProduct(v1::Asset& asset) {
  static const std::vector<AdvisoryProduct> kKnownExploited = [] {
    std::vector<AdvisoryProduct> known;
    for (const AdvisoryProduct& product : kAdvisoryProducts) {
      if (product.known_exploited) known.push_back(product);
    }
    return known;
  }();
  const bool kev = Chance(1.0 / 3);
  const AdvisoryProduct& product = Pick(kev ? kKnownExploited : kAdvisoryProducts);
  const bool inside = product.outside.empty() || Chance(0.7);
  asset.set_vendor(std::string(product.vendor));
  asset.set_product(std::string(product.product));
  asset.set_version(std::string(inside ? product.inside : product.outside));
  asset.set_type(AssetTypeFromProduct(product.product));
  // The CVEs of the advisory are the server's to join, not the asset's to claim.
  asset.clear_cve_ids();
  if (kev && Chance(0.6) && !asset.internet_exposed()) {
    const uint64_t host = Random();
    asset.set_internet_exposed(true);
    asset.set_ip("198." + std::to_string(18 + (host >> 8) % 2) + "." +
                 std::to_string((host >> 16) % 256) + "." + std::to_string(1 + host % 254));
  }
}

v1::Record DemoGenerator::NewAsset() {
  ++counts_.assets;
  const Product& product = Pick(kProducts);
  const Facility& facility = Pick(kFacilities);
  const uint32_t province = Province();

  v1::Record record;
  v1::Asset& asset = *record.mutable_asset();
  asset.set_asset_key("demo-" + std::to_string(options_.seed) + "-a" +
                      std::to_string(next_asset_++));
  asset.set_province(province);
  const bool exposed = Chance(0.3);
  asset.set_internet_exposed(exposed);
  // Exposed devices get an address of the RFC 2544 benchmarking range, internal ones a
  // private one: neither is ever a real host.
  const uint64_t host = Random();
  asset.set_ip(exposed
                   ? "198." + std::to_string(18 + (host >> 8) % 2) + "." +
                         std::to_string((host >> 16) % 256) + "." + std::to_string(1 + host % 254)
                   : "10." + std::to_string((host >> 8) % 256) + "." +
                         std::to_string((host >> 16) % 256) + "." + std::to_string(1 + host % 254));
  asset.set_port(product.port);
  asset.set_transport(product.transport);
  asset.set_protocol(std::string(product.protocol));
  asset.set_vendor(std::string(product.vendor));
  asset.set_product(std::string(product.product));
  asset.set_version(std::string(Pick(product.versions)));
  asset.set_type(product.type);
  for (const string_view cve : product.cves) {
    if (Chance(0.5)) asset.add_cve_ids(std::string(cve));
  }
  if (Chance(options_.advisory_product_share)) DrawAdvisoryProduct(asset);
  *asset.mutable_last_seen_time() = TimeWithin(hours(24 * 7));
  asset.set_sector(std::string(facility.sector));
  auto& attributes = *asset.mutable_attributes();
  attributes["site"] = std::string(facility.zh);
  attributes["detector"] =
      "probe-" + std::to_string(province / 10000) + "-" + std::to_string(1 + Below(20));
  return record;
}

void DemoGenerator::AddMistake(v1::Record& record) {
  const DemoMistake mistake = Pick(options_.mistakes);
  if (record.has_incident()) {
    v1::Incident& incident = *record.mutable_incident();
    switch (mistake) {
      case DemoMistake::kBadCveId:
        incident.add_cve_ids("CVE-20X4-0042");
        break;
      case DemoMistake::kUnknownSector:
        incident.set_sector("deep_sea_mining");
        break;
      case DemoMistake::kBadTechniqueId:
        incident.add_attack_technique_ids("T9999");
        break;
      case DemoMistake::kBadTimeOrder:
        *incident.mutable_detect_time() =
            ToTimestamp(FromTimestamp(incident.occur_time()) - hours(1));
        break;
      case DemoMistake::kBadIndicator: {
        v1::Indicator& indicator = *incident.add_indicators();
        indicator.set_type(v1::INDICATOR_TYPE_IPV4);
        indicator.set_value("203.0.113.300");
        break;
      }
      case DemoMistake::kBadUtf8:
        incident.mutable_title()->append("\xFF\xFE");
        break;
    }
    return;
  }
  v1::Asset& asset = *record.mutable_asset();
  switch (mistake) {
    case DemoMistake::kBadCveId:
    case DemoMistake::kBadTechniqueId:
      asset.add_cve_ids("CVE-20X4-0042");
      break;
    case DemoMistake::kUnknownSector:
      asset.set_sector("deep_sea_mining");
      break;
    case DemoMistake::kBadTimeOrder:
      *asset.mutable_last_seen_time() = ToTimestamp(options_.now + hours(48));
      break;
    case DemoMistake::kBadIndicator:
      asset.set_ip("198.18.1.300");
      break;
    case DemoMistake::kBadUtf8:
      asset.mutable_vendor()->append("\xFF");
      break;
  }
}

}  // namespace sitrep::collector
