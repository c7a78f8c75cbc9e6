// Pulling from a peer (issue 19): two sitrepd on loopback, each on its own database. Server B's
// collector follows server A's incident collection over TAXII 2.1 while A is being written to,
// is killed with SIGKILL half way and restarted, and B ends with exactly the incidents A shows
// B's principal, none twice. Real binaries, as in collector_crash_pgtest.cc.
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <signal.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>

#include "collector/taxii_client.h"
#include "sitrep/v1/registry.grpc.pb.h"
#include "tests/child_process.h"
#include "tests/server_fixture.h"
#include "tests/support/test_cluster.h"

namespace sitrep::testing {
namespace {

using namespace std::chrono_literals;

// One sitrepd as a child process, with its own database and HTTP edge.
struct Sitrepd {
  std::filesystem::path dir;
  std::string database_url;
  int port = 0;
  int http_port = 0;
  std::unique_ptr<ChildProcess> process;

  std::string Address() const { return "127.0.0.1:" + std::to_string(port); }
  std::string TaxiiRoot() const {
    return "http://127.0.0.1:" + std::to_string(http_port) + "/taxii2/api/";
  }

  void Start() {
    process = std::make_unique<ChildProcess>(
        std::vector<std::string>{SITREPD_PATH, "--data-dir", (dir / "server").string(),
                                 "--database-url", database_url, "--listen", Address(),
                                 "--http-listen", "127.0.0.1:" + std::to_string(http_port),
                                 "--metrics-listen", ""},
        dir / "sitrepd.log");
    for (int i = 0; i < 300; ++i) {
      auto channel = grpc::CreateChannel(Address(), grpc::InsecureChannelCredentials());
      if (std::filesystem::exists(dir / "server" / "admin.token") &&
          channel->WaitForConnected(std::chrono::system_clock::now() + 100ms)) {
        return;
      }
      std::this_thread::sleep_for(100ms);
    }
    FAIL() << "sitrepd did not start; see " << (dir / "sitrepd.log");
  }

  // A principal of `role` in `province` and a token for it.
  std::string Token(const std::string& name, v1::Role role, uint32_t province) {
    const std::string admin = ReadText(dir / "server" / "admin.token");
    auto registry = v1::RegistryService::NewStub(
        grpc::CreateChannel(Address(), grpc::InsecureChannelCredentials()));
    const auto as_admin = [&] {
      auto context = std::make_unique<grpc::ClientContext>();
      context->AddMetadata("authorization", "Bearer " + admin.substr(0, admin.find('\n')));
      return context;
    };
    v1::CreatePrincipalRequest create;
    create.mutable_principal()->set_name(name);
    create.mutable_principal()->set_role(role);
    create.mutable_principal()->set_province(province);
    v1::Principal principal;
    EXPECT_TRUE(registry->CreatePrincipal(as_admin().get(), create, &principal).ok());
    v1::IssueTokenRequest issue;
    issue.set_principal_id(principal.id());
    v1::IssueTokenResponse token;
    EXPECT_TRUE(registry->IssueToken(as_admin().get(), issue, &token).ok());
    return token.secret();
  }
};

class TaxiiPullTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = MakeTempDir("sitrep-taxii-pull-");
    std::filesystem::permissions(dir_, std::filesystem::perms::all);
    for (Sitrepd* server : {&a_, &b_}) {
      server->dir = dir_ / (server == &a_ ? "a" : "b");
      std::filesystem::create_directories(server->dir);
      server->database_url = test::TestCluster::FreshDatabaseUrl();
      server->port = FreePort();
      server->http_port = FreePort();
      server->Start();
    }
  }

  void TearDown() override {
    a_.process.reset();
    b_.process.reset();
    std::filesystem::remove_all(dir_);
  }

  std::unique_ptr<ChildProcess> Collector(const std::vector<std::string>& flags,
                                          const std::string& log) {
    std::vector<std::string> argv = {COLLECTOR_PATH};
    argv.insert(argv.end(), flags.begin(), flags.end());
    return std::make_unique<ChildProcess>(argv, dir_ / log);
  }

  // The ids of the incident objects in A's incidents collection as `token` sees it, paged with
  // `next` until more is false.
  std::vector<std::string> IncidentIdsAtA(const std::string& token) {
    collector::TaxiiClient client({"", token, ""});
    std::vector<std::string> ids;
    std::string next;
    for (int page = 0; page < 10'000; ++page) {
      std::string url = a_.TaxiiRoot() + "collections/incidents/objects/?limit=500";
      if (!next.empty()) url += "&next=" + client.Escape(next);
      const collector::TaxiiResponse response = client.Get(url, size_t{256} << 20);
      EXPECT_EQ(response.status, 200) << url << " " << response.error << response.body;
      if (response.status != 200) break;
      const nlohmann::json envelope = nlohmann::json::parse(response.body);
      for (const nlohmann::json& object : envelope.value("objects", nlohmann::json::array())) {
        if (object.value("type", "") == "incident") ids.push_back(object.value("id", ""));
      }
      if (!envelope.value("more", false)) break;
      next = envelope.value("next", "");
    }
    return ids;
  }

