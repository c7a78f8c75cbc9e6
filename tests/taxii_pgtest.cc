// TAXII 2.1 on the HTTP edge (issue 19): real HTTP over loopback to an in-process sitrepd on a
// throwaway cluster. Discovery leads to collections whose objects page to the end with `next`;
// a client paging with `added_after` sees every object exactly once while a writer holds its
// transaction open; media types and credentials are refused as TAXII says; each role sees in
// TAXII exactly what its gRPC feed shows; every served page validates against the official
// STIX 2.1 schemas (stix/validate_stix.py); POST gives a stored status resource, judges each
// object on its own, is idempotent by id + modified and writes with the poster's permissions;
// the vulnerabilities collection serves advisories under the caller's TLP visibility.
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

#include "domain/time_convert.h"
#include "sitrep/v1/feed.grpc.pb.h"
#include "sitrep/v1/report.grpc.pb.h"
#include "sitrep/v1/vulnerability.grpc.pb.h"
#include "stix/stix_export.h"
#include "storage/incident_store.h"
#include "storage/pool.h"
#include "storage/tx.h"
#include "tests/http_client.h"
#include "tests/push_client.h"
#include "tests/record_samples.h"
#include "tests/server_fixture.h"
#include "tests/support/test_data.h"

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

  Reply Post(const std::string& collection, const Json& objects, const std::string& token) {
    return Send(
        port_, bhttp::verb::post, std::string(kRoot) + "collections/" + collection + "/objects/",
        Json{{"objects", objects}}.dump(),
        {{"Accept", kTaxii}, {"Content-Type", kTaxii}, {"Authorization", "Bearer " + token}});
  }

  // A STIX timestamp `hours` before now (the server refuses times in the future).
  std::string HoursAgo(int hours) {
    return stix::StixTime(ToTimestamp(clock_.Now() - std::chrono::hours(hours)));
  }

  // An id of `type` that is the same for the same `name`.
  static std::string PeerId(const std::string& type, const std::string& name) {
    return type + "--" +
           stix::Uuid5(*stix::ParseUuid("6ba7b810-9dad-11d1-80b4-00c04fd430c8"), type + name);
  }

  // An incident as a peer sends it: no sitrep properties, no extension, version `modified`.
  Json PeerIncident(const std::string& name, const std::string& modified) {
    return Json{
        {"type", "incident"},     {"spec_version", "2.1"}, {"id", PeerId("incident", name)},
        {"created", HoursAgo(5)}, {"modified", modified},  {"name", "Peer incident " + name}};
  }

  // A vulnerability as a peer sends it: the CVE as name and external reference.
  static Json PeerVulnerability(const std::string& cve_id, const std::string& created,
                                const std::string& modified) {
    return Json{
        {"type", "vulnerability"},
        {"spec_version", "2.1"},
        {"id", PeerId("vulnerability", cve_id)},
        {"created", created},
        {"modified", modified},
        {"name", cve_id},
        {"external_references", Json::array({{{"source_name", "cve"}, {"external_id", cve_id}}})}};
  }

  // The incidents `token`'s principal reported, by external id (the STIX id).
  std::map<std::string, v1::Incident> MyIncidents(const std::string& token) {
    auto reports = v1::ReportService::NewStub(channel_);
    v1::ListMyIncidentsRequest request;
    request.set_page_size(1000);
    v1::ListMyIncidentsResponse response;
    std::map<std::string, v1::Incident> mine;
    std::string token_page;
    do {
      request.set_page_token(token_page);
      const grpc::Status status = reports->ListMyIncidents(As(token).get(), request, &response);
      EXPECT_TRUE(status.ok()) << status.error_message();
      if (!status.ok()) break;
      for (const v1::Incident& incident : response.incidents()) {
        mine[incident.external_id()] = incident;
      }
      token_page = response.next_page_token();
    } while (!token_page.empty() && response.incidents_size() > 0);
    return mine;
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

// Issue 19 item 3: a 1,000-object envelope with one bad object stores the 999 others and
// names what is wrong with the one; the same POST again adds nothing (id + modified).
TEST_F(TaxiiTest, AThousandObjectsWithOneBadOneGive999SuccessesAndOneFailure) {
  const std::string version = HoursAgo(1);
  Json objects = Json::array();
  for (int i = 0; i < 1000; ++i) objects.push_back(PeerIncident(std::to_string(i), version));
  objects[417]["created"] = "yesterday";
  const size_t before = AllIncidents().size();
  const Reply reply = Post("incidents", objects, collector_);
  ASSERT_EQ(reply.status, 202) << reply.body.substr(0, 2000);
  const Json status = reply.json();
  EXPECT_EQ(status["status"], "complete");
  EXPECT_EQ(status["total_count"], 1000);
  EXPECT_EQ(status["success_count"], 999);
  ASSERT_EQ(status["failure_count"], 1) << status["failures"];
  EXPECT_EQ(status["failures"][0]["id"], objects[417]["id"]);
  EXPECT_NE(status["failures"][0]["message"].get<std::string>().find("objects[417].created"),
            std::string::npos)
      << status["failures"][0];
  EXPECT_EQ(AllIncidents().size(), before + 999);

  const Reply again = Post("incidents", objects, collector_);
  ASSERT_EQ(again.status, 202);
  // Kept whole: a range-for over a member of the temporary json() would read freed memory.
  const Json repeated = again.json();
  EXPECT_EQ(repeated["success_count"], 999);
  EXPECT_EQ(repeated["failure_count"], 1);
  for (const Json& success : repeated["successes"]) {
    EXPECT_EQ(success.value("message", ""), "already stored: nothing changed") << success;
  }
  EXPECT_EQ(AllIncidents().size(), before + 999) << "a repeated POST adds nothing";
  for (const auto& [id, incident] : MyIncidents(collector_)) {
    EXPECT_EQ(incident.revision(), 1) << id << ": a repeated POST writes nothing";
  }
}

// CompareStixVersions decides a POST of a known id: the same version is a success without a
// write, an older one fails as stale, a newer one amends the incident. One row per step, in order.
TEST_F(TaxiiTest, AKnownIdIsStaleSameOrNewerByItsModifiedTime) {
  const std::string first = HoursAgo(3), older = HoursAgo(4), newer = HoursAgo(2);
  const std::string id = PeerId("incident", "versioned");
  struct Step {
    const char* name;
    std::string modified;
    std::string title;
    bool success;
    std::string message;  // a substring of the status entry's message
    int64_t revision;     // of the stored incident afterwards
    std::string stored_title;
  };
  const std::vector<Step> steps = {
      {"first", first, "Peer incident versioned", true, "", 1, "Peer incident versioned"},
      {"same again", first, "Peer incident versioned", true, "already stored", 1,
       "Peer incident versioned"},
      {"older", older, "Older title", false, "stale version", 1, "Peer incident versioned"},
      {"newer", newer, "Newer title", true, "amended", 2, "Newer title"},
      {"the first again", first, "Peer incident versioned", false, "stale version", 2,
       "Newer title"},
  };
  for (const Step& step : steps) {
    SCOPED_TRACE(step.name);
    Json object = PeerIncident("versioned", step.modified);
    object["name"] = step.title;
    const Reply reply = Post("incidents", Json::array({object}), collector_);
    ASSERT_EQ(reply.status, 202) << reply.body;
    const Json status = reply.json();
    const Json entries = status[step.success ? "successes" : "failures"];
    ASSERT_EQ(entries.size(), 1u) << status;
    EXPECT_EQ(entries[0]["id"], id);
    EXPECT_EQ(entries[0]["version"], step.modified);
    EXPECT_NE(entries[0].value("message", "").find(step.message), std::string::npos) << status;
    const std::map<std::string, v1::Incident> mine = MyIncidents(collector_);
    ASSERT_TRUE(mine.contains(id));
    EXPECT_EQ(mine.at(id).revision(), step.revision);
    EXPECT_EQ(mine.at(id).title(), step.stored_title);
  }
}

// Every kind TAXII POST accepts lands as a record the gRPC API reads back; one row per kind.
TEST_F(TaxiiTest, EachAcceptedKindLandsAsARecordReadableThroughTheApi) {
  const std::string created = HoursAgo(5), modified = HoursAgo(4);
  const std::string advisory_collector = TokenFor(v1::ROLE_COLLECTOR);
  Json core_incident = PeerIncident("with-core", modified);
  core_incident["extensions"] = {{std::string(stix::kIncidentCoreExtension),
                                  {{"extension_type", "property-extension"},
                                   {"determination", "successful-attempt"},
                                   {"investigation_status", "open"},
                                   {"criticality", 90},
                                   {"incident_types", Json::array({"ransomware"})}}}};
  const Json indicator = {{"type", "indicator"},
                          {"spec_version", "2.1"},
                          {"id", PeerId("indicator", "c2")},
                          {"created", created},
                          {"modified", modified},
                          {"name", "C2 address"},
                          {"pattern_type", "stix"},
                          {"pattern", "[ipv4-addr:value = '203.0.113.9']"},
                          {"valid_from", created}};
  const Json vulnerability = PeerVulnerability("CVE-2024-21762", created, modified);
  auto incident_check = [this](const std::string& id,
                               std::function<void(const v1::Incident&)> more) {
    return [this, id, more]() {
      const std::map<std::string, v1::Incident> mine = MyIncidents(collector_);
      ASSERT_TRUE(mine.contains(id)) << id;
      EXPECT_EQ(mine.at(id).province(), 440000u);
      more(mine.at(id));
    };
  };
  struct Row {
    const char* name;
    std::string collection, token;
    Json object;
    std::function<void()> check;
  };
  const std::vector<Row> rows = {
      {"incident without the extension", "incidents", collector_, PeerIncident("plain", modified),
       incident_check(PeerId("incident", "plain"),
                      [](const v1::Incident& incident) {
                        EXPECT_EQ(incident.title(), "Peer incident plain");
                        EXPECT_EQ(incident.severity(), v1::SEVERITY_IV);
                      })},
      {"incident with Incident Core", "incidents", collector_, core_incident,
       incident_check(PeerId("incident", "with-core"),
                      [](const v1::Incident& incident) {
                        EXPECT_EQ(incident.severity(), v1::SEVERITY_I);
                        EXPECT_EQ(incident.category(), v1::CATEGORY_MALWARE);
                        EXPECT_EQ(incident.status(), v1::INCIDENT_STATUS_CONFIRMED);
                      })},
      {"indicator", "incidents", collector_, indicator,
       incident_check(PeerId("indicator", "c2"),
                      [](const v1::Incident& incident) {
                        ASSERT_EQ(incident.indicators_size(), 1);
                        EXPECT_EQ(incident.indicators(0).value(), "203.0.113.9");
                        EXPECT_EQ(incident.subcategory(), "STIX indicator");
                      })},
      {"vulnerability", "vulnerabilities", advisory_collector, vulnerability,
       [this]() {
         auto vulns = v1::VulnerabilityService::NewStub(channel_);
         v1::GetAdvisoryRequest request;
         request.set_tracking_id("CVE-2024-21762");
         v1::Advisory advisory;
         const grpc::Status status = vulns->GetAdvisory(As(national_).get(), request, &advisory);
         ASSERT_TRUE(status.ok()) << status.error_message();
         EXPECT_TRUE(advisory.stub());
         // And the vulnerabilities collection serves it back as the CVE's vulnerability.
         const Json served = PageAll("vulnerabilities", national_, 100);
         std::set<std::string> names;
         for (const Json& object : served) names.insert(object.value("name", ""));
         EXPECT_TRUE(names.contains("CVE-2024-21762"));
       }},
  };
  for (const Row& row : rows) {
    SCOPED_TRACE(row.name);
    const Reply reply = Post(row.collection, Json::array({row.object}), row.token);
    ASSERT_EQ(reply.status, 202) << reply.body;
    EXPECT_EQ(reply.json()["success_count"], 1) << reply.body;
    row.check();
    // The other writable collection takes the other kinds only: it says so per object.
    const Reply elsewhere = Post(row.collection == "incidents" ? "vulnerabilities" : "incidents",
                                 Json::array({row.object}), row.token);
    ASSERT_EQ(elsewhere.status, 202);
    EXPECT_EQ(elsewhere.json()["failure_count"], 1) << elsewhere.body;
  }
  // What sitrep has no home for fails per object, saying so; it is never a silent success.
  const Json malware = {
      {"type", "malware"},  {"spec_version", "2.1"}, {"id", PeerId("malware", "x")},
      {"created", created}, {"modified", modified},  {"name", "x"},
      {"is_family", false}};
  const Json status = Post("incidents", Json::array({malware}), collector_).json();
  ASSERT_EQ(status["failure_count"], 1) << status;
  EXPECT_NE(status["failures"][0]["message"].get<std::string>().find("malware"), std::string::npos);
  // The collections that take POSTs are exactly those that say can_write.
  const Json listed = Get(std::string(kRoot) + "collections/", national_).json();
  for (const Json& collection : listed["collections"]) {
    const std::string alias = collection["alias"];
    EXPECT_EQ(collection["can_write"].get<bool>(),
              alias == "incidents" || alias == "vulnerabilities")
        << alias;
  }
}

// The poster's write permissions decide, per object: a role that may not write gets a failure
// for each object and nothing is stored. One row per refused poster.
TEST_F(TaxiiTest, ARoleThatMayNotWriteGetsPerObjectFailuresAndNothingIsStored) {
  const v1::Enterprise enterprise = RegisterEnterprise(440000, "energy");
  const std::string version = HoursAgo(1);
  const Json vulnerability = PeerVulnerability("CVE-2023-46604", version, version);
  Json shanghai = PeerIncident("elsewhere", version);
  shanghai["x_sitrep_province"] = 310000;
  struct Row {
    const char* name;
    std::string token;
    std::string collection;
    Json objects;
  };
  const std::vector<Row> rows = {
      {"provincial regulator", TokenFor(v1::ROLE_PROVINCIAL, 440000), "incidents",
       Json::array({PeerIncident("p1", version), PeerIncident("p2", version)})},
      {"national regulator", national_, "incidents",
       Json::array({PeerIncident("n1", version), shanghai})},
      {"collector outside its province", collector_, "incidents", Json::array({shanghai})},
      {"enterprise posting an advisory", TokenFor(v1::ROLE_ENTERPRISE, 0, enterprise.id()),
       "vulnerabilities", Json::array({vulnerability})},
  };
  const size_t incidents_before = AllIncidents().size();
  for (const Row& row : rows) {
    SCOPED_TRACE(row.name);
    const Reply reply = Post(row.collection, row.objects, row.token);
    ASSERT_EQ(reply.status, 202) << reply.body;
    const Json status = reply.json();
    EXPECT_EQ(status["success_count"], 0) << status;
    EXPECT_EQ(status["failure_count"], row.objects.size()) << status;
    for (const Json& failure : status["failures"]) {
      EXPECT_FALSE(failure.value("message", "").empty()) << failure;
    }
  }
  EXPECT_EQ(AllIncidents().size(), incidents_before);
  auto vulns = v1::VulnerabilityService::NewStub(channel_);
  v1::GetAdvisoryRequest request;
  request.set_tracking_id("CVE-2023-46604");
  v1::Advisory advisory;
  EXPECT_EQ(vulns->GetAdvisory(As(national_).get(), request, &advisory).error_code(),
            grpc::StatusCode::NOT_FOUND);
}

// The vulnerabilities collection: advisories in commit order under the caller's TLP visibility
// (CLEAR for everyone, AMBER not for an enterprise), paged with next and with added_after, every
// object valid STIX.
TEST_F(TaxiiTest, VulnerabilitiesCollectionPagesAdvisoriesTheCallerMaySee) {
  const std::string advisory_collector = TokenFor(v1::ROLE_COLLECTOR);
  auto read = [](const std::string& name) {
    std::ifstream file(test::TestDataDir() / "csaf-ics" / name, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(file), {});
  };
  Json amber = Json::parse(read("icsa-23-012-04.json"));
  amber["document"]["distribution"]["tlp"]["label"] = "AMBER";
  v1::PushBatch batch;
  batch.add_advisories()->set_csaf_document(read("icsa-24-004-01.json"));  // TLP CLEAR
  batch.add_advisories()->set_csaf_document(amber.dump());
  for (int i = 0; i < 5; ++i) {
    v1::Advisory* stub = batch.add_advisories();
    stub->set_tracking_id("ICSA-99-00" + std::to_string(i) + "-01");
    stub->set_title("Index-only advisory " + std::to_string(i));
    stub->add_vendors("Delta Electronics");
    stub->add_products("Unknown Product");
  }
  const PushResult pushed = PushAll(*channel_, advisory_collector, {batch});
  ASSERT_TRUE(pushed.status.ok()) << pushed.status.error_message();
  ASSERT_EQ(pushed.acks.at(0).rejected(), 0u) << pushed.acks[0].ShortDebugString();

  const v1::Enterprise enterprise = RegisterEnterprise(440000, "energy");
  const stix::Exporter exporter;
  const std::string clear_report = stix::AdvisoryReportId(exporter, "ICSA-24-004-01");
  const std::string amber_report = stix::AdvisoryReportId(exporter, "ICSA-23-012-04");
  struct Case {
    const char* name;
    std::string token;
    bool sees_amber;
  };
  const std::vector<Case> cases = {
      {"national", national_, true},
      {"provincial", TokenFor(v1::ROLE_PROVINCIAL, 440000), true},
      {"enterprise", TokenFor(v1::ROLE_ENTERPRISE, 0, enterprise.id()), false},
  };
  const Json reference = Reference();
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    for (const int limit : {1, 3, 1000}) {
      SCOPED_TRACE(limit);
      const Json objects = PageAll("vulnerabilities", c.token, limit);
      const std::multiset<std::string> reports = IdsOfType(objects, "report");
      EXPECT_EQ(reports.size(), c.sees_amber ? 7u : 6u);
      EXPECT_EQ(std::set<std::string>(reports.begin(), reports.end()).size(), reports.size());
      EXPECT_EQ(reports.count(clear_report), 1u);
      EXPECT_EQ(reports.count(amber_report), c.sees_amber ? 1u : 0u);
      EXPECT_FALSE(IdsOfType(objects, "vulnerability").empty());
      EXPECT_EQ(Validate(objects, reference), "");
    }
    // added_after = the last X-TAXII-Date-Added-Last resumes exactly after it and stops.
    std::multiset<std::string> by_added_after;
    std::string added_after;
    for (int pages = 0; pages < 100; ++pages) {
      const Reply reply = Get(std::string(kRoot) + "collections/vulnerabilities/objects/?limit=2" +
                                  (added_after.empty() ? "" : "&added_after=" + added_after),
                              c.token);
      ASSERT_EQ(reply.status, 200) << reply.body;
      const Json objects = reply.json().value("objects", Json::array());
      for (const std::string& id : IdsOfType(objects, "report")) by_added_after.insert(id);
      if (!objects.empty()) added_after = reply.header("x-taxii-date-added-last");
      if (!reply.json().value("more", false)) break;
    }
    EXPECT_EQ(by_added_after.size(), c.sees_amber ? 7u : 6u);
    EXPECT_EQ(std::set<std::string>(by_added_after.begin(), by_added_after.end()).size(),
              by_added_after.size());
  }
}

}  // namespace
}  // namespace sitrep::testing
