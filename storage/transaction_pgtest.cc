#include <gtest/gtest.h>

#include <pqxx/pqxx>
#include <string>

#include "storage/transaction.h"
#include "tests/support/test_cluster.h"

namespace sitrep::storage {
namespace {

struct Settings {
  std::string principal_id, role, province, enterprise_id, sector;
};

Settings ReadSettings(pqxx::work& tx) {
  const pqxx::row row = tx.exec1(
      "SELECT current_setting('sitrep.principal_id', true), current_setting('sitrep.role', true), "
      "current_setting('sitrep.province', true), "
      "current_setting('sitrep.enterprise_id', true), current_setting('sitrep.sector', true)");
  return {row[0].as<std::string>(""), row[1].as<std::string>(""), row[2].as<std::string>(""),
          row[3].as<std::string>(""), row[4].as<std::string>("")};
}

Principal EnterpriseCaller() {
  Principal caller;
  caller.id = 17;
  caller.name = "plant";
  caller.role = v1::ROLE_ENTERPRISE;
  caller.province = 440000;
  caller.enterprise_id = 9;
  caller.sector = "petrochemical";
  return caller;
}

class TransactionPgTest : public ::testing::Test {
 protected:
  Pool pool_{test::TestCluster::FreshDatabaseUrl(), 1};
};

TEST_F(TransactionPgTest, CallerSettingsHoldInsideTheTransaction) {
  const Settings settings = InTransaction(pool_, EnterpriseCaller(), ReadSettings);

  EXPECT_EQ(settings.principal_id, "17");
  EXPECT_EQ(settings.role, "ENTERPRISE");
  EXPECT_EQ(settings.province, "440000");
  EXPECT_EQ(settings.enterprise_id, "9");
  EXPECT_EQ(settings.sector, "petrochemical");
}

TEST_F(TransactionPgTest, UnknownCallerHasZeroIdsAndUnspecifiedRole) {
  const Settings settings = InTransaction(pool_, Principal{}, ReadSettings);

  EXPECT_EQ(settings.principal_id, "0");
  EXPECT_EQ(settings.role, "UNSPECIFIED");
  EXPECT_EQ(settings.province, "0");
  EXPECT_EQ(settings.enterprise_id, "0");
  EXPECT_EQ(settings.sector, "");
}

TEST_F(TransactionPgTest, SettingsDoNotOutliveTheTransaction) {
  InTransaction(pool_, EnterpriseCaller(), [](pqxx::work&) {});

  // The pool has one connection, so this is the same session.
  Pool::Lease connection = pool_.Acquire();
  pqxx::work tx(*connection);
  const Settings settings = ReadSettings(tx);
  EXPECT_EQ(settings.principal_id, "");
  EXPECT_EQ(settings.role, "");
}

TEST_F(TransactionPgTest, ExceptionRollsTheBodyBack) {
  EXPECT_THROW(InTransaction(pool_, Principal{},
                             [](pqxx::work& tx) {
                               tx.exec(
                                   "INSERT INTO audit_entries (method, status) "
                                   "VALUES ('/x', 'OK')");
                               throw std::runtime_error("body failed");
                             }),
               std::runtime_error);

  const int64_t rows = InTransaction(pool_, Principal{}, [](pqxx::work& tx) {
    return tx.exec1("SELECT count(*) FROM audit_entries")[0].as<int64_t>();
  });
  EXPECT_EQ(rows, 0);
}

}  // namespace
}  // namespace sitrep::storage