  int64_t IncidentsAt(const Sitrepd& server, const std::string& where = "true") {
    return QueryInt(server.database_url, "SELECT count(*) FROM incidents WHERE " + where);
  }

  std::filesystem::path dir_;
  Sitrepd a_;
  Sitrepd b_;
};

// Disabled until branch x1-stixout's TAXII server (http/taxii.cc) is merged: without it A has
// no /taxii2/ routes. The same scenario was run by hand against x1's sitrepd (see the commit).
TEST_F(TaxiiPullTest, DISABLED_AKilledPullerEndsWithExactlyThePeersVisibleIncidentsNoneTwice) {
  constexpr int kRecords = 20'000;
  const std::string writer_token = a_.Token("writer", v1::ROLE_COLLECTOR, 0);
  // B's principal at A: the Guangdong regulator sees Guangdong's incidents and those shared
  // with all regulators or wider, not the rest.
  const std::string peer_token = a_.Token("peer-b", v1::ROLE_PROVINCIAL, 440000);
  std::ofstream(dir_ / "writer.token") << writer_token << "\n";
  std::ofstream(dir_ / "b-collector.token") << b_.Token("puller", v1::ROLE_COLLECTOR, 0) << "\n";

  auto writer = Collector(
      {"--format", "demo", "--count", std::to_string(kRecords), "--seed", "11", "--demo-assets",
       "0", "--server", a_.Address(), "--token-file", (dir_ / "writer.token").string(),
       "--spool-dir", (dir_ / "writer-spool").string(), "--batch-size", "100", "--window", "1"},
      "writer.log");
  const std::vector<std::string> puller_flags = {
      "--format",     "taxii",
      "--url",        a_.TaxiiRoot(),
      "--collection", "incidents",
      "--token",      peer_token,
      "--limit",      "200",
      "--poll",       "1",
      "--server",     b_.Address(),
      "--token-file", (dir_ / "b-collector.token").string(),
      "--spool-dir",  (dir_ / "puller-spool").string(),
      "--json"};
  // Start pulling once A holds some records, and kill the puller while both are under way.
  for (int i = 0; i < 600 && IncidentsAt(a_) < kRecords / 10; ++i)
    std::this_thread::sleep_for(50ms);
  auto puller = Collector(puller_flags, "puller-1.log");
  for (int i = 0; i < 1200 && IncidentsAt(b_) < 200; ++i) std::this_thread::sleep_for(50ms);
  ASSERT_GT(IncidentsAt(b_), 0) << ReadText(dir_ / "puller-1.log");
  EXPECT_TRUE(writer->running()) << "the writer finished before the puller was killed";
  puller->Kill(SIGKILL);
  EXPECT_EQ(puller->Wait(), 128 + SIGKILL);
  const int64_t at_kill = IncidentsAt(b_);

  puller = Collector(puller_flags, "puller-2.log");
  EXPECT_EQ(writer->Wait(), 0) << ReadText(dir_ / "writer.log");
  ASSERT_EQ(IncidentsAt(a_), kRecords);
  const std::vector<std::string> visible = IncidentIdsAtA(peer_token);
  ASSERT_GT(visible.size(), 0u);
  ASSERT_LT(visible.size(), static_cast<size_t>(kRecords)) << "B's principal should not see all";
  const std::set<std::string> distinct(visible.begin(), visible.end());
  ASSERT_EQ(distinct.size(), visible.size()) << "A served an incident twice";
  for (int i = 0; i < 1200 && IncidentsAt(b_) < static_cast<int64_t>(visible.size()); ++i) {
    std::this_thread::sleep_for(100ms);
  }
  std::this_thread::sleep_for(2s);  // a poll more: nothing may follow
  puller->Kill(SIGTERM);
  EXPECT_EQ(puller->Wait(), 128 + SIGTERM) << ReadText(dir_ / "puller-2.log");

  std::string in_list;
  for (const std::string& id : visible) in_list += (in_list.empty() ? "'" : ",'") + id + "'";
  EXPECT_LT(at_kill, static_cast<int64_t>(visible.size()));
  EXPECT_EQ(IncidentsAt(b_), static_cast<int64_t>(visible.size()))
      << ReadText(dir_ / "puller-2.log");
  EXPECT_EQ(IncidentsAt(b_, "external_id IN (" + in_list + ")"),
            static_cast<int64_t>(visible.size()));
  EXPECT_EQ(QueryInt(b_.database_url, "SELECT count(DISTINCT external_id) FROM incidents"),
            static_cast<int64_t>(visible.size()));
}

}  // namespace
}  // namespace sitrep::testing
