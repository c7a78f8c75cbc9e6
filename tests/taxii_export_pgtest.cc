// Every object sitrep serves over TAXII is valid STIX 2.1 (issue 19, "Targets and checks"): the
// demo database loaded the way scripts/run.sh loads it (sitrep demo seed, then the collector's
// ATT&CK, CSAF, advisory-index and generated demo inputs, here the small copies in tests/data
// and a smaller generated set), exported collection by collection through TAXII GET (paging
// with next to the end) as each demo role sees it, and checked by stix/validate_stix.py: the
// official STIX 2.1 schemas, the Incident Core extension's schema and sitrep's MUST rules
// (modified >= created, id formats, refs resolving inside what was served, marking refs).
// A deliberately broken object makes the same check fail, so a 0 is not the checker's silence.
#include <gtest/gtest.h>

#include <algorithm>
#include <boost/beast/http/verb.hpp>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <vector>

#include "tests/child_process.h"
#include "tests/cli_runner.h"
#include "tests/http_client.h"
#include "tests/server_fixture.h"

namespace sitrep::testing {
namespace {

namespace bhttp = boost::beast::http;
using Json = nlohmann::json;

constexpr char kApiRoot[] = "/taxii2/api/";
// The demo roles whose views are exported: everything, one province, one enterprise.
constexpr const char* kRoles[] = {"national-centre", "guangdong-regulator", "guangdong-enterprise"};

// What validate_stix.py printed about each of `bundles` ("" for a bundle it found nothing wrong
// with), from one run of it (loading the schemas is most of a small run's time).
std::vector<std::string> ValidationProblems(const std::vector<Json>& bundles,
                                            const std::filesystem::path& scratch) {
  std::vector<std::string> paths;
  for (size_t i = 0; i < bundles.size(); ++i) {
    paths.push_back((scratch / ("bundle-" + std::to_string(i) + ".json")).string());
    std::ofstream(paths.back()) << bundles[i].dump();
  }
  const std::filesystem::path report_path = scratch / "export_validation.txt";
  const std::string source = SITREP_SOURCE_DIR;
  std::string command = std::string(SITREP_PYTHON) + " " + source +
                        "/stix/validate_stix.py --schemas " + source +
                        "/tests/data/stix2-json-schemas/schemas --extension-schema " + source +
                        "/stix/schemas/incident-core.json --attack-table " + source +
                        "/stix/attack_ics_techniques.inc";
  for (const std::string& path : paths) command += " " + path;
  const int result = std::system((command + " > " + report_path.string() + " 2>&1").c_str());
  std::vector<std::string> problems(bundles.size());
  std::istringstream report(ReadText(report_path));
  for (std::string line; std::getline(report, line);) {
    for (size_t i = 0; i < paths.size(); ++i) {
      if (line.starts_with(paths[i] + ":")) problems[i] += line + "\n";
    }
  }
  if (result != 0 && std::all_of(problems.begin(), problems.end(),
                                 [](const std::string& p) { return p.empty(); })) {
    problems[0] = "validate_stix.py failed: " + ReadText(report_path);
  }
  return problems;
}

// `object` and every object it refers to, directly or through others, from `all`: a small
// bundle that is valid exactly when `object` is.
Json WithReferences(const Json& object, const Json& all) {
  std::map<std::string, const Json*> by_id;
  for (const Json& other : all) by_id[other.value("id", "")] = &other;
  Json objects = Json::array({object});
  std::set<std::string> added = {object.value("id", "")};
  for (size_t i = 0; i < objects.size(); ++i) {
    std::vector<std::string> refs;
    std::function<void(const Json&)> collect = [&](const Json& value) {
      if (value.is_string() && by_id.contains(value.get<std::string>())) {
        refs.push_back(value.get<std::string>());
      } else if (value.is_structured()) {
        for (const Json& item : value) collect(item);
      }
    };
    for (const auto& [key, value] : objects[i].items()) {
      if (key != "id") collect(value);
    }
    for (const std::string& ref : refs) {
      if (added.insert(ref).second) objects.push_back(*by_id[ref]);
    }
  }
  return Json{{"type", "bundle"},
              {"id", "bundle--8c1e4f0a-2d6b-4a7e-9f3c-5b1d7e9a0c24"},
              {"objects", objects}};
}

class TaxiiDemoExportTest : public ServerFixture {
 protected:
  TaxiiDemoExportTest() { start_in_setup_ = false; }

  // The demo database, once for the suite's cases.
  void SetUp() override {
    ServerFixture::SetUp();
    config_.http_listen = "127.0.0.1:0";
    StartServer();
    scratch_ = MakeTempDir("sitrep-taxii-export-");
    std::filesystem::permissions(scratch_, std::filesystem::perms::all);
    LoadDemo();
  }

  void TearDown() override {
    std::filesystem::remove_all(scratch_);
    ServerFixture::TearDown();
  }

  // scripts/run.sh's steps against the test's server.
  void LoadDemo() {
    const std::filesystem::path admin_token = data_dir_ / "admin.token";
    const CliRun seed = RunSitrep(server_->port(), admin_token,
                                  "demo seed --tokens-dir '" + Tokens().string() + "'", scratch_);
    ASSERT_EQ(seed.exit_code, 0) << seed.out << seed.err;
    const std::string data = std::string(SITREP_SOURCE_DIR) + "/tests/data/";
    const std::vector<std::vector<std::string>> inputs = {
        {"--format", "attack", data + "attack-ics/ics-attack-cut.json"},
        {"--format", "csaf", data + "csaf-ics"},
        {"--format", "advisories", data + "ics-advisories/CISA_ICS_ADV_Master.csv"},
        {"--format", "demo", "--count", "300", "--seed", "2026"}};
    int run = 0;
    for (const std::vector<std::string>& input : inputs) {
      std::vector<std::string> argv = {COLLECTOR_PATH,
                                       "--server",
                                       "127.0.0.1:" + std::to_string(server_->port()),
                                       "--token-file",
                                       (Tokens() / "national-collector.token").string(),
                                       "--spool-dir",
                                       (scratch_ / "collector-spool").string()};
      argv.insert(argv.end(), input.begin(), input.end());
      const std::filesystem::path log = scratch_ / ("collector-" + std::to_string(++run) + ".log");
      ChildProcess collector(argv, log);
      ASSERT_EQ(collector.Wait(), 0) << ReadText(log);
    }
  }

