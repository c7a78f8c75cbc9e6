#include <gtest/gtest.h>

#include <pqxx/pqxx>
#include <string>

#include "storage/prepared_statement.h"
#include "tests/support/test_cluster.h"

namespace sitrep::storage {
namespace {

// Dynamic statements run prepared up to the bound and unprepared past it, with the same results
// either way, so a connection never holds more than kMaxDynamicStatements of them.
TEST(PreparedStatementPgTest, DynamicStatementsArePreparedUpToTheBoundThenRunPlain) {
  pqxx::connection connection(test::TestCluster::FreshDatabaseUrl());
  const size_t texts = kMaxDynamicStatements + 10;
  for (int round = 0; round < 2; ++round) {
    for (size_t i = 0; i < texts; ++i) {
      pqxx::work tx(connection);
      const std::string sql = "SELECT $1::integer + " + std::to_string(i);
      EXPECT_EQ(ExecDynamic(tx, sql, {"1000"})[0][0].as<size_t>(), 1000 + i);
      tx.commit();
    }
  }
  pqxx::nontransaction tx(connection);
  EXPECT_EQ(tx.exec1("SELECT count(*) FROM pg_prepared_statements")[0].as<size_t>(),
            kMaxDynamicStatements);
}

}  // namespace
}  // namespace sitrep::storage
