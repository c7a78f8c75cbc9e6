// grpc.health.v1 follows PostgreSQL: NOT_SERVING while it is down, SERVING when it is back,
// and calls in between answer UNAVAILABLE (issue #2); sitrepd restarts its embedded PostgreSQL
// when the postmaster dies, and keeps the audit entries of calls refused meanwhile until the
// database returns (issue #14). Stops this binary's cluster, so it has a binary of its own.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>

#include <fstream>
#include <sstream>
#include <thread>

#include "grpc/health/v1/health.grpc.pb.h"
#include "tests/server_fixture.h"
#include "tests/support/test_cluster.h"

namespace sitrep::testing {

using test::TestCluster;
namespace {

class HealthTest : public ServerFixture {
 protected:
  // The status the standard health service reports for the whole server, or a negative
  // gRPC status code when the call itself failed.
  int Check() {
    auto health = grpc::health::v1::Health::NewStub(channel_);
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
    grpc::health::v1::HealthCheckResponse response;
    const grpc::Status status = health->Check(&context, {}, &response);
    if (!status.ok()) return -static_cast<int>(status.error_code());
    return response.status();
  }

  bool WaitFor(int wanted, std::chrono::milliseconds timeout = std::chrono::seconds(10),
               std::chrono::milliseconds poll = std::chrono::milliseconds(100)) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      if (Check() == wanted) return true;
      std::this_thread::sleep_for(poll);
    }
    return false;
  }

  // The value of the unlabelled metric `name` on the server's /metrics, or -1 when absent.
  double Metric(const std::string& name) {
    std::istringstream lines(FetchMetrics(server_->metrics_port()));
    for (std::string line; std::getline(lines, line);) {
      if (line.rfind(name + " ", 0) == 0) return std::stod(line.substr(name.size() + 1));
    }
    return -1;
  }

  // Waits up to 30 s for `name` to read `wanted`; whether it did.
  bool WaitForMetric(const std::string& name, double wanted) {
    for (int i = 0; i < 300; ++i) {
      if (Metric(name) == wanted) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return false;
  }
};

constexpr int kServing = 1;
constexpr int kNotServing = 2;

TEST_F(HealthTest, FollowsPostgres) {
  EXPECT_TRUE(WaitFor(kServing));

  TestCluster::Cluster().Stop();
  EXPECT_TRUE(WaitFor(kNotServing));
  v1::ListEnterprisesResponse list;
  const grpc::Status down = registry_->ListEnterprises(As(admin_token_).get(), {}, &list);
  EXPECT_EQ(down.error_code(), grpc::StatusCode::UNAVAILABLE) << down.error_message();
  EXPECT_EQ(down.error_message().find("SELECT"), std::string::npos);

  TestCluster::Cluster().Restart();
  EXPECT_TRUE(WaitFor(kServing));
  // The pool replaces the connections PostgreSQL dropped; the first call may still meet one.
  grpc::Status back;
  for (int attempt = 0; attempt < 5; ++attempt) {
    back = registry_->ListEnterprises(As(admin_token_).get(), {}, &list);
    if (back.ok()) break;
  }
  EXPECT_TRUE(back.ok()) << back.error_message();
}

// The server on an embedded cluster of its own, under the test's data directory.
class EmbeddedPostgresTest : public HealthTest {
 protected:
  EmbeddedPostgresTest() {
    start_in_setup_ = false;
    with_metrics_ = true;
  }
  void SetUp() override {
    HealthTest::SetUp();
    config_.database_url.clear();
    // The embedded cluster runs as the postgres user when the tests run as root.
    ::chmod(data_dir_.c_str(), 0755);
    StartServer();
  }

