#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <pqxx/pqxx>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "storage/migration_files.h"
#include "storage/migrations.h"
#include "storage/pool.h"
#include "tests/support/test_cluster.h"
#include "tests/support/test_data.h"

namespace sitrep::storage {
namespace {

const int kMigrationCount = static_cast<int>(CompiledMigrations().size());

int64_t CountOf(const std::string& url, const std::string& sql) {
  pqxx::connection connection(url);
  pqxx::nontransaction tx(connection);
  return tx.exec1(sql)[0].as<int64_t>();
}

// The reference CSV files (tests/data/reference) as code → the other columns. They hold no quoted
// commas.
std::map<std::string, std::vector<std::string>> ReadCsv(const std::filesystem::path& path) {
  std::map<std::string, std::vector<std::string>> rows;
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    std::vector<std::string> fields;
    std::stringstream stream(line);
    std::string field;
    while (std::getline(stream, field, ',')) fields.push_back(field);
    const std::string code = fields.front();
    fields.erase(fields.begin());
    rows[code] = fields;
  }
  return rows;
}

// Copies of shared/reference, always in the checkout.
const std::filesystem::path kReference = test::TestDataDir() / "reference";

TEST(MigrationsPgTest, EmptyDatabaseGetsEveryMigrationOnce) {
  const std::string url = test::TestCluster::EmptyDatabaseUrl();

  EXPECT_EQ(RunMigrations(url), kMigrationCount);
  EXPECT_EQ(RunMigrations(url), 0);
  EXPECT_EQ(CountOf(url, "SELECT count(*) FROM schema_migrations"), kMigrationCount);
}

TEST(MigrationsPgTest, MigratedDatabaseAppliesNothing) {
  EXPECT_EQ(RunMigrations(test::TestCluster::FreshDatabaseUrl()), 0);
}

TEST(MigrationsPgTest, TwoServersMigratingAtOnceBothSucceedAndApplyEachOnce) {
  const std::string url = test::TestCluster::EmptyDatabaseUrl();
  int applied_by_first = -1;
  int applied_by_second = -1;

  std::thread first([&] { applied_by_first = RunMigrations(url); });
  std::thread second([&] { applied_by_second = RunMigrations(url); });
  first.join();
  second.join();

  EXPECT_EQ(applied_by_first + applied_by_second, kMigrationCount);
  EXPECT_EQ(CountOf(url, "SELECT count(DISTINCT version) FROM schema_migrations"), kMigrationCount);
  EXPECT_EQ(CountOf(url, "SELECT count(*) FROM schema_migrations"), kMigrationCount);
}

TEST(MigrationsPgTest, MigrationsAreNumberedInOrder) {
  int previous = 0;
  for (const MigrationFile& migration : CompiledMigrations()) {
    EXPECT_GT(migration.version, previous) << migration.name;
    EXPECT_FALSE(migration.sql.empty()) << migration.name;
    previous = migration.version;
  }
}

TEST(MigrationsPgTest, PooledConnectionsRunAsAnUnprivilegedRoleThatOwnsNothing) {
  Pool pool(test::TestCluster::FreshDatabaseUrl(), 1);
  Pool::Lease connection = pool.Acquire();
  pqxx::nontransaction tx(*connection);

  const pqxx::row role = tx.exec1(
      "SELECT current_user, rolsuper, rolbypassrls, rolcreaterole, rolcreatedb "
      "FROM pg_roles WHERE rolname = current_user");
  EXPECT_EQ(role[0].as<std::string>(), "sitrep_app");
  EXPECT_FALSE(role[1].as<bool>()) << "superuser";
  EXPECT_FALSE(role[2].as<bool>()) << "bypasses row-level security";
  EXPECT_FALSE(role[3].as<bool>()) << "may create roles";
  EXPECT_FALSE(role[4].as<bool>()) << "may create databases";
  EXPECT_EQ(tx.exec1("SELECT count(*) FROM pg_class WHERE relowner = "
                     "(SELECT oid FROM pg_roles WHERE rolname = current_user)")[0]
                .as<int>(),
            0);
}

TEST(MigrationsPgTest, ServerRoleCannotChangeTheSchemaOrTheReferenceTables) {
  Pool pool(test::TestCluster::FreshDatabaseUrl(), 1);
  for (const char* sql : {"CREATE TABLE intruder (id int)", "DROP TABLE enterprises",
                          "DELETE FROM enterprises", "UPDATE provinces SET name_en = 'x'",
                          "INSERT INTO sectors VALUES ('x', 'x', 'x', '', false)",
                          "SELECT * FROM schema_migrations"}) {
    Pool::Lease connection = pool.Acquire();
    pqxx::work tx(*connection);
    EXPECT_THROW(tx.exec(sql), pqxx::insufficient_privilege) << sql;
  }
}

TEST(MigrationsPgTest, ProvincesAreSeededFromTheReferenceList) {
  const std::string url = test::TestCluster::FreshDatabaseUrl();
  EXPECT_EQ(CountOf(url, "SELECT count(*) FROM provinces"), 32);
  EXPECT_EQ(CountOf(url, "SELECT count(*) FROM provinces WHERE code = 660000"), 1);

  const auto expected = ReadCsv(kReference / "provinces.csv");
  ASSERT_FALSE(expected.empty());
  pqxx::connection connection(url);
  pqxx::nontransaction tx(connection);
  std::map<std::string, std::vector<std::string>> seeded;
  for (const pqxx::row& row : tx.exec("SELECT code, name_zh, name_en FROM provinces")) {
    seeded[row[0].as<std::string>()] = {row[1].as<std::string>(), row[2].as<std::string>()};
  }
  ASSERT_EQ(seeded.size(), expected.size());
  for (const auto& [code, fields] : expected) {
    ASSERT_TRUE(seeded.contains(code)) << code;
    EXPECT_EQ(seeded[code][0], fields[0]) << code;
    EXPECT_EQ(seeded[code][1], fields[1]) << code;
  }
}

TEST(MigrationsPgTest, SectorsAreSeededFromTheReferenceList) {
  const std::string url = test::TestCluster::FreshDatabaseUrl();
  EXPECT_EQ(CountOf(url, "SELECT count(*) FROM sectors"), 23);
  EXPECT_EQ(CountOf(url, "SELECT count(*) FROM sectors WHERE key_sector"), 4);

  const auto expected = ReadCsv(kReference / "sectors.csv");
  ASSERT_FALSE(expected.empty());
  pqxx::connection connection(url);
  pqxx::nontransaction tx(connection);
  std::map<std::string, std::vector<std::string>> seeded;
  for (const pqxx::row& row :
       tx.exec("SELECT code, name_zh, name_en, gbt4754_divisions, key_sector::text FROM sectors")) {
    seeded[row[0].as<std::string>()] = {row[1].as<std::string>(), row[2].as<std::string>(),
                                        row[3].as<std::string>(), row[4].as<std::string>()};
  }
  ASSERT_EQ(seeded.size(), expected.size());
  for (const auto& [code, fields] : expected) {
    ASSERT_TRUE(seeded.contains(code)) << code;
    EXPECT_EQ(seeded[code][0], fields[0]) << code;
    EXPECT_EQ(seeded[code][1], fields[1]) << code;
    EXPECT_EQ(seeded[code][2], fields[2]) << code;
    EXPECT_EQ(seeded[code][3], fields[3]) << code;
  }
}

// The time conversions are exact to the microsecond in every TimeZone, and they and the
// situation viewers are simple enough for the planner to inline (0015): a call it cannot inline
// costs the SQL-function executor per row.
TEST(MigrationsPgTest, TimeConversionsAreExactAndHotFunctionsAreInlined) {
  pqxx::connection connection(test::TestCluster::FreshDatabaseUrl());
  pqxx::nontransaction tx(connection);
  for (const char* zone : {"UTC", "Asia/Shanghai", "America/St_Johns"}) {
    tx.exec0(std::string("SET TimeZone = ") + tx.quote(zone));
    // 1900 to 2100, in steps of ~17 minutes that land on every microsecond digit.
    EXPECT_EQ(
        tx.exec1("SELECT count(*) FROM generate_series(-2208988800000000::bigint, "
                 "4102444800000000, 999999937) AS g(micros) "
                 "WHERE sitrep_micros(sitrep_time(micros)) <> micros "
                 "OR sitrep_time(micros) <> timestamptz 'epoch' + micros * interval '1 us'")[0]
            .as<int64_t>(),
        0)
        << zone;
  }
  EXPECT_EQ(tx.exec1("SELECT sitrep_micros(timestamptz '2024-02-29 23:59:59.999999+08')")[0]
                .as<int64_t>(),
            1709222399999999);
  std::string plan;
  for (const pqxx::row& row : tx.exec("EXPLAIN VERBOSE SELECT sitrep_micros(sitrep_time(g)), "
                                      "sitrep_situation_viewers(g, 'energy', 'GREEN', 'SECTOR') "
                                      "FROM generate_series(1, 3) g")) {
    plan += row[0].as<std::string>() + "\n";
  }
  EXPECT_THAT(plan, ::testing::Not(::testing::HasSubstr("sitrep_"))) << plan;
}

}  // namespace
}  // namespace sitrep::storage
