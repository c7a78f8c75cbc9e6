// grpc.health.v1 follows PostgreSQL: NOT_SERVING while it is down, SERVING when it is back,
// and calls in between answer UNAVAILABLE (issue #2). Stops this binary's cluster, so it has
// a binary of its own.
#include <gtest/gtest.h>

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

  bool WaitFor(int wanted) {
    for (int i = 0; i < 100; ++i) {
      if (Check() == wanted) return true;
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

}  // namespace
}  // namespace sitrep::testing
