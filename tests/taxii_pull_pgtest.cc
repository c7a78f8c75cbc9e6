// Pulling from a peer (issue 19): two sitrepd on loopback, each on its own database. Server B's
// collector follows server A's incident collection over TAXII 2.1 while A is being written to,
// is killed with SIGKILL half way and restarted, and B ends with exactly the incidents A shows
// B's principal, none twice. Real binaries, as in collector_crash_pgtest.cc.
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <signal.h>

#include <algorithm>
#include <atomic>
#include <fstream>
#include <future>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>

#include "collector/taxii_client.h"
#include "sitrep/v1/registry.grpc.pb.h"
#include "tests/child_process.h"
#include "tests/push_client.h"
#include "tests/record_samples.h"
#include "tests/server_fixture.h"
#include "tests/support/test_cluster.h"

namespace sitrep::testing {
namespace {

using namespace std::chrono_literals;

// Polls `done` until it holds or `limit` passes (the servers and the collector are other
// processes: there is nothing to block on but their observable state).
template <typename Predicate>
bool WaitUntil(Predicate done, std::chrono::seconds limit) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (!done()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(20ms);
  }
  return true;
}

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

  void Launch() {
    process = std::make_unique<ChildProcess>(
        std::vector<std::string>{SITREPD_PATH, "--data-dir", (dir / "server").string(),
                                 "--database-url", database_url, "--listen", Address(),
                                 "--http-listen", "127.0.0.1:" + std::to_string(http_port),
                                 "--metrics-listen", ""},
        dir / "sitrepd.log");
  }

