#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <pqxx/pqxx>
#include <string>

#include "storage/embedded_cluster.h"
#include "tests/support/test_cluster.h"

namespace sitrep::storage {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;
using Clock = std::chrono::steady_clock;

std::string QueryOne(const std::string& url, const std::string& sql) {
  pqxx::connection connection(url);
  pqxx::nontransaction tx(connection);
  return tx.exec1(sql)[0].as<std::string>();
}

// Spelled out: GCC warns about designated initialisers that leave a member out.
EmbeddedCluster::Options OptionsFor(std::filesystem::path directory,
                                    std::string database = "sitrep",
                                    std::filesystem::path pg_bin_dir = {}) {
  EmbeddedCluster::Options options;
  options.directory = std::move(directory);
  options.pg_bin_dir = std::move(pg_bin_dir);
  options.database = std::move(database);
  return options;
}

std::string PostmasterPid(const std::filesystem::path& directory) {
  std::ifstream file(directory / "pgdata" / "postmaster.pid");
  std::string pid;
  file >> pid;
  return pid;
}

void Connect(const std::string& url) { pqxx::connection connection(url); }

double SecondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

TEST(EmbeddedClusterPgTest, StartServesItsDatabaseOverTheUnixSocket) {
  const std::filesystem::path directory = test::TestCluster::ScratchDirectory();
  auto cluster = EmbeddedCluster::Start(OptionsFor(directory, "app"));

  EXPECT_TRUE(cluster->running());
  EXPECT_EQ(cluster->url(),
            "postgresql:///app?host=" + (directory / "run").string() + "&port=5432&user=postgres");
  EXPECT_EQ(QueryOne(cluster->url(), "SELECT current_database()"), "app");
  // No TCP listener: the socket in run/ is the only way in.
  EXPECT_EQ(QueryOne(cluster->url(), "SHOW listen_addresses"), "");
  EXPECT_EQ(QueryOne(cluster->url(), "SHOW fsync"), "on");
  EXPECT_EQ(QueryOne(cluster->url(), "SHOW synchronous_commit"), "on");
  EXPECT_TRUE(std::filesystem::exists(directory / "postgres.log"));
}

TEST(EmbeddedClusterPgTest, StartingAgainAfterStopReusesTheCluster) {
  const std::filesystem::path directory = test::TestCluster::ScratchDirectory();
  const EmbeddedCluster::Options options = OptionsFor(directory, "app");

  Clock::time_point start = Clock::now();
  auto cluster = EmbeddedCluster::Start(options);
  const double first_start = SecondsSince(start);
  const std::string system_id =
      QueryOne(cluster->url(), "SELECT system_identifier FROM pg_control_system()");
  {
    pqxx::connection connection(cluster->url());
    pqxx::work tx(connection);
    tx.exec("CREATE TABLE kept (value text); INSERT INTO kept VALUES ('still here')");
    tx.commit();
  }
  cluster->Stop();
  EXPECT_FALSE(cluster->running());
  EXPECT_THROW(Connect(cluster->url()), pqxx::broken_connection);
  cluster.reset();

  start = Clock::now();
  cluster = EmbeddedCluster::Start(options);
  const double second_start = SecondsSince(start);

  // The same cluster (no second initdb), with its data.
  EXPECT_EQ(QueryOne(cluster->url(), "SELECT system_identifier FROM pg_control_system()"),
            system_id);
  EXPECT_EQ(QueryOne(cluster->url(), "SELECT value FROM kept"), "still here");
  EXPECT_LT(second_start, first_start);
  std::printf("EmbeddedCluster::Start: first (initdb) %.2f s, second (reuse) %.2f s\n", first_start,
              second_start);
}

TEST(EmbeddedClusterPgTest, RestartBringsAStoppedClusterBack) {
  auto cluster = EmbeddedCluster::Start(OptionsFor(test::TestCluster::ScratchDirectory()));
  cluster->Stop();
  cluster->Stop();  // idempotent

  cluster->Restart();

  EXPECT_TRUE(cluster->running());
  EXPECT_EQ(QueryOne(cluster->url(), "SELECT current_database()"), "sitrep");
}

TEST(EmbeddedClusterPgTest, DestroyingTheClusterStopsPostgres) {
  const std::filesystem::path directory = test::TestCluster::ScratchDirectory();
  auto cluster = EmbeddedCluster::Start(OptionsFor(directory));
  const std::string url = cluster->url();

  cluster.reset();

  EXPECT_FALSE(std::filesystem::exists(directory / "pgdata" / "postmaster.pid"));
  EXPECT_THROW(Connect(url), pqxx::broken_connection);
}

TEST(EmbeddedClusterPgTest, SecondStartOnARunningDirectoryIsRefused) {
  const std::filesystem::path directory = test::TestCluster::ScratchDirectory();
  auto cluster = EmbeddedCluster::Start(OptionsFor(directory));

  try {
    auto second = EmbeddedCluster::Start(OptionsFor(directory));
    FAIL() << "a second cluster started on " << directory;
  } catch (const StartupError& error) {
    EXPECT_THAT(error.what(), HasSubstr("already running"));
  }
  // The first one is unharmed.
  EXPECT_EQ(QueryOne(cluster->url(), "SELECT 1"), "1");
}

TEST(EmbeddedClusterPgTest, ServerLeftRunningByADeadProcessIsTakenOver) {
  const std::filesystem::path directory = test::TestCluster::ScratchDirectory();
  // A child starts the cluster and dies without stopping it, as a kill -9 of sitrepd would.
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    try {
      EmbeddedCluster::Start(OptionsFor(directory)).release();
    } catch (...) {
      _exit(1);
    }
    _exit(0);  // no destructor: PostgreSQL keeps running
  }
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  const std::string orphan = PostmasterPid(directory);
  ASSERT_FALSE(orphan.empty());

