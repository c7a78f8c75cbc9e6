#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "sitrep/v1/records.pb.h"

// The vocabulary DemoGenerator builds records from: facilities of the seeded sectors, control
// systems, incident scenarios in Chinese and English, real industrial products with their
// protocol and port, and real CVE and ATT&CK for ICS ids.
namespace sitrep::collector::demo {

using std::string_view;

struct Facility {
  string_view sector;
  string_view zh;
  string_view en;
};

struct System {
  string_view zh;
  string_view en;
};

enum Indicators : unsigned { kNone = 0, kNetwork = 1, kFiles = 2, kWeb = 4 };

// One kind of incident. In the texts "{f}" is the facility and "{s}" the system.
struct Scenario {
  v1::Category category;
  unsigned weight;
  string_view subcategory;
  string_view zh;
  string_view en;
  std::vector<string_view> techniques;
  unsigned indicators;
  bool cves;
};

struct Action {
  string_view zh;
  string_view en;
};

struct Product {
  string_view vendor;
  string_view product;
  std::vector<string_view> versions;
  v1::AssetType type;
  string_view protocol;
  uint32_t port;
  v1::Transport transport;
  std::vector<string_view> cves;
};

// A leaf of a real CISA CSAF advisory's product tree with a version inside its range and one
// just outside (empty when every version is inside): demo assets drawn from these match the
// shipped advisories, so a first run shows real matches (collector/demo_advisory_products.inc,
// made by scripts/demo-advisory-products.py; demo_generator_test checks each with vulns::Match).
struct AdvisoryProduct {
  string_view advisory;
  string_view vendor;
  string_view product;
  bool is_range;
  string_view expression;
  string_view inside;
  string_view outside;
  bool known_exploited;  // the advisory lists a CVE of the KEV catalog
};

extern const std::vector<AdvisoryProduct> kAdvisoryProducts;

// Key sectors of the Guiding Opinions (and the heavy process industries) appear more often.
extern const std::vector<Facility> kFacilities;
extern const std::vector<System> kSystems;
extern const std::vector<Scenario> kScenarios;  // drawn by weight
extern const std::vector<Action> kActions;
// Real, published CVE ids of industrial products and of IT software common in plants.
extern const std::vector<string_view> kCves;
// ATT&CK for ICS techniques added now and then beyond a scenario's own.
extern const std::vector<string_view> kExtraTechniques;
// Indicator material from reserved names and documentation address blocks (RFC 2606, 5737),
// so that no generated indicator points at a real host.
extern const std::vector<string_view> kDomains;
extern const std::vector<string_view> kDomainSuffixes;
extern const std::vector<string_view> kUrlPaths;
extern const std::vector<string_view> kTestNets;
extern const std::vector<string_view> kSources;  // how the incident came to light
extern const std::vector<string_view> kConfidence;
extern const std::vector<Product> kProducts;

}  // namespace sitrep::collector::demo
