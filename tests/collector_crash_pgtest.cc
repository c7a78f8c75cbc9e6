// The collector's promise (SPEC §6, §7): killing the server with SIGKILL, or restarting
// PostgreSQL, in the middle of a run loses and duplicates nothing. Real binaries: sitrepd and
// sitrep-collector as separate processes on a throwaway cluster (issue #3).
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <fstream>
#include <future>
#include <map>
#include <set>
#include <thread>

#include "collector/small_disk.h"
#include "sitrep/v1/feed.grpc.pb.h"
#include "sitrep/v1/notification.grpc.pb.h"
#include "sitrep/v1/registry.grpc.pb.h"
#include "tests/child_process.h"
#include "tests/server_fixture.h"
#include "tests/support/test_cluster.h"

namespace sitrep::testing {
namespace {

using namespace std::chrono_literals;

class CollectorCrashTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = MakeTempDir("sitrep-crash-");
    std::filesystem::permissions(dir_, std::filesystem::perms::all);
    database_url_ = test::TestCluster::FreshDatabaseUrl();
    port_ = FreePort();
    StartServer();
    collector_token_ = NationalCollectorToken();
  }

  void TearDown() override {
    server_.reset();
    std::filesystem::remove_all(dir_);
  }

  void StartServer(const std::vector<std::string>& extra_flags = {}) {
    std::vector<std::string> argv = {SITREPD_PATH, "--data-dir", (dir_ / "server").string(),
                                     "--database-url", database_url_, "--listen",
                                     "127.0.0.1:" + std::to_string(port_), "--metrics-listen", "",
                                     // Not the default port: another server may hold it.
                                     "--http-listen", ""};
    argv.insert(argv.end(), extra_flags.begin(), extra_flags.end());
    server_ = std::make_unique<ChildProcess>(argv, dir_ / "sitrepd.log");
    // Serving once the admin token exists and a health check answers.
    for (int i = 0; i < 300; ++i) {
      auto channel = grpc::CreateChannel(Address(), grpc::InsecureChannelCredentials());
      if (std::filesystem::exists(dir_ / "server" / "admin.token") &&
          channel->WaitForConnected(std::chrono::system_clock::now() + 100ms)) {
        return;
      }
      std::this_thread::sleep_for(100ms);
    }
    FAIL() << "sitrepd did not start; see " << (dir_ / "sitrepd.log");
  }

  std::string Address() const { return "127.0.0.1:" + std::to_string(port_); }

  std::string NationalCollectorToken() {
    const std::string token = TokenFor("national-collector", v1::ROLE_COLLECTOR);
    std::ofstream(dir_ / "collector.token") << token << "\n";
    return token;
  }

  // A token of a new principal `name` of `role` in `province`, made through the registry.
  std::string TokenFor(const std::string& name, v1::Role role, uint32_t province = 0) {
    auto registry = v1::RegistryService::NewStub(
        grpc::CreateChannel(Address(), grpc::InsecureChannelCredentials()));
    v1::CreatePrincipalRequest create;
    create.mutable_principal()->set_name(name);
    create.mutable_principal()->set_role(role);
    create.mutable_principal()->set_province(province);
    v1::Principal principal;
    EXPECT_TRUE(registry->CreatePrincipal(AsAdmin().get(), create, &principal).ok());
    v1::IssueTokenRequest issue;
    issue.set_principal_id(principal.id());
    v1::IssueTokenResponse token;
    EXPECT_TRUE(registry->IssueToken(AsAdmin().get(), issue, &token).ok());
    return token.secret();
  }

  std::unique_ptr<ChildProcess> StartCollector(int records,
                                               const std::vector<std::string>& extra_flags = {},
                                               const std::filesystem::path& spool = {}) {
    const std::filesystem::path spool_dir = spool.empty() ? dir_ / "spool" : spool;
    std::vector<std::string> argv = {COLLECTOR_PATH,
                                     "--format",
                                     "demo",
                                     "--count",
                                     std::to_string(records),
                                     "--seed",
                                     "7",
                                     "--server",
                                     Address(),
                                     "--token-file",
                                     (dir_ / "collector.token").string(),
                                     "--spool-dir",
                                     spool_dir.string(),
                                     "--json"};
    argv.insert(argv.end(), extra_flags.begin(), extra_flags.end());
    return std::make_unique<ChildProcess>(argv, dir_ / "collector.log");
  }