  pid_t Postmaster() {
    std::ifstream file(data_dir_ / "postgres" / "pgdata" / "postmaster.pid");
    pid_t pid = 0;
    file >> pid;
    return pid;
  }
};

TEST_F(EmbeddedPostgresTest, KilledPostmasterIsRestartedAndServingReturns) {
  ASSERT_TRUE(WaitFor(kServing));
  EXPECT_EQ(Metric("sitrep_embedded_postgres_restarts_total"), 0);
  const pid_t killed = Postmaster();
  ASSERT_GT(killed, 0);

  ASSERT_EQ(::kill(killed, SIGKILL), 0);
  // NOT_SERVING lasts from the death to the end of crash recovery: poll finely to see it.
  EXPECT_TRUE(WaitFor(kNotServing, std::chrono::seconds(10), std::chrono::milliseconds(20)));
  // Crash recovery ends with a checkpoint that writes out everything the migrations made.
  EXPECT_TRUE(WaitFor(kServing, std::chrono::seconds(60)));

  EXPECT_NE(Postmaster(), killed);
  // Counted once pg_ctl returns, which may be just after health saw the server answer.
  EXPECT_TRUE(WaitForMetric("sitrep_embedded_postgres_restarts_total", 1));
  // A write succeeds once the pool has replaced the connections the dead server dropped.
  v1::CreateEnterpriseRequest request;
  request.mutable_enterprise()->set_credit_code(NextCreditCode());
  request.mutable_enterprise()->set_name("重启之后");
  request.mutable_enterprise()->set_province(440000);
  request.mutable_enterprise()->set_sector("energy");
  request.mutable_enterprise()->set_type(v1::ENTERPRISE_TYPE_NETWORKED_INDUSTRIAL);
  request.mutable_enterprise()->set_size(v1::ENTERPRISE_SIZE_MEDIUM);
  grpc::Status written;
  for (int attempt = 0; attempt < 10 && !written.ok(); ++attempt) {
    v1::Enterprise created;
    written = registry_->CreateEnterprise(As(admin_token_).get(), request, &created);
  }
  EXPECT_TRUE(written.ok()) << written.error_message();
}

// The audit buffer's bound, the calls refused while PostgreSQL is stopped, and what must
// reach the audit log once it is back.
struct AuditOutageCase {
  const char* name;
  size_t buffer_entries;
  int refused_calls;
  int stored;   // audit rows of the refused calls after the database returns
  int dropped;  // sitrep_audit_dropped_total
};

class AuditOutageTest : public HealthTest, public ::testing::WithParamInterface<AuditOutageCase> {
 protected:
  AuditOutageTest() {
    start_in_setup_ = false;
    with_metrics_ = true;
  }
  void SetUp() override {
    HealthTest::SetUp();
    config_.audit_buffer_entries = GetParam().buffer_entries;
    StartServer();
  }

  // Audit rows of `method` calls answered with `status`, through ListAuditEntries.
  int AuditedCalls(const std::string& method, const std::string& status) {
    v1::ListAuditEntriesRequest request;
    request.set_method(method);
    request.set_page_size(1000);
    v1::ListAuditEntriesResponse response;
    grpc::Status listed;
    // The pool replaces the connections PostgreSQL dropped; the first calls may meet them.
    for (int attempt = 0; attempt < 10; ++attempt) {
      response.Clear();
      listed = registry_->ListAuditEntries(As(admin_token_).get(), request, &response);
      if (listed.ok()) break;
    }
    EXPECT_TRUE(listed.ok()) << listed.error_message();
    int count = 0;
    for (const v1::AuditEntry& entry : response.entries()) count += entry.status() == status;
    return count;
  }
};

TEST_P(AuditOutageTest, EntriesOfRefusedCallsAreWrittenWhenTheDatabaseReturns) {
  const AuditOutageCase& row = GetParam();
  constexpr const char* kMethod = "/sitrep.v1.RegistryService/ListEnterprises";
  ASSERT_TRUE(WaitFor(kServing));

  TestCluster::Cluster().Stop();
  ASSERT_TRUE(WaitFor(kNotServing));
  for (int i = 0; i < row.refused_calls; ++i) {
    v1::ListEnterprisesResponse list;
    const grpc::Status refused = registry_->ListEnterprises(As(admin_token_).get(), {}, &list);
    EXPECT_EQ(refused.error_code(), grpc::StatusCode::UNAVAILABLE) << refused.error_message();
  }
  EXPECT_EQ(Metric("sitrep_audit_buffered_entries"), row.stored);
  EXPECT_EQ(Metric("sitrep_audit_dropped_total"), row.dropped);

  TestCluster::Cluster().Restart();
  ASSERT_TRUE(WaitForMetric("sitrep_audit_buffered_entries", 0));
  EXPECT_EQ(Metric("sitrep_audit_dropped_total"), row.dropped);
  EXPECT_EQ(AuditedCalls(kMethod, "UNAVAILABLE"), row.stored);
  // An external database is its operator's to restart: sitrepd restarted nothing.
  EXPECT_EQ(Metric("sitrep_embedded_postgres_restarts_total"), 0);
}

INSTANTIATE_TEST_SUITE_P(BufferBounds, AuditOutageTest,
                         ::testing::Values(AuditOutageCase{"AllKept", 10'000, 7, 7, 0},
                                           AuditOutageCase{"BufferSmallerThanOutage", 3, 7, 3, 4}),
                         [](const ::testing::TestParamInfo<AuditOutageCase>& info) {
                           return info.param.name;
                         });

}  // namespace
}  // namespace sitrep::testing
