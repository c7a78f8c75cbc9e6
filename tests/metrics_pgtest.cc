// /metrics serves what SPEC §6 lists and passes `promtool check metrics` (issue #2).
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>

#include "tests/server_fixture.h"

namespace sitrep::testing {
namespace {

class MetricsTest : public ServerFixture {
 protected:
  MetricsTest() { with_metrics_ = true; }
};

TEST_F(MetricsTest, ExposesCallsPoolAndProcessMetrics) {
  v1::ListEnterprisesResponse list;
  ASSERT_TRUE(registry_->ListEnterprises(As(admin_token_).get(), {}, &list).ok());
  grpc::ClientContext anonymous;
  ASSERT_FALSE(registry_->ListEnterprises(&anonymous, {}, &list).ok());

  const std::string metrics = FetchMetrics(server_->metrics_port());
  for (const char* expected :
       {"sitrep_rpc_calls_total{code=\"OK\",method=\"/sitrep.v1.RegistryService/ListEnterprises\","
        "transport=\"grpc\"} 1",
        "sitrep_rpc_calls_total{code=\"UNAUTHENTICATED\"",
        "sitrep_rpc_duration_seconds_bucket{method=\"/sitrep.v1.RegistryService/ListEnterprises\"",
        "sitrep_db_pool_connections{state=\"in_use\"}",
        "sitrep_db_pool_connections{state=\"idle\"}",
        "sitrep_build_info{version=", "process_resident_memory_bytes ",
        "process_cpu_seconds_total ", "process_open_fds ", "process_start_time_seconds "}) {
    EXPECT_NE(metrics.find(expected), std::string::npos) << expected << "\n" << metrics;
  }
}

TEST_F(MetricsTest, PassesPromtoolCheck) {
  v1::ListEnterprisesResponse list;
  ASSERT_TRUE(registry_->ListEnterprises(As(admin_token_).get(), {}, &list).ok());
  const std::filesystem::path file = data_dir_ / "metrics.txt";
  std::ofstream(file) << FetchMetrics(server_->metrics_port());
  const std::string command = "promtool check metrics < '" + file.string() + "' 2>&1";
  FILE* pipe = ::popen(command.c_str(), "r");
  ASSERT_NE(pipe, nullptr);
  std::string output;
  char buffer[512];
  while (std::fgets(buffer, sizeof buffer, pipe)) output += buffer;
  EXPECT_EQ(::pclose(pipe), 0) << output;
  EXPECT_EQ(output, "") << output;
}

}  // namespace
}  // namespace sitrep::testing