  // What the server has stored, read through its feeds as the bootstrap admin (who reads every
  // row, unredacted). Each call reads only what committed since the last, following the feeds'
  // cursors, so polling stays cheap; the feeds serve each stored row once. Stops reading once
  // it has counted `enough`.
  int64_t StoredRecords(int64_t enough = INT64_MAX) {
    auto feeds = v1::FeedService::NewStub(
        grpc::CreateChannel(Address(), grpc::InsecureChannelCredentials()));
    for (;;) {
      v1::ListIncidentsRequest request;
      request.set_page_size(1000);
      request.set_page_token(incident_cursor_);
      v1::ListIncidentsResponse page;
      const grpc::Status status = feeds->ListIncidents(AsAdmin().get(), request, &page);
      EXPECT_TRUE(status.ok()) << status.error_message();
      if (!status.ok() || page.incidents().empty() || Stored() >= enough) break;
      for (const v1::Incident& incident : page.incidents()) {
        incidents_.push_back({incident.id(), incident.reporter_id(), incident.external_id(),
                              incident.severity(), incident.province()});
      }
      incident_cursor_ = page.next_page_token();
    }
    for (;;) {
      v1::ListAssetsRequest request;
      request.set_page_size(1000);
      request.set_page_token(asset_cursor_);
      v1::ListAssetsResponse page;
      const grpc::Status status = feeds->ListAssets(AsAdmin().get(), request, &page);
      EXPECT_TRUE(status.ok()) << status.error_message();
      if (!status.ok() || page.assets().empty() || Stored() >= enough) break;
      assets_ += page.assets_size();
      asset_cursor_ = page.next_page_token();
    }
    return Stored();
  }

  int64_t Stored() const { return static_cast<int64_t>(incidents_.size()) + assets_; }

  // Whether every stored incident has a (reporter, external id) of its own: a record resent
  // after a crash was never stored twice.
  bool NoIncidentStoredTwice() {
    static_cast<void>(StoredRecords());
    std::set<std::pair<int64_t, std::string>> keys;
    for (const StoredIncident& incident : incidents_) {
      keys.emplace(incident.reporter_id, incident.external_id);
    }
    return keys.size() == incidents_.size();
  }

  std::unique_ptr<grpc::ClientContext> AsAdmin() {
    const std::string admin = ReadText(dir_ / "server" / "admin.token");
    auto context = std::make_unique<grpc::ClientContext>();
    context->AddMetadata("authorization", "Bearer " + admin.substr(0, admin.find('\n')));
    context->set_deadline(std::chrono::system_clock::now() + 30s);
    return context;
  }

  // Waits until at least `at_least` records are stored (two minutes at most); returns how many
  // were when it stopped waiting.
  int64_t WaitUntilStored(int64_t at_least) {
    for (int i = 0; i < 1200 && StoredRecords(at_least) < at_least; ++i) {
      std::this_thread::sleep_for(100ms);
    }
    return Stored();
  }

  // The collector's last line: {"sent":…,"accepted":…,"duplicates":…,"rejected":…}.
  std::string CollectorSummary() {
    std::ifstream log(dir_ / "collector.log");
    std::string line, last;
    while (std::getline(log, line)) {
      if (line.starts_with("{\"sent\"")) last = line;
    }
    return last;
  }

  std::filesystem::path dir_;
  std::string database_url_;
  int port_ = 0;
  std::unique_ptr<ChildProcess> server_;
  std::string collector_token_;
  struct StoredIncident {
    int64_t id;
    int64_t reporter_id;
    std::string external_id;
    v1::Severity severity;
    uint32_t province;
  };
  std::vector<StoredIncident> incidents_;  // what StoredRecords has read so far, in feed order
  int64_t assets_ = 0;
  std::string incident_cursor_, asset_cursor_;
};

