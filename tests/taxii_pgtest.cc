// TAXII 2.1 on the HTTP edge (issue 19): real HTTP over loopback to an in-process sitrepd on a
// throwaway cluster. Discovery leads to collections whose objects page to the end with `next`;
// a client paging with `added_after` sees every object exactly once while a writer holds its
// transaction open; media types and credentials are refused as TAXII says; each role sees in
// TAXII exactly what its gRPC feed shows; every served page validates against the official
// STIX 2.1 schemas (stix/validate_stix.py); POST gives a stored status resource.
#include <gtest/gtest.h>

#include <boost/beast/http/verb.hpp>
#include <condition_variable>
#include <cstdlib>
#include <fstream>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>

#include "sitrep/v1/feed.grpc.pb.h"
#include "stix/stix_export.h"
#include "storage/incident_store.h"
#include "storage/pool.h"
#include "storage/tx.h"
#include "tests/http_client.h"
#include "tests/push_client.h"
#include "tests/record_samples.h"
#include "tests/server_fixture.h"

namespace sitrep::testing {
namespace {

namespace bhttp = boost::beast::http;
using Json = nlohmann::json;

constexpr char kTaxii[] = "application/taxii+json;version=2.1";
constexpr char kRoot[] = "/taxii2/api/";

std::string Base64(const std::string& text) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  size_t i = 0;
  for (; i + 2 < text.size(); i += 3) {
    const uint32_t n = (static_cast<uint8_t>(text[i]) << 16) |
                       (static_cast<uint8_t>(text[i + 1]) << 8) | static_cast<uint8_t>(text[i + 2]);
    for (int shift : {18, 12, 6, 0}) out.push_back(kAlphabet[(n >> shift) & 63]);
  }
  if (i + 1 == text.size()) {
    const uint32_t n = static_cast<uint8_t>(text[i]) << 16;
    out += std::string{kAlphabet[(n >> 18) & 63], kAlphabet[(n >> 12) & 63], '=', '='};
  } else if (i + 2 == text.size()) {
    const uint32_t n =
        (static_cast<uint8_t>(text[i]) << 16) | (static_cast<uint8_t>(text[i + 1]) << 8);
    out += std::string{kAlphabet[(n >> 18) & 63], kAlphabet[(n >> 12) & 63],
                       kAlphabet[(n >> 6) & 63], '='};
  }
  return out;
}

Headers Taxii(const std::string& token) {
  return {{"Accept", kTaxii}, {"Authorization", "Bearer " + token}};
}

// Runs stix/validate_stix.py over `objects` (with the reference collection's objects, which
// every export refers to); "" when valid, else what it printed.
std::string Validate(const Json& objects, const Json& reference) {
  Json all = reference;
  std::set<std::string> seen;
  for (const Json& object : reference) seen.insert(object["id"].get<std::string>());
  for (const Json& object : objects) {
    if (seen.insert(object["id"].get<std::string>() + object.value("modified", "")).second) {
      all.push_back(object);
    }
  }
  const std::string dir = ::testing::TempDir();
  const std::string bundle_path = dir + "/taxii_page_bundle.json";
  const std::string out_path = dir + "/taxii_page_validation.txt";
  std::ofstream(bundle_path) << Json{
      {"type", "bundle"},
      {"id", "bundle--6ba7b810-9dad-41d1-80b4-00c04fd430c8"},
      {"objects", all}}.dump();
  const std::string source = SITREP_SOURCE_DIR;
  const std::string command =
      std::string(SITREP_PYTHON) + " " + source + "/stix/validate_stix.py --schemas " + source +
      "/tests/data/stix2-json-schemas/schemas --extension-schema " + source +
      "/stix/schemas/incident-core.json --attack-table " + source +
      "/stix/attack_ics_techniques.inc " + bundle_path + " > " + out_path + " 2>&1";
  const int result = std::system(command.c_str());
  std::ifstream in(out_path);
  const std::string output((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return result == 0 ? "" : output;
}

class TaxiiTest : public ServerFixture {
 protected:
  TaxiiTest() { start_in_setup_ = false; }

  void SetUp() override {
    ServerFixture::SetUp();
    config_.http_listen = "127.0.0.1:0";
    StartServer();
    port_ = server_->http_port();
    ASSERT_GT(port_, 0);
    feeds_ = v1::FeedService::NewStub(channel_);
    national_ = TokenFor(v1::ROLE_NATIONAL);
    collector_ = TokenFor(v1::ROLE_COLLECTOR, 440000);
  }

  Reply Get(const std::string& target, const std::string& token) {
    return Send(port_, bhttp::verb::get, target, "", Taxii(token));
  }

  void PushIncidents(const std::vector<v1::Incident>& incidents, const std::string& token = "") {
    v1::PushBatch batch;
    for (const v1::Incident& incident : incidents) *batch.add_incidents() = incident;
    const PushResult result = PushAll(*channel_, token.empty() ? collector_ : token, {batch});
    ASSERT_TRUE(result.status.ok()) << result.status.error_message();
    ASSERT_EQ(result.acks.at(0).rejected(), 0u) << result.acks[0].ShortDebugString();
  }

  std::vector<v1::Incident> Incidents(const std::string& prefix, int count, uint32_t province) {
    std::vector<v1::Incident> incidents;
    for (int i = 0; i < count; ++i) {
      incidents.push_back(SampleIncident(prefix + std::to_string(i), province, clock_.Now()));
    }
    return incidents;
  }

  // The objects of `collection` for `token`, following `next` from `start` until more is false;
  // checks every page's headers and validity on the way.
  Json PageAll(const std::string& collection, const std::string& token, int limit,
               const std::string& start_query = "") {
    Json all = Json::array();
    std::string query = start_query;
    for (int pages = 0; pages < 1000; ++pages) {
      const Reply reply = Get(std::string(kRoot) + "collections/" + collection +
                                  "/objects/?limit=" + std::to_string(limit) + query,
                              token);
      EXPECT_EQ(reply.status, 200) << reply.body;
      EXPECT_EQ(reply.header("content-type"), kTaxii);
      const Json envelope = reply.json();
      const Json objects = envelope.value("objects", Json::array());
      EXPECT_LE(objects.size(), static_cast<size_t>(std::max(limit, 40))) << "one record at most";
      if (!objects.empty()) {
        EXPECT_FALSE(reply.header("x-taxii-date-added-first").empty());
        EXPECT_FALSE(reply.header("x-taxii-date-added-last").empty());
      }
      for (const Json& object : objects) all.push_back(object);
      if (!envelope.value("more", false)) return all;
      EXPECT_TRUE(envelope.contains("next")) << reply.body;
      query = "&next=" + envelope.value("next", std::string());
    }
    ADD_FAILURE() << "the client never stopped";
    return all;
  }

  Json Reference() {
    return Get(std::string(kRoot) + "collections/reference/objects/", national_)
        .json()
        .value("objects", Json::array());
  }

  static std::multiset<std::string> IdsOfType(const Json& objects, const std::string& type) {
    std::multiset<std::string> ids;
    for (const Json& object : objects) {
      if (object["type"] == type) ids.insert(object["id"].get<std::string>());
    }
    return ids;
  }

  int port_ = 0;
  std::unique_ptr<v1::FeedService::Stub> feeds_;
  std::string national_, collector_;
};

TEST_F(TaxiiTest, DiscoveryLeadsToCollectionsWhoseObjectsPageToTheEndWithNext) {
  PushIncidents(Incidents("p-", 23, 440000));
  const Reply discovery = Get("/taxii2/", national_);
  ASSERT_EQ(discovery.status, 200) << discovery.body;
  const std::string root = discovery.json()["api_roots"][0];
  EXPECT_EQ(root, "http://127.0.0.1/taxii2/api/");
  const Reply api_root = Get(kRoot, national_);
  ASSERT_EQ(api_root.status, 200);
  EXPECT_EQ(api_root.json()["versions"], Json::array({kTaxii}));
  const Reply collections = Get(std::string(kRoot) + "collections/", national_);
  ASSERT_EQ(collections.status, 200);
  std::map<std::string, Json> by_alias;
  const Json listed = collections.json();  // kept: a range-for over a temporary's member dangles
  for (const Json& collection : listed["collections"]) {
    by_alias[collection.value("alias", std::string())] = collection;
  }
  ASSERT_TRUE(by_alias.contains("incidents")) << collections.body;
  ASSERT_TRUE(by_alias.contains("assets"));
  ASSERT_TRUE(by_alias.contains("shared-with-me"));
  ASSERT_TRUE(by_alias.contains("reference"));
  const std::string incidents_id = by_alias["incidents"]["id"];
  EXPECT_EQ(Get(std::string(kRoot) + "collections/" + incidents_id + "/", national_).status, 200);

  // Pages of 10 objects hold whole records only: all 23 incidents, each exactly once.
  for (const int limit : {10, 1, 1000}) {
    SCOPED_TRACE(limit);
    const Json objects = PageAll(incidents_id, national_, limit);
    const std::multiset<std::string> incidents = IdsOfType(objects, "incident");
    EXPECT_EQ(incidents.size(), 23u);
    EXPECT_EQ(std::set<std::string>(incidents.begin(), incidents.end()).size(), 23u);
    EXPECT_EQ(Validate(objects, Reference()), "");
  }
  // The manifest lists the same objects, with versions and date_added.
  const Json manifest =
      Get(std::string(kRoot) + "collections/incidents/manifest/?limit=1000", national_).json();
  ASSERT_TRUE(manifest.contains("objects"));
  for (const Json& entry : manifest["objects"]) {
    EXPECT_TRUE(entry.contains("date_added") && entry.contains("version")) << entry;
  }
  // One object by id, and its versions.
  const std::string one = *IdsOfType(PageAll("incidents", national_, 1000), "incident").begin();
  const Reply by_id =
      Get(std::string(kRoot) + "collections/incidents/objects/" + one + "/", national_);
  ASSERT_EQ(by_id.status, 200) << by_id.body;
  EXPECT_EQ(by_id.json()["objects"][0]["id"], one);
  const Reply versions =
      Get(std::string(kRoot) + "collections/incidents/objects/" + one + "/versions/", national_);
  ASSERT_EQ(versions.status, 200) << versions.body;
  EXPECT_EQ(versions.json()["versions"].size(), 1u);
  // match[type] narrows a page to the types asked for.
  const Json indicators =
      Get(std::string(kRoot) + "collections/incidents/objects/?limit=1000&match[type]=indicator",
          national_)
          .json()
          .value("objects", Json::array());
  EXPECT_FALSE(indicators.empty());
  for (const Json& object : indicators) EXPECT_EQ(object["type"], "indicator");
}

// The OpenTAXII failure the issue names: a writer that commits late must not land behind what
// a client read. A client following `next` and one following `added_after` (the last
// X-TAXII-Date-Added-Last) both stop while the writer holds its transaction, and both see every
// incident exactly once after it commits.
TEST_F(TaxiiTest, AddedAfterAndNextSeeEveryObjectOnceWhileAWriterHoldsItsTransaction) {
  PushIncidents(Incidents("before-", 5, 440000));
  storage::Pool pool(server_->database_url(), 1);
  Principal writer;
  writer.id = NewestPrincipalId();
  writer.role = v1::ROLE_COLLECTOR;
  writer.province = 440000;
  std::mutex mu;
  std::condition_variable changed;
  bool written = false, release = false;
  std::thread slow([&] {
    v1::Incident late = SampleIncident("late", 440000, clock_.Now());
    late.set_status(v1::INCIDENT_STATUS_REPORTED);  // as ingest defaults it
    std::vector<storage::IncidentWrite> writes = {{writer.id, &late, nullptr, false}};
    storage::InTransaction(pool, writer, [&](storage::Tx& tx) {
      (void)storage::IncidentStore::Insert(tx, writes, clock_.Now());
      std::unique_lock lock(mu);
      written = true;
      changed.notify_all();
      changed.wait(lock, [&] { return release; });
    });
  });
  {
    std::unique_lock lock(mu);
    changed.wait(lock, [&] { return written; });
  }
  PushIncidents(Incidents("after-", 7, 440000));  // commit while the writer is open

  // Client A follows next; client B passes back the last X-TAXII-Date-Added-Last.
  std::multiset<std::string> seen_by_next, seen_by_added_after;
  std::string resume_a, added_after;
  auto poll_next = [&] {
    const Json objects = PageAll("incidents", national_, 3, resume_a);
    for (const std::string& id : IdsOfType(objects, "incident")) seen_by_next.insert(id);
    return objects;
  };
  auto poll_added_after = [&] {
    for (int pages = 0; pages < 100; ++pages) {
      const Reply reply = Get(std::string(kRoot) + "collections/incidents/objects/?limit=4" +
                                  (added_after.empty() ? "" : "&added_after=" + added_after),
                              national_);
      EXPECT_EQ(reply.status, 200) << reply.body;
      const Json objects = reply.json().value("objects", Json::array());
      for (const std::string& id : IdsOfType(objects, "incident")) seen_by_added_after.insert(id);
      if (!objects.empty()) added_after = reply.header("x-taxii-date-added-last");
      if (!reply.json().value("more", false)) return;
    }
    ADD_FAILURE() << "the added_after client never stopped";
  };
  // While the writer is open only what precedes it is served, and both clients stop.
  const Json first = poll_next();
  poll_added_after();
  EXPECT_EQ(seen_by_next.size(), 5u);
  EXPECT_EQ(seen_by_added_after.size(), 5u);
  EXPECT_FALSE(first.empty());
  std::string last_added;
  {
    // A client following next resumes with added_after = the last date_added it saw.
    const Reply last =
        Get(std::string(kRoot) + "collections/incidents/manifest/?limit=1000", national_);
    last_added = last.header("x-taxii-date-added-last");
  }
  {
    std::lock_guard lock(mu);
    release = true;
    changed.notify_all();
  }
  slow.join();
  resume_a = "&added_after=" + last_added;
  poll_next();
  poll_added_after();
  EXPECT_EQ(seen_by_next.size(), 13u);
  EXPECT_EQ(std::set<std::string>(seen_by_next.begin(), seen_by_next.end()).size(), 13u);
  EXPECT_EQ(seen_by_added_after, seen_by_next);
  // Caught up: the next poll brings nothing.
  const Reply caught_up = Get(
      std::string(kRoot) + "collections/incidents/objects/?added_after=" + added_after, national_);
  EXPECT_FALSE(caught_up.json().contains("objects")) << caught_up.body;
  EXPECT_FALSE(caught_up.json().value("more", true));
}

// TAXII 2.1 §1.6.8, §3.6: what is refused, and how. One row per case.
TEST_F(TaxiiTest, MediaTypesCredentialsAndMethodsAreRefusedAsTaxiiSays) {
  PushIncidents(Incidents("r-", 1, 440000));
  const std::string objects = std::string(kRoot) + "collections/incidents/objects/";
  const std::string some_id = "incident--0b6c1f5a-3a5e-5d7e-9a54-8a4e1b9e2c11";
  struct Row {
    const char* name;
    bhttp::verb verb;
    std::string target;
    Headers headers;
    std::string body;
    int status;
  };
  const Headers good = Taxii(national_);
  const std::vector<Row> rows = {
      {"json accept",
       bhttp::verb::get,
       objects,
       {{"Accept", "application/json"}, {"Authorization", "Bearer " + national_}},
       "",
       406},
      {"taxii 2.0",
       bhttp::verb::get,
       objects,
       {{"Accept", "application/taxii+json;version=2.0"}, {"Authorization", "Bearer " + national_}},
       "",
       406},
      {"any accept",
       bhttp::verb::get,
       objects,
       {{"Accept", "*/*"}, {"Authorization", "Bearer " + national_}},
       "",
       200},
      {"no version",
       bhttp::verb::get,
       objects,
       {{"Accept", "application/taxii+json"}, {"Authorization", "Bearer " + national_}},
       "",
       200},
      {"post json",
       bhttp::verb::post,
       objects,
       {{"Accept", kTaxii},
        {"Content-Type", "application/json"},
        {"Authorization", "Bearer " + collector_}},
       "{\"objects\":[]}",
       415},
      {"no credentials", bhttp::verb::get, objects, {{"Accept", kTaxii}}, "", 401},
      {"unknown bearer",
       bhttp::verb::get,
       objects,
       {{"Accept", kTaxii}, {"Authorization", "Bearer not-a-token"}},
       "",
       401},
      {"basic with token",
       bhttp::verb::get,
       objects,
       {{"Accept", kTaxii}, {"Authorization", "Basic " + Base64("national:" + national_)}},
       "",
       200},
      {"basic wrong token",
       bhttp::verb::get,
       objects,
       {{"Accept", kTaxii}, {"Authorization", "Basic " + Base64("national:nope")}},
       "",
       401},
      {"basic malformed",
       bhttp::verb::get,
       objects,
       {{"Accept", kTaxii}, {"Authorization", "Basic %%%"}},
       "",
       401},
      {"delete", bhttp::verb::delete_, objects + some_id + "/", good, "", 403},
      {"put", bhttp::verb::put, objects, good, "", 405},
      {"unknown collection", bhttp::verb::get, std::string(kRoot) + "collections/nope/objects/",
       good, "", 404},
      {"unknown root", bhttp::verb::get, "/taxii2/other/", good, "", 404},
      {"bad limit", bhttp::verb::get, objects + "?limit=-3", good, "", 400},
      {"bad added_after", bhttp::verb::get, objects + "?added_after=yesterday", good, "", 400},
      {"bad next", bhttp::verb::get, objects + "?next=zzz", good, "", 400},
      {"unknown parameter", bhttp::verb::get, objects + "?match[colour]=red", good, "", 400},
      {"missing object", bhttp::verb::get, objects + some_id + "/", good, "", 404},
      {"post to read-only",
       bhttp::verb::post,
       std::string(kRoot) + "collections/assets/objects/",
       {{"Accept", kTaxii}, {"Content-Type", kTaxii}, {"Authorization", "Bearer " + collector_}},
       "{\"objects\":[]}",
       403},
      {"post not json",
       bhttp::verb::post,
       objects,
       {{"Accept", kTaxii}, {"Content-Type", kTaxii}, {"Authorization", "Bearer " + collector_}},
       "{",
       400},
      {"missing status", bhttp::verb::get,
       std::string(kRoot) + "status/0b6c1f5a-3a5e-5d7e-9a54-8a4e1b9e2c11/", good, "", 404},
  };
  for (const Row& row : rows) {
    SCOPED_TRACE(row.name);
    const Reply reply = Send(port_, row.verb, row.target, row.body, row.headers);
    EXPECT_EQ(reply.status, row.status) << reply.body;
    if (row.status >= 400) {
      EXPECT_EQ(reply.header("content-type"), kTaxii);
      EXPECT_TRUE(reply.json().contains("title")) << reply.body;
      EXPECT_EQ(reply.body.find("SELECT"), std::string::npos);
    }
    if (row.status == 401) {
      EXPECT_FALSE(reply.header("www-authenticate").empty());
    }
  }
}

// SPEC §3 through TAXII: each role's incidents collection holds exactly the incidents its gRPC
// feed shows, redacted alike; "shared with me" holds those another principal reported.
TEST_F(TaxiiTest, EachRoleSeesInTaxiiWhatItsGrpcFeedShows) {
  const v1::Enterprise victim = RegisterEnterprise(440000, "energy");
  const v1::Enterprise peer = RegisterEnterprise(310000, "energy");
  const std::string shanghai_collector = TokenFor(v1::ROLE_COLLECTOR, 310000);
  std::vector<v1::Incident> incidents = Incidents("gd-", 3, 440000);
  incidents[0].set_enterprise_id(victim.id());
  incidents[1].set_sharing_scope(v1::SHARING_SCOPE_SECTOR);
  incidents[1].set_tlp(v1::TLP_GREEN);
  incidents[1].set_enterprise_id(victim.id());
  incidents[2].set_sharing_scope(v1::SHARING_SCOPE_ALL_REGULATORS);
  PushIncidents(incidents);
  PushIncidents(Incidents("sh-", 2, 310000), shanghai_collector);

  const std::map<std::string, std::string> callers = {
      {"national", national_},
      {"guangdong", TokenFor(v1::ROLE_PROVINCIAL, 440000)},
      {"shanghai", TokenFor(v1::ROLE_PROVINCIAL, 310000)},
      {"victim", TokenFor(v1::ROLE_ENTERPRISE, 0, victim.id())},
      {"peer enterprise", TokenFor(v1::ROLE_ENTERPRISE, 0, peer.id())},
      {"collector", collector_}};
  const stix::Exporter exporter;
  const Json reference = Reference();
  for (const auto& [name, token] : callers) {
    SCOPED_TRACE(name);
    v1::ListIncidentsRequest request;
    request.set_page_size(1000);
    v1::ListIncidentsResponse response;
    ASSERT_TRUE(feeds_->ListIncidents(As(token).get(), request, &response).ok());
    std::multiset<std::string> expected;
    for (const v1::Incident& incident : response.incidents()) {
      expected.insert(stix::IncidentId(exporter, incident.id()));
    }
    const Json objects = PageAll("incidents", token, 7);
    EXPECT_EQ(IdsOfType(objects, "incident"), expected);
    for (const Json& object : objects) {
      if (object["type"] != "incident" || !object.value("x_sitrep_redacted", false)) continue;
      for (const char* field : {"x_sitrep_reporter_id", "x_sitrep_enterprise_id",
                                "x_sitrep_external_id", "x_sitrep_attributes"}) {
        EXPECT_FALSE(object.contains(field)) << object;
      }
    }
    EXPECT_EQ(Validate(objects, reference), "");
    // Shared with me: none of the caller's own reports.
    const Json shared = PageAll("shared-with-me", token, 50);
    for (const v1::Incident& incident : response.incidents()) {
      const bool own = token == collector_;  // a collector sees only what it pushed
      const std::string id = stix::IncidentId(exporter, incident.id());
      if (own) {
        EXPECT_EQ(IdsOfType(shared, "incident").count(id), 0u) << id;
      } else {
        EXPECT_EQ(IdsOfType(shared, "incident").count(id), 1u) << id;
      }
    }
  }
}

// TAXII 2.1 §5.5: a POST answers a complete status resource; each object stands on its own;
// the status can be read again by its poster only; a repeated POST adds nothing.
TEST_F(TaxiiTest, PostAnswersAStoredStatusWithOneFailurePerBadObject) {
  const stix::Exporter exporter;
  v1::Incident sample = SampleIncident("taxii-post", 440000, clock_.Now());
  sample.set_id(999'999);  // only for the id of the exported object
  *sample.mutable_receive_time() = sample.detect_time();
  *sample.mutable_update_time() = sample.detect_time();
  sample.clear_indicators();
  const Json good = stix::ExportIncident(exporter, sample).front();
  Json no_name = good;
  no_name.erase("name");
  no_name["id"] = "incident--11111111-2222-5333-8444-555555555555";
  const Json malware = {{"type", "malware"},
                        {"spec_version", "2.1"},
                        {"id", "malware--11111111-2222-5333-8444-555555555556"}};
  const Json envelope = {{"objects", Json::array({good, no_name, malware})}};
  const Headers post = {
      {"Accept", kTaxii}, {"Content-Type", kTaxii}, {"Authorization", "Bearer " + collector_}};
  const size_t before = AllIncidents().size();
  const Reply reply =
      Send(port_, bhttp::verb::post, std::string(kRoot) + "collections/incidents/objects/",
           envelope.dump(), post);
  ASSERT_EQ(reply.status, 202) << reply.body;
  const Json status = reply.json();
  EXPECT_EQ(status["status"], "complete");
  EXPECT_EQ(status["total_count"], 3);
  EXPECT_EQ(status["success_count"], 1) << status;
  EXPECT_EQ(status["failure_count"], 2) << status;
  for (const Json& failure : status["failures"]) {
    EXPECT_FALSE(failure.value("message", "").empty()) << failure;
  }
  EXPECT_EQ(AllIncidents().size(), before + 1);

  const std::string status_path =
      std::string(kRoot) + "status/" + status["id"].get<std::string>() + "/";
  const Reply again = Get(status_path, collector_);
  ASSERT_EQ(again.status, 200) << again.body;
  EXPECT_EQ(again.json()["success_count"], 1);
  EXPECT_EQ(Get(status_path, national_).status, 404) << "another principal's status";

  const Reply repeated =
      Send(port_, bhttp::verb::post, std::string(kRoot) + "collections/incidents/objects/",
           envelope.dump(), post);
  ASSERT_EQ(repeated.status, 202);
  EXPECT_EQ(repeated.json()["success_count"], 1);
  EXPECT_EQ(AllIncidents().size(), before + 1) << "a repeated POST adds nothing";
}

// Every TAXII call is in the audit log: the feed reads as their gRPC methods (from the HTTP
// client's address), the rest under their TAXII path.
TEST_F(TaxiiTest, EveryCallIsAudited) {
  PushIncidents(Incidents("a-", 1, 440000));
  ASSERT_EQ(Get("/taxii2/", national_).status, 200);
  ASSERT_EQ(Get(std::string(kRoot) + "collections/", national_).status, 200);
  ASSERT_EQ(Get(std::string(kRoot) + "collections/incidents/objects/", national_).status, 200);
  ASSERT_EQ(Send(port_, bhttp::verb::get, "/taxii2/", "", {{"Accept", kTaxii}}).status, 401);
  std::set<std::string> methods;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (std::chrono::steady_clock::now() < deadline) {
    methods.clear();
    for (const v1::AuditEntry& entry : AuditEntries("")) {
      if (entry.peer().find("127.0.0.1") != std::string::npos) methods.insert(entry.method());
    }
    if (methods.contains("/sitrep.v1.FeedService/ListIncidents") && methods.contains("/taxii2/") &&
        methods.contains("/taxii2/api/collections/")) {
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_TRUE(methods.contains("/sitrep.v1.FeedService/ListIncidents"));
  EXPECT_TRUE(methods.contains("/taxii2/"));
  EXPECT_TRUE(methods.contains("/taxii2/api/collections/"));
}

}  // namespace
}  // namespace sitrep::testing
