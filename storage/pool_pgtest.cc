#include <gtest/gtest.h>

#include <chrono>
#include <pqxx/pqxx>
#include <string>
#include <thread>

#include "storage/pool_lease.h"
#include "tests/support/test_cluster.h"

namespace sitrep::storage {
namespace {

using std::chrono::milliseconds;

int64_t BackendPid(Pool::Lease& connection) {
  pqxx::nontransaction tx(*connection);
  return tx.exec1("SELECT pg_backend_pid()")[0].as<int64_t>();
}

std::string CurrentUser(Pool::Lease& connection) {
  pqxx::nontransaction tx(*connection);
  return tx.exec1("SELECT current_user")[0].as<std::string>();
}

class PoolPgTest : public ::testing::Test {
 protected:
  const std::string url_ = test::TestCluster::FreshDatabaseUrl();
};

TEST_F(PoolPgTest, OpensConnectionsLazilyAndReusesThem) {
  Pool pool(url_, 3);
  EXPECT_EQ(pool.stats().size, 3u);
  EXPECT_EQ(pool.stats().idle, 0u);

  int64_t first_pid = 0;
  {
    Pool::Lease connection = pool.Acquire();
    EXPECT_EQ(pool.stats().in_use, 1u);
    first_pid = BackendPid(connection);
    EXPECT_EQ(CurrentUser(connection), kAppRole);
  }
  EXPECT_EQ(pool.stats().in_use, 0u);
  EXPECT_EQ(pool.stats().idle, 1u);

  Pool::Lease again = pool.Acquire();
  EXPECT_EQ(BackendPid(again), first_pid);
}

TEST_F(PoolPgTest, MovedLeaseReturnsTheConnectionOnce) {
  Pool pool(url_, 1);
  {
    Pool::Lease first = pool.Acquire();
    Pool::Lease moved(std::move(first));
    EXPECT_EQ(pool.stats().in_use, 1u);
  }
  EXPECT_EQ(pool.stats().in_use, 0u);
  EXPECT_EQ(pool.stats().idle, 1u);
}

TEST_F(PoolPgTest, AcquireWhenExhaustedThrowsAfterTheTimeout) {
  Pool pool(url_, 1);
  Pool::Lease held = pool.Acquire();

  const auto start = std::chrono::steady_clock::now();
  EXPECT_THROW(pool.Acquire(milliseconds(50)), Unavailable);
  EXPECT_GE(std::chrono::steady_clock::now() - start, milliseconds(50));
}

TEST_F(PoolPgTest, AcquireWaitsForAConnectionGivenBack) {
  Pool pool(url_, 1);
  std::optional<Pool::Lease> held(pool.Acquire());

  std::thread giver([&] {
    std::this_thread::sleep_for(milliseconds(50));
    held.reset();
  });
  Pool::Lease connection = pool.Acquire(std::chrono::seconds(5));
  giver.join();
  EXPECT_EQ(CurrentUser(connection), kAppRole);
}

TEST_F(PoolPgTest, UnreachableDatabaseIsABrokenConnectionAndFreesTheSlot) {
  Pool pool(url_ + "_no_such_database", 1);

  EXPECT_THROW(pool.Acquire(), Unavailable);
  EXPECT_EQ(pool.stats().in_use, 0u);
}

TEST_F(PoolPgTest, ConnectionKilledWhileIdleIsReplaced) {
  Pool pool(url_, 1);
  int64_t killed_pid = 0;
  {
    Pool::Lease connection = pool.Acquire();
    killed_pid = BackendPid(connection);
  }
  {
    pqxx::connection owner(url_);
    pqxx::nontransaction tx(owner);
    tx.exec_params("SELECT pg_terminate_backend($1, 5000)", killed_pid);
  }

  Pool::Lease connection = pool.Acquire();
  EXPECT_NE(BackendPid(connection), killed_pid);
  EXPECT_EQ(CurrentUser(connection), kAppRole);
}

TEST_F(PoolPgTest, ConnectionBrokenInUseIsDroppedOnReturn) {
  Pool pool(url_, 1);
  {
    Pool::Lease connection = pool.Acquire();
    {
      pqxx::connection owner(url_);
      pqxx::nontransaction tx(owner);
      tx.exec_params("SELECT pg_terminate_backend($1, 5000)", BackendPid(connection));
    }
    pqxx::nontransaction tx(*connection);
    // The FATAL message may already be waiting; either way the query cannot succeed.
    EXPECT_ANY_THROW(tx.exec("SELECT 1"));
  }
  EXPECT_EQ(pool.stats().idle, 0u);
  EXPECT_EQ(pool.stats().in_use, 0u);
}

TEST_F(PoolPgTest, PoolRecoversAfterPostgresRestarts) {
  Pool pool(url_, 2);
  {
    Pool::Lease a = pool.Acquire();
    Pool::Lease b = pool.Acquire();
    BackendPid(a);
    BackendPid(b);
  }
  ASSERT_EQ(pool.stats().idle, 2u);

  test::TestCluster::Cluster().Stop();
  test::TestCluster::Cluster().Restart();

  for (int i = 0; i < 2; ++i) {
    Pool::Lease connection = pool.Acquire();
    EXPECT_EQ(CurrentUser(connection), kAppRole);
  }
}

}  // namespace
}  // namespace sitrep::storage