// What sitrepd may peak at in OversizedMessagesWithoutATokenLeaveMemoryBounded: it peaks near
// 200 MB; under ASan, shadow memory and the quarantine of freed blocks (256 MB) come on top.
#ifdef __SANITIZE_ADDRESS__
constexpr int64_t kMaxPeakMb = 900;
#else
constexpr int64_t kMaxPeakMb = 400;
#endif

// The peak resident memory of process `pid` in MB (VmHWM), -1 when unreadable.
int64_t PeakResidentMb(pid_t pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.starts_with("VmHWM:")) return std::stoll(line.substr(6)) / 1024;
  }
  return -1;
}

// Messages far over the receive limit, without a token, on separate connections (issue 14
// item 11): each is refused with RESOURCE_EXHAUSTED and the server's memory stays bounded by
// its transport quota (128 MiB) instead of growing by what the peers announce (800 MiB).
TEST_F(CollectorCrashTest, OversizedMessagesWithoutATokenLeaveMemoryBounded) {
  constexpr int kPeers = 4;
  constexpr size_t kMessageBytes = size_t{200} << 20;
  const grpc::Slice payload(std::string(kMessageBytes, 'x'));  // one copy, shared by the peers
  std::vector<std::future<grpc::Status>> calls;
  for (int peer = 0; peer < kPeers; ++peer) {
    calls.push_back(std::async(std::launch::async, [&, peer] {
      grpc::ChannelArguments args;
      args.SetInt("sitrep.test.peer", peer);  // a connection of its own
      grpc::GenericStub stub(
          grpc::CreateCustomChannel(Address(), grpc::InsecureChannelCredentials(), args));
      grpc::ClientContext context;
      context.set_deadline(std::chrono::system_clock::now() + 60s);
      grpc::ByteBuffer request(&payload, 1), response;
      std::promise<grpc::Status> done;
      stub.UnaryCall(&context, "/sitrep.v1.RegistryService/ListEnterprises", grpc::StubOptions(),
                     &request, &response,
                     [&](grpc::Status status) { done.set_value(std::move(status)); });
      return done.get_future().get();
    }));
  }
  for (auto& call : calls) {
    const grpc::Status status = call.get();
    EXPECT_EQ(status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED) << status.error_message();
  }
  EXPECT_LT(PeakResidentMb(server_->pid()), kMaxPeakMb);
  // And it still serves.
  auto channel = grpc::CreateChannel(Address(), grpc::InsecureChannelCredentials());
  EXPECT_TRUE(channel->WaitForConnected(std::chrono::system_clock::now() + 5s));
}

TEST_F(CollectorCrashTest, KillingTheServerMidRunLosesAndDuplicatesNothing) {
  constexpr int kRecords = 200'000;
  auto collector = StartCollector(kRecords);
  ASSERT_LT(WaitUntilStored(kRecords / 4), kRecords)
      << "the run ended before the server could be killed";
  server_->Kill(SIGKILL);
  server_->Wait();
  std::this_thread::sleep_for(1s);
  StartServer();
  EXPECT_EQ(collector->Wait(), 0) << ReadText(dir_ / "collector.log");
  EXPECT_EQ(StoredRecords(), kRecords);
  EXPECT_TRUE(NoIncidentStoredTwice());
  EXPECT_NE(CollectorSummary().find("\"rejected\":0"), std::string::npos) << CollectorSummary();
}

