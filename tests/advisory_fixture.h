#pragma once

// What the flows of the vulnerability base (advisory_pgtest, vulnerability_pgtest) share: the
// CSAF test documents, a server started with a known-exploited catalog file the test can
// rewrite, and one push of advisories and assets as one batch.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <iterator>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "sitrep/v1/ingest.grpc.pb.h"
#include "tests/push_client.h"
#include "tests/server_fixture.h"
#include "tests/support/test_data.h"

namespace sitrep::testing {

// CVE-2023-46604, Apache ActiveMQ's: the one CVE of ICSA-24-130-03 (Delta Electronics
// InfraSuite Device Master), KEV-listed under another vendor (Apache).
inline constexpr const char* kActiveMqCve = "CVE-2023-46604";

// A CSAF document of tests/data/csaf-ics ("icsa-24-130-03.json").
inline std::string ReadCsafDocument(const std::string& name) {
  std::ifstream file(test::TestDataDir() / "csaf-ics" / name, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(file), {});
}

inline v1::Advisory CsafAdvisory(const std::string& text) {
  v1::Advisory advisory;
  advisory.set_csaf_document(text);
  return advisory;
}

// `document` as version `version` (2, 3, …): the revision history gains an entry per version,
// a day apart, and the current release date is the last of them (CSAF 6.1.14, 6.1.16).
inline std::string AsVersion(const std::string& document, int version) {
  nlohmann::ordered_json json = nlohmann::ordered_json::parse(document);
  nlohmann::ordered_json& tracking = json["document"]["tracking"];
  for (int n = 2; n <= version; ++n) {
    const std::string date = "2024-06-0" + std::to_string(n) + "T00:00:00.000Z";
    tracking["revision_history"].push_back({{"date", date},
                                            {"number", std::to_string(n)},
                                            {"summary", "Update " + std::to_string(n)}});
    tracking["current_release_date"] = date;
  }
  tracking["version"] = std::to_string(version);
  return json.dump();
}

// A server whose --kev-file lists `cves` (ActiveMQ's at start), each as the KEV catalog
// writes entries; WriteKevFile rewrites it (then server_->Reload() re-reads it, as SIGHUP does).
class AdvisoryFixture : public ServerFixture {
 protected:
  AdvisoryFixture() { start_in_setup_ = false; }

  void SetUp() override {
    ServerFixture::SetUp();
    kev_dir_ = MakeTempDir("sitrep-kev-");
    config_.kev_file = kev_dir_ / "known_exploited_vulnerabilities.json";
    WriteKevFile({kActiveMqCve});
  }

  void TearDown() override {
    ServerFixture::TearDown();
    std::filesystem::remove_all(kev_dir_);
  }

  void WriteKevFile(std::initializer_list<const char*> cves) {
    nlohmann::json entries = nlohmann::json::array();
    for (const char* cve : cves) {
      entries.push_back({{"cveID", cve},
                         {"vendorProject", "Apache"},
                         {"product", "ActiveMQ"},
                         {"vulnerabilityName", "Apache ActiveMQ Deserialization"},
                         {"dateAdded", "2023-11-02"},
                         {"dueDate", "2023-11-23"},
                         {"requiredAction", "Apply mitigations per vendor instructions."},
                         {"knownRansomwareCampaignUse", "Known"}});
    }
    std::ofstream(config_.kev_file)
        << nlohmann::json{{"catalogVersion", "test"}, {"vulnerabilities", entries}}.dump();
  }

  // Pushes `advisories` and `assets` as one batch as `token`; returns its ack (an empty one,
  // and a failure, when the stream fails).
  v1::PushAck PushRecords(const std::string& token, const std::vector<v1::Advisory>& advisories,
                          const std::vector<v1::Asset>& assets = {}) {
    v1::PushBatch batch;
    batch.set_sequence(1);
    for (const v1::Advisory& advisory : advisories) *batch.add_advisories() = advisory;
    for (const v1::Asset& asset : assets) *batch.add_assets() = asset;
    const PushResult result = PushAll(*channel_, token, {batch});
    EXPECT_TRUE(result.status.ok()) << result.status.error_message();
    EXPECT_EQ(result.acks.size(), 1u);
    return result.acks.size() == 1 ? result.acks[0] : v1::PushAck();
  }

  std::filesystem::path kev_dir_;
};

}  // namespace sitrep::testing