  std::filesystem::path Tokens() const { return scratch_ / "tokens"; }

  std::string Token(const std::string& role) const {
    const std::string text = ReadText(Tokens() / (role + ".token"));
    return text.substr(0, text.find('\n'));
  }

  Json GetJson(const std::string& target, const std::string& token) {
    const Reply reply = Send(
        server_->http_port(), bhttp::verb::get, target, "",
        {{"Accept", "application/taxii+json;version=2.1"}, {"Authorization", "Bearer " + token}});
    EXPECT_EQ(reply.status, 200) << target << ": " << reply.body;
    return reply.status == 200 ? reply.json() : Json::object();
  }

  // Every object of every collection `token` is shown, each collection paged with `next` until
  // more is false, as one bundle (an object served by two collections is kept once).
  Json ExportAsBundle(const std::string& token) {
    Json objects = Json::array();
    std::set<std::string> kept;
    const Json listed = GetJson(std::string(kApiRoot) + "collections/", token);
    for (const Json& collection : listed.value("collections", Json::array())) {
      const std::string base = std::string(kApiRoot) + "collections/" + collection.value("id", "") +
                               "/objects/?limit=500";
      std::string next;
      for (int page = 0;; ++page) {
        if (page == 100'000) {
          ADD_FAILURE() << collection.dump() << ": the paging never ended";
          break;
        }
        const Json envelope = GetJson(base + (next.empty() ? "" : "&next=" + next), token);
        for (const Json& object : envelope.value("objects", Json::array())) {
          if (kept.insert(object.value("id", "") + "@" + object.value("modified", "")).second) {
            objects.push_back(object);
          }
        }
        ++pages_read_;
        if (!envelope.value("more", false)) break;
        next = envelope.value("next", "");
        if (next.empty()) {
          ADD_FAILURE() << collection.dump() << ": more without next";
          break;
        }
      }
    }
    return Json{{"type", "bundle"},
                {"id", "bundle--3f6f5d2c-7a44-4e0e-9d6b-2a0f1c9b8e11"},
                {"objects", objects}};
  }

  static size_t CountOfType(const Json& bundle, const std::string& type) {
    size_t count = 0;
    for (const Json& object : bundle["objects"]) count += object.value("type", "") == type;
    return count;
  }

  std::filesystem::path scratch_;
  int pages_read_ = 0;
};

TEST_F(TaxiiDemoExportTest, EveryObjectOfTheWholeDemoExportValidatesForEveryDemoRole) {
  std::vector<Json> exports;
  for (const char* role : kRoles) exports.push_back(ExportAsBundle(Token(role)));
  EXPECT_GT(pages_read_, 3 * 5) << "some collection should need more than one page";
  const std::vector<std::string> problems = ValidationProblems(exports, scratch_);
  for (size_t i = 0; i < exports.size(); ++i) {
    SCOPED_TRACE(kRoles[i]);
    EXPECT_GT(exports[i]["objects"].size(), 0u);
    EXPECT_EQ(problems[i], "");
  }
  // The national view holds every kind the demo loads.
  const Json& national = exports[0];
  for (const char* type : {"incident", "infrastructure", "software", "vulnerability", "indicator",
                           "marking-definition", "extension-definition", "identity"}) {
    EXPECT_GT(CountOfType(national, type), 0u) << type;
  }

  // One broken incident makes the check fail, whichever rule it breaks.
  const Json* incident = nullptr;
  for (const Json& object : national["objects"]) {
    if (object.value("type", "") == "incident") {
      incident = &object;
      break;
    }
  }
  ASSERT_NE(incident, nullptr);
  const Json intact = WithReferences(*incident, national["objects"]);
  constexpr char kNowhere[] = "identity--0d7a4e2c-5b6f-5a3e-9c1d-2e4f6a8b0c1d";
  const std::vector<std::pair<std::string, std::function<void(Json&)>>> breaks = {
      {"", [](Json&) {}},  // the same bundle unbroken passes
      {"before created", [](Json& o) { o["modified"] = "2000-01-01T00:00:00.000Z"; }},
      {"does not resolve", [&](Json& o) { o["created_by_ref"] = kNowhere; }},
      {"id is not", [](Json& o) { o["id"] = "incident--not-a-uuid"; }},
      {"object_marking_refs names", [&](Json& o) { o["object_marking_refs"] = {kNowhere}; }},
      {"schema incident.json", [](Json& o) { o.erase("created"); }},
  };
  std::vector<Json> broken;
  for (const auto& [expected, mutate] : breaks) {
    broken.push_back(intact);
    mutate(broken.back()["objects"][0]);
  }
  const std::vector<std::string> found = ValidationProblems(broken, scratch_);
  for (size_t i = 0; i < breaks.size(); ++i) {
    SCOPED_TRACE(breaks[i].first);
    if (breaks[i].first.empty()) {
      EXPECT_EQ(found[i], "");
    } else {
      EXPECT_NE(found[i].find(breaks[i].first), std::string::npos) << found[i];
    }
  }
}

}  // namespace
}  // namespace sitrep::testing