// Escalation commits with the incident that calls for it (SPEC §5): after a SIGKILL mid-run and
// the collector's resends, every incident of severity II or above has its notices exactly once.
TEST_F(CollectorCrashTest, KillingTheServerMidRunRaisesEachEscalationOnce) {
  constexpr int kRecords = 40'000;
  auto collector = StartCollector(kRecords);
  ASSERT_LT(WaitUntilStored(kRecords / 4), kRecords)
      << "the run ended before the server could be killed";
  server_->Kill(SIGKILL);
  server_->Wait();
  StartServer();
  EXPECT_EQ(collector->Wait(), 0) << ReadText(dir_ / "collector.log");
  ASSERT_EQ(StoredRecords(), kRecords);
  std::map<int64_t, v1::Severity> escalated;  // incident id → severity, for I and II
  std::set<uint32_t> provinces;
  for (const StoredIncident& incident : incidents_) {
    if (incident.severity == v1::SEVERITY_I || incident.severity == v1::SEVERITY_II) {
      escalated[incident.id] = incident.severity;
      provinces.insert(incident.province);
    }
  }
  ASSERT_FALSE(escalated.empty());
  // The rules' notices, read from the inboxes of the national centre and of the regulators of
  // every province with such an incident: each notice's incident ids, and how many inboxes hold
  // it (one per target).
  std::vector<std::string> recipients = {TokenFor("national", v1::ROLE_NATIONAL)};
  for (const uint32_t province : provinces) {
    recipients.push_back(
        TokenFor("regulator-" + std::to_string(province), v1::ROLE_PROVINCIAL, province));
  }
  auto notices = v1::NotificationService::NewStub(
      grpc::CreateChannel(Address(), grpc::InsecureChannelCredentials()));
  std::map<int64_t, std::vector<int64_t>> incidents_of;  // notice id → its incident ids
  std::map<int64_t, int> targets_of;                     // notice id → inboxes holding it
  for (const std::string& recipient : recipients) {
    v1::ListNotificationsRequest request;
    request.set_page_size(1000);
    do {
      auto context = std::make_unique<grpc::ClientContext>();
      context->AddMetadata("authorization", "Bearer " + recipient);
      v1::ListNotificationsResponse page;
      const grpc::Status status = notices->ListNotifications(context.get(), request, &page);
      ASSERT_TRUE(status.ok()) << status.error_message();
      for (const v1::Notification& notice : page.notifications()) {
        if (notice.origin() != v1::NOTIFICATION_ORIGIN_INCIDENT_RULE) continue;
        incidents_of[notice.id()].assign(notice.incident_ids().begin(),
                                         notice.incident_ids().end());
        ++targets_of[notice.id()];
      }
      if (page.notifications().empty()) break;
      request.set_page_token(page.next_page_token());
    } while (!request.page_token().empty());
  }
  // Severity II: one notice to the province; I: that and one to the national centre. Each
  // names its incident alone and has one target.
  std::map<int64_t, int> notices_of;  // incident id → the rules' notices naming it
  for (const auto& [notice, incident_ids] : incidents_of) {
    ASSERT_EQ(incident_ids.size(), 1u) << "notice " << notice;
    ++notices_of[incident_ids[0]];
    EXPECT_EQ(targets_of[notice], 1) << "notice " << notice;
  }
  for (const auto& [incident, severity] : escalated) {
    EXPECT_EQ(notices_of[incident], severity == v1::SEVERITY_I ? 2 : 1) << "incident " << incident;
  }
  EXPECT_EQ(notices_of.size(), escalated.size());
}

// SIGHUP re-reads the known-exploited list of the real binary (README, automatic
// escalation): a server started without the file runs with the KEV rule idle, loads the file
// once it is there, and still stops cleanly on SIGTERM.
TEST_F(CollectorCrashTest, SighupLoadsTheKnownExploitedList) {
  const std::filesystem::path kev = dir_ / "kev.json";
  server_->Kill(SIGTERM);
  ASSERT_EQ(server_->Wait(), 0);
  StartServer({"--kev-file", kev.string()});
  const auto log_has = [&](const std::string& event) {
    for (int i = 0; i < 100; ++i) {
      if (ReadText(dir_ / "sitrepd.log").find(event) != std::string::npos) return true;
      std::this_thread::sleep_for(100ms);
    }
    return false;
  };
  EXPECT_TRUE(log_has("\"escalation.kev_not_loaded\""));
  std::ofstream(kev) << R"({"catalogVersion":"2025.08.25","vulnerabilities":[)"
                     << R"({"cveID":"CVE-2022-45788","vendorProject":"Schneider Electric"}]})";
  server_->Kill(SIGHUP);
  EXPECT_TRUE(log_has("\"escalation.kev_loaded\"")) << ReadText(dir_ / "sitrepd.log");
  EXPECT_NE(ReadText(dir_ / "sitrepd.log").find("\"cves\":\"1\""), std::string::npos);
  server_->Kill(SIGTERM);
  EXPECT_EQ(server_->Wait(), 0);
}