  // Serving once the admin token exists and the gRPC port answers.
  [[nodiscard]] bool WaitServing() const {
    return WaitUntil(
        [&] {
          auto channel = grpc::CreateChannel(Address(), grpc::InsecureChannelCredentials());
          return std::filesystem::exists(dir / "server" / "admin.token") &&
                 channel->WaitForConnected(std::chrono::system_clock::now() + 100ms);
        },
        60s);
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
      server->Launch();  // both start at once: a start is most of the test's time
    }
    for (const Sitrepd* server : {&a_, &b_}) {
      ASSERT_TRUE(server->WaitServing()) << "sitrepd did not start; see " << server->dir;
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

// Incident `index` of the writer: Guangdong's, or another province's kept to that province, or
// (every fifth) shared with all regulators, so B's principal at A sees some records, not all.
v1::Incident WrittenIncident(int index) {
  static constexpr uint32_t kProvinces[] = {440000, 110000, 310000};
  v1::Incident incident = SampleIncident("pull-" + std::to_string(index), kProvinces[index % 3],
                                         std::chrono::system_clock::now());
  incident.set_sharing_scope(index % 5 == 0 ? v1::SHARING_SCOPE_ALL_REGULATORS
                                            : v1::SHARING_SCOPE_PROVINCE);
  return incident;
}

bool VisibleToGuangdongRegulator(int index) { return index % 3 == 0 || index % 5 == 0; }

// The writer pushes its first half while puller 1 runs, then waits (at most a minute) until
// the test has killed puller 1 and pushes the second half while puller 2 runs: the kill
// always lands half way through the writes, on any machine speed. Puller 3 runs to the end of
// the collection (--poll 0) after the writer is done and exits once B holds what it read, so
// the final counts need no sleep either.
TEST_F(TaxiiPullTest, AKilledPullerEndsWithExactlyThePeersVisibleIncidentsNoneTwice) {
  constexpr int kRecords = 400;
  constexpr int kBatch = 50;
  int expected_visible = 0;
  for (int i = 0; i < kRecords; ++i) expected_visible += VisibleToGuangdongRegulator(i) ? 1 : 0;
  const std::string writer_token = a_.Token("writer", v1::ROLE_COLLECTOR, 0);
  // B's principal at A: the Guangdong regulator sees Guangdong's incidents and those shared
  // with all regulators or wider, not the rest.
  const std::string peer_token = a_.Token("peer-b", v1::ROLE_PROVINCIAL, 440000);
  std::ofstream(dir_ / "b-collector.token") << b_.Token("puller", v1::ROLE_COLLECTOR, 0) << "\n";

  std::promise<void> killed;
  std::shared_future<void> killed_signal = killed.get_future().share();
  std::atomic<int> written{0};
  std::thread writer([&] {
    const auto channel = grpc::CreateChannel(a_.Address(), grpc::InsecureChannelCredentials());
    for (int first = 0; first < kRecords; first += kBatch) {
      if (first == kRecords / 2 && killed_signal.wait_for(60s) != std::future_status::ready) {
        ADD_FAILURE() << "puller 1 was never killed";
        return;
      }
      v1::PushBatch batch;
      for (int i = first; i < first + kBatch; ++i) *batch.add_incidents() = WrittenIncident(i);
      const PushResult result = PushAll(*channel, writer_token, {batch});
      if (!result.status.ok() || result.acks.empty() || result.acks[0].rejected() != 0) {
        ADD_FAILURE() << "push at " << first << ": " << result.status.error_message();
        return;
      }
      written += kBatch;
    }
  });
  const std::vector<std::string> puller_flags = {
      "--format",     "taxii",
      "--url",        a_.TaxiiRoot(),
      "--collection", "incidents",
      "--token",      peer_token,
      "--limit",      "100",
      "--poll",       "1",
      "--server",     b_.Address(),
      "--token-file", (dir_ / "b-collector.token").string(),
      "--spool-dir",  (dir_ / "puller-spool").string(),
      "--json"};
  const auto visible_at_b = [&] { return IncidentsAt(b_); };

  // Puller 1 starts once A holds records and is killed once B holds a good part of the first
  // half's visible records, while the writer waits to write the second half.
  EXPECT_TRUE(WaitUntil([&] { return written.load() > 0; }, 60s));
  auto puller = Collector(puller_flags, "puller-1.log");
  const bool pulled = WaitUntil([&] { return visible_at_b() >= expected_visible / 4; }, 60s);
  puller->Kill(SIGKILL);
  EXPECT_EQ(puller->Wait(), 128 + SIGKILL);
  const int64_t at_kill = visible_at_b();
  killed.set_value();
  EXPECT_TRUE(pulled) << ReadText(dir_ / "puller-1.log");
  EXPECT_GT(at_kill, 0);

  // Puller 2 resumes from its spool checkpoint while the writer writes the second half.
  puller = Collector(puller_flags, "puller-2.log");
  writer.join();
  ASSERT_EQ(IncidentsAt(a_), kRecords);
  puller->Kill(SIGTERM);
  EXPECT_EQ(puller->Wait(), 128 + SIGTERM) << ReadText(dir_ / "puller-2.log");
  std::vector<std::string> last_run = puller_flags;
  last_run[std::find(last_run.begin(), last_run.end(), "--poll") - last_run.begin() + 1] = "0";
  puller = Collector(last_run, "puller-3.log");
  ASSERT_EQ(puller->Wait(), 0) << ReadText(dir_ / "puller-3.log");

  const std::vector<std::string> visible = IncidentIdsAtA(peer_token);
  ASSERT_EQ(visible.size(), static_cast<size_t>(expected_visible));
  const std::set<std::string> distinct(visible.begin(), visible.end());
  ASSERT_EQ(distinct.size(), visible.size()) << "A served an incident twice";
  std::string in_list;
  for (const std::string& id : visible) in_list += (in_list.empty() ? "'" : ",'") + id + "'";
  EXPECT_LT(at_kill, expected_visible);
  EXPECT_EQ(visible_at_b(), expected_visible) << ReadText(dir_ / "puller-3.log");
  EXPECT_EQ(IncidentsAt(b_, "external_id IN (" + in_list + ")"), expected_visible);
  EXPECT_EQ(QueryInt(b_.database_url, "SELECT count(DISTINCT external_id) FROM incidents"),
            expected_visible);
}

}  // namespace
}  // namespace sitrep::testing
