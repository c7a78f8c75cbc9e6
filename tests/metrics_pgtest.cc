// /metrics serves what SPEC §6 lists and passes `promtool check metrics` (issue #2).
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>

#include "tests/server_fixture.h"

namespace sitrep::testing {
namespace {

// GET http://127.0.0.1:<port>/metrics with a plain socket; returns the body.
std::string FetchMetrics(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    ::close(fd);
    return "";
  }
  const std::string request =
      "GET /metrics HTTP/1.0\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
  if (::write(fd, request.data(), request.size()) != static_cast<ssize_t>(request.size())) {
    ::close(fd);
    return "";
  }
  std::string response;
  char buffer[4096];
  for (ssize_t n; (n = ::read(fd, buffer, sizeof buffer)) > 0;) response.append(buffer, n);
  ::close(fd);
  const size_t body = response.find("\r\n\r\n");
  return body == std::string::npos ? "" : response.substr(body + 4);
}

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
       {"sitrep_rpc_calls_total{code=\"OK\",method=\"/sitrep.v1.RegistryService/ListEnterprises\"} "
        "1",
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