// SIGKILL of the collector itself, three times, with 1 MiB spool segments so that segments roll
// and are deleted all through the run: the reruns lose and duplicate nothing, and the drained
// spool keeps no acknowledged segment.
TEST_F(CollectorCrashTest, KillingTheCollectorMidRunLosesAndDuplicatesNothing) {
  constexpr int kRecords = 40'000;
  const std::vector<std::string> small_segments = {"--spool-segment-mib", "1"};
  for (int kill = 1; kill <= 3; ++kill) {
    auto collector = StartCollector(kRecords, small_segments);
    ASSERT_LT(WaitUntilStored(kill * kRecords / 5), kRecords)
        << "the run ended before the collector could be killed";
    collector->Kill(SIGKILL);
    collector->Wait();
  }
  auto collector = StartCollector(kRecords, small_segments);
  EXPECT_EQ(collector->Wait(), 0) << ReadText(dir_ / "collector.log");
  EXPECT_EQ(StoredRecords(), kRecords);
  EXPECT_TRUE(NoIncidentStoredTwice());
  uint64_t segment_bytes = 0;
  int segments = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir_ / "spool")) {
    if (entry.path().filename().string().starts_with("segment-")) {
      ++segments;
      segment_bytes += entry.file_size();
    }
  }
  EXPECT_LE(segments, 1);
  EXPECT_LE(segment_bytes, uint64_t{1} << 20);
}

// A real full disk under the real binary: a 4 MiB tmpfs holds the spool and the server is down,
// so the collector fills the disk; it says so and waits instead of exiting, and once the server
// is back, pushing frees the segments and the whole run (three disks' worth) arrives once.
TEST_F(CollectorCrashTest, AFullSpoolDiskWaitsForRoomAndLosesNothing) {
  if (::geteuid() != 0) GTEST_SKIP() << "mounting a small tmpfs needs root";
  collector::SmallDisk disk(uint64_t{4} << 20);  // the collector, forked from here, sees it too
  ASSERT_TRUE(disk.mounted()) << disk.why_not();
  constexpr int kRecords = 20'000;  // about 700 bytes each
  server_->Kill(SIGKILL);
  server_->Wait();
  auto collector = StartCollector(kRecords, {"--spool-segment-mib", "1"}, disk.path() / "spool");
  for (int i = 0; i < 600 && ReadText(dir_ / "collector.log").find("no room for the spool") ==
                                 std::string::npos;
       ++i) {
    std::this_thread::sleep_for(100ms);
  }
  ASSERT_NE(ReadText(dir_ / "collector.log").find("no room for the spool"), std::string::npos)
      << ReadText(dir_ / "collector.log");
  EXPECT_GT(disk.used_bytes(), uint64_t{3} << 20);
  StartServer();
  EXPECT_EQ(collector->Wait(), 0) << ReadText(dir_ / "collector.log");
  EXPECT_EQ(StoredRecords(), kRecords);
  EXPECT_TRUE(NoIncidentStoredTwice());
  const std::string log = ReadText(dir_ / "collector.log");
  EXPECT_NE(log.find("the spool has room again"), std::string::npos) << log;
  EXPECT_NE(log.find("waits for room on the spool's disk"), std::string::npos) << log;
  EXPECT_LT(disk.used_bytes(), uint64_t{3} << 19) << "the drained spool keeps its segments";
}

TEST_F(CollectorCrashTest, RestartingPostgreSQLMidRunLosesAndDuplicatesNothing) {
  constexpr int kRecords = 50'000;
  auto collector = StartCollector(kRecords);
  WaitUntilStored(kRecords / 5);
  test::TestCluster::Cluster().Stop();
  std::this_thread::sleep_for(2s);
  test::TestCluster::Cluster().Restart();
  EXPECT_EQ(collector->Wait(), 0) << ReadText(dir_ / "collector.log");
  EXPECT_EQ(StoredRecords(), kRecords);
}

}  // namespace
}  // namespace sitrep::testing