  auto cluster = EmbeddedCluster::Start(OptionsFor(directory));

  EXPECT_EQ(QueryOne(cluster->url(), "SELECT current_database()"), "sitrep");
  EXPECT_NE(PostmasterPid(directory), orphan);  // restarted with this start's settings
}

TEST(EmbeddedClusterPgTest, StartAfterPostgresWasKilledRecoversTheData) {
  const std::filesystem::path directory = test::TestCluster::ScratchDirectory();
  auto cluster = EmbeddedCluster::Start(OptionsFor(directory));
  {
    pqxx::connection connection(cluster->url());
    pqxx::work tx(connection);
    tx.exec("CREATE TABLE kept (value text); INSERT INTO kept VALUES ('committed')");
    tx.commit();
  }
  const pid_t postmaster = std::stoi(PostmasterPid(directory));
  ASSERT_EQ(kill(postmaster, SIGKILL), 0);
  cluster->Stop();  // pg_ctl finds no server; the object just forgets it

  cluster = EmbeddedCluster::Start(OptionsFor(directory));  // stale postmaster.pid left behind

  EXPECT_EQ(QueryOne(cluster->url(), "SELECT value FROM kept"), "committed");
}

TEST(EmbeddedClusterPgTest, DirectoryThePostgresUserCannotReachIsAStartupError) {
  if (geteuid() != 0) GTEST_SKIP() << "only a root process hands the cluster to postgres";
  const std::filesystem::path private_directory =
      test::TestCluster::ScratchDirectory() / "root-only";
  std::filesystem::create_directory(private_directory);
  std::filesystem::permissions(private_directory, std::filesystem::perms::owner_all);

  try {
    auto cluster = EmbeddedCluster::Start(OptionsFor(private_directory / "cluster"));
    FAIL() << "started below a directory the postgres user cannot search";
  } catch (const StartupError& error) {
    EXPECT_THAT(error.what(), HasSubstr("the postgres user cannot reach"));
  }
}

struct BadStart {
  const char* name;
  EmbeddedCluster::Options options;
  const char* message;  // a part of the one-line StartupError
};

class EmbeddedClusterBadStartPgTest : public ::testing::TestWithParam<BadStart> {};

TEST_P(EmbeddedClusterBadStartPgTest, IsAOneLineStartupError) {
  try {
    auto cluster = EmbeddedCluster::Start(GetParam().options);
    FAIL() << "started";
  } catch (const StartupError& error) {
    EXPECT_THAT(error.what(), HasSubstr(GetParam().message));
    EXPECT_EQ(std::string(error.what()).find('\n'), std::string::npos) << error.what();
  }
}

INSTANTIATE_TEST_SUITE_P(
    Options, EmbeddedClusterBadStartPgTest,
    ::testing::Values(BadStart{"MissingBinaries",
                               OptionsFor("/tmp/sitrep-never-created", "sitrep",
                                          "/nonexistent/bin"),
                               "PostgreSQL binaries not found"},
                      BadStart{"DirectoryCannotBeCreated", OptionsFor("/dev/null/cluster"),
                               "cannot create data directory /dev/null/cluster"},
                      BadStart{"SocketPathTooLong", OptionsFor("/tmp/" + std::string(100, 'x')),
                               "over the 107-byte limit of unix sockets"},
                      BadStart{"QuoteInPath", OptionsFor("/tmp/it's"), "cannot pass safely"}),
    [](const ::testing::TestParamInfo<BadStart>& info) { return info.param.name; });

TEST(EmbeddedClusterPgTest, PostgresFailingToStartReportsItsLog) {
  const std::filesystem::path directory = test::TestCluster::ScratchDirectory();
  EmbeddedCluster::Start(OptionsFor(directory)).reset();  // initialised, then stopped
  {
    std::ofstream conf(directory / "pgdata" / "postgresql.conf", std::ios::app);
    conf << "shared_buffers = 'not a size'\n";
  }

  try {
    auto cluster = EmbeddedCluster::Start(OptionsFor(directory));
    FAIL() << "started with a broken postgresql.conf";
  } catch (const StartupError& error) {
    EXPECT_THAT(error.what(), StartsWith("PostgreSQL failed to start"));
    EXPECT_THAT(error.what(), HasSubstr("postgresql.conf"));
  }
}

}  // namespace
}  // namespace sitrep::storage
