// Starting sitrepd: embedded cluster reuse, concurrent migration, and one clear line for
// every way start-up can fail (issue #2).
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>
#include <thread>

#include "storage/embedded_cluster.h"
#include "tests/server_fixture.h"
#include "tests/support/test_cluster.h"

namespace sitrep::testing {

using test::TestCluster;
namespace {

class StartupTest : public ::testing::Test {
 protected:
  void SetUp() override {
    SetLogLevel(LogLevel::kWarn);
    data_dir_ = MakeTempDir("sitrep-startup-");
    // The embedded cluster runs as the postgres user when the tests run as root.
    ::chmod(data_dir_.c_str(), 0755);
  }
  void TearDown() override {
    std::error_code ignored;
    std::filesystem::remove_all(data_dir_, ignored);
  }

  Config BaseConfig(const std::filesystem::path& data_dir) {
    Config config;
    config.listen = "127.0.0.1:0";
    config.metrics_listen = "";
    config.data_dir = data_dir;
    config.db_pool_size = 2;
    return config;
  }

  // The one-line message Server::Start fails with, or "" when it started.
  std::string StartError(const Config& config) {
    try {
      auto server = Server::Start(config);
      server->Shutdown();
      return "";
    } catch (const storage::StartupError& error) {
      return error.what();
    }
  }

  std::filesystem::path data_dir_;
};

TEST_F(StartupTest, TwoServersMigratingOneEmptyDatabaseBothComeUp) {
  const std::string url = TestCluster::EmptyDatabaseUrl();
  std::unique_ptr<Server> servers[2];
  std::string errors[2];
  std::thread starters[2];
  for (int i = 0; i < 2; ++i) {
    std::filesystem::create_directories(data_dir_ / std::to_string(i));
    starters[i] = std::thread([&, i] {
      Config config = BaseConfig(data_dir_ / std::to_string(i));
      config.database_url = url;
      try {
        servers[i] = Server::Start(config);
      } catch (const std::exception& error) {
        errors[i] = error.what();
      }
    });
  }
  for (std::thread& starter : starters) starter.join();
  ASSERT_TRUE(servers[0] && servers[1]) << errors[0] << " | " << errors[1];
  // Exactly one of them bootstrapped the admin.
  EXPECT_NE(std::filesystem::exists(data_dir_ / "0" / "admin.token"),
            std::filesystem::exists(data_dir_ / "1" / "admin.token"));
  for (auto& server : servers) server->Shutdown();
}

TEST_F(StartupTest, EmbeddedClusterIsCreatedOnceAndReused) {
  Config config = BaseConfig(data_dir_);
  const auto first_begin = std::chrono::steady_clock::now();
  auto server = Server::Start(config);
  const auto first = std::chrono::steady_clock::now() - first_begin;
  const std::string url = ReadText(data_dir_ / "database.url");
  EXPECT_NE(url.find(data_dir_.string()), std::string::npos) << url;
  const std::string token = ReadText(data_dir_ / "admin.token");
  server->Shutdown();
  server.reset();

  const auto second_begin = std::chrono::steady_clock::now();
  server = Server::Start(config);
  const auto second = std::chrono::steady_clock::now() - second_begin;
  EXPECT_EQ(ReadText(data_dir_ / "admin.token"), token);  // no second admin
  server->Shutdown();
  RecordProperty(
      "first_start_ms",
      std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(first).count()));
  RecordProperty(
      "second_start_ms",
      std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(second).count()));
}

TEST_F(StartupTest, EachStartupFailureIsOneClearLine) {
  Config unreachable = BaseConfig(data_dir_);
  unreachable.database_url = "postgresql://sitrep@127.0.0.1:1/sitrep";
  EXPECT_NE(StartError(unreachable).find("cannot reach PostgreSQL at"), std::string::npos);

  Config no_binaries = BaseConfig(data_dir_);
  no_binaries.pg_bin_dir = "/nonexistent/postgresql/bin";
  EXPECT_NE(StartError(no_binaries).find("PostgreSQL"), std::string::npos);

  std::ofstream(data_dir_ / "a-file") << "not a directory";
  Config unwritable = BaseConfig(data_dir_ / "a-file" / "var");
  unwritable.database_url = TestCluster::FreshDatabaseUrl();
  EXPECT_NE(StartError(unwritable).find("not writable"), std::string::npos);

  Config first = BaseConfig(data_dir_ / "one");
  first.database_url = TestCluster::FreshDatabaseUrl();
  auto holder = Server::Start(first);
  Config taken = BaseConfig(data_dir_ / "two");
  taken.database_url = TestCluster::FreshDatabaseUrl();
  taken.listen = "127.0.0.1:" + std::to_string(holder->port());
  EXPECT_NE(StartError(taken).find("cannot listen on"), std::string::npos);
  holder->Shutdown();

  for (const Config* config : {&unreachable, &no_binaries, &unwritable, &taken}) {
    EXPECT_EQ(StartError(*config).find('\n'), std::string::npos);
  }
}

}  // namespace
}  // namespace sitrep::testing
