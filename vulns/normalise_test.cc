#include "vulns/normalise.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "tests/support/test_data.h"

// The vendor spellings of CISA's ICS advisories 2023/2024 that name one vendor, and the
// product spellings the matcher must treat as one.
namespace sitrep::vulns {
namespace {

struct NameCase {
  std::string written;
  std::string expected;
};

TEST(NormaliseVendorTest, FoldsEverySpellingOfTheDataToOneName) {
  const std::vector<NameCase> cases = {
      {"Mitsubishi Electric", "mitsubishi electric"},
      {" Mitsubishi Electric", "mitsubishi electric"},
      {"Mitsubishi Electric ", "mitsubishi electric"},
      {"Mitsubishi Electric Corporation", "mitsubishi electric"},
      {"Mitsubishi Electric India", "mitsubishi electric india"},  // a subsidiary stays apart
      {"Johnson Controls", "johnson controls"},
      {"Johnson Controls Inc.", "johnson controls"},
      {"Johnson Controls, Inc.", "johnson controls"},
      {"Sensormatic Electronics", "sensormatic electronics"},
      {"Sensormatic Electronics, a subsidiary of Johnson Controls, Inc.",
       "sensormatic electronics"},
      {"Sensormatic Electronics, LLC, a subsidiary of Johnson Controls Inc.",
       "sensormatic electronics"},
      {"Sensormatic Electronics, LLC, an affiliate of Johnson Controls Inc.",
       "sensormatic electronics"},
      {"Franklin Fueling System", "franklin fueling systems"},
      {"Franklin Fueling System ", "franklin fueling systems"},
      {"Franklin Fueling Systems", "franklin fueling systems"},
      {"Franklin Electric Fueling Systems ", "franklin fueling systems"},
      {"Dover Fueling Solutions", "dover fueling solutions"},
      {"Dover Fueling Solutions (DFS)", "dover fueling solutions"},
      {"Control By Web", "controlbyweb"},
      {"ControlByWeb", "controlbyweb"},
      {"HMS Industrial Networks", "hms networks"},
      {"HMS Networks", "hms networks"},
      {"mySCADA", "myscada"},
      {"mySCADA Technologies", "myscada"},
      {"SAUTER", "sauter"},
      {"SAUTER Controls", "sauter"},
      {"Keysight ", "keysight"},
      {"Keysight Technologies", "keysight"},
      {"APSystems", "apsystems"},
      {"APsystems", "apsystems"},
      {"SOCOMEC", "socomec"},
      {"Subnet Solutions Inc.", "subnet solutions"},
      {"SUBNET Solutions Inc.", "subnet solutions"},
      {"iniNet Solutions GmbH", "ininet solutions"},
      {"CODESYS, GmbH", "codesys"},
      {"Digi International, Inc. ", "digi international"},
      {"B. Braun Melsungen AG", "b. braun melsungen"},
      {"Becton, Dickinson and Company (BD)", "becton dickinson"},
      {"LS ELECTRIC, LS Industrial Systems (LSIS) Co. Ltd-", "ls electric"},
      {"EnOcean Edge Inc, a subsidiary of EnOcean GmbH-", "enocean edge"},
      {"OMNTEC Mfg., Inc.", "omntec"},
      {"TEL-STER Sp. z o. o.", "tel-ster"},
      {"Positron S.R.L", "positron"},
      {"Viessmann Climate Solutions SE", "viessmann climate solutions"},
      {"MachineSense LLC.", "machinesense"},
      {"Fujitsu Limited", "fujitsu"},
      {"ICONICS, Mitsubishi Electric", "iconics"},
      {"ICONICS", "iconics"},
      {"PiiGAB, Processinformation i G\xf6teborg Aktiebolag", "piigab"},
      {"LCDS - Le\xc3\xa3o Consultoria e Desenvolvimento de Sistemas Ltda ME", "lcds"},
      {"Atlas Copco", "atlas copco"},  // "co" only as a whole word
      {"ABB", "abb"},
      {"AB", "ab"},  // never stripped down to nothing
      {"", ""},
      {"   ", ""},
  };
  for (const NameCase& c : cases) EXPECT_EQ(Normalise(c.written), c.expected) << c.written;
}

TEST(NormaliseVendorTest, KeepsDifferentVendorsApart) {
  EXPECT_NE(Normalise("Siemens"), Normalise("Schneider Electric"));
  EXPECT_NE(Normalise("GE Digital"), Normalise("General Electric"));
  EXPECT_NE(Normalise("Hitachi Energy"), Normalise("Hitron Systems"));
}

TEST(NormaliseProductTest, FoldsCaseSpacesAndMarks) {
  const std::vector<NameCase> cases = {
      {"MELSEC iQ-R Series", "melsec iq-r series"},
      {"  MELSEC   iQ-R  Series ", "melsec iq-r series"},
      {"FactoryTalk\u00ae View SE", "factorytalk view se"},
      {"ThinManager\u2122 ThinServer", "thinmanager thinserver"},
      {"RTS/RTD_3.6.6", "rts/rtd 3.6.6"},
      {"", ""},
  };
  for (const NameCase& c : cases) EXPECT_EQ(NormaliseProduct(c.written), c.expected) << c.written;
}

// The one product rule (Match and the asset writer's stored key): the vendor's name in front
// is left out, as a whole word and never down to nothing.
TEST(NormaliseProductTest, ProductKeyLeavesOutTheVendorInFront) {
  struct KeyCase {
    const char* vendor_norm;
    const char* product;
    const char* key;
  };
  const std::vector<KeyCase> cases = {
      {"siemens", "Siemens SIMATIC S7-1500", "simatic s7-1500"},
      {"siemens", "SIMATIC S7-1500", "simatic s7-1500"},
      {"siemens", "SIMATIC®  S7-1500", "simatic s7-1500"},
      {"siemens", "Siemens", "siemens"},              // never down to nothing
      {"siemens", "SiemensX Tool", "siemensx tool"},  // a whole word only
      {"mitsubishi electric", "Mitsubishi Electric MELSEC iQ-R", "melsec iq-r"},
      {"", "MELSEC iQ-R", "melsec iq-r"},
      {"siemens", "", ""},
  };
  for (const KeyCase& c : cases) {
    EXPECT_EQ(ProductKey(c.vendor_norm, c.product), c.key) << c.vendor_norm << " / " << c.product;
  }
}

void CollectVendors(const nlohmann::json& branch, std::set<std::string>& out) {
  if (!branch.contains("branches")) return;
  for (const nlohmann::json& child : branch["branches"]) {
    if (child.value("category", "") == "vendor") out.insert(child.value("name", ""));
    CollectVendors(child, out);
  }
}

// The data's 210 vendor spellings fold to fewer names, none of them empty.
TEST(NormaliseVendorFullDataTest, FoldsTheDataSpellings) {
  std::set<std::string> spellings;
  for (const char* year : {"csaf-ics-2023", "csaf-ics-2024"}) {
    const std::filesystem::path dir = test::SharedDir() / "datasets" / year;
    ASSERT_TRUE(test::SharedDataPresent(dir));
    for (const auto& entry : std::filesystem::directory_iterator(dir)) {
      if (entry.path().extension() != ".json") continue;
      std::ifstream in(entry.path());
      nlohmann::json doc = nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
      ASSERT_FALSE(doc.is_discarded()) << entry.path();
      if (doc.contains("product_tree")) CollectVendors(doc["product_tree"], spellings);
    }
  }
  std::set<std::string> names;
  for (const std::string& spelling : spellings) {
    std::string name = Normalise(spelling);
    EXPECT_FALSE(name.empty()) << spelling;
    names.insert(name);
  }
  std::cout << spellings.size() << " vendor spellings, " << names.size() << " vendors\n";
  EXPECT_EQ(spellings.size(), 210u);
  EXPECT_LT(names.size(), spellings.size());
}

}  // namespace
}  // namespace sitrep::vulns
