#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <pqxx/pqxx>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "storage/embedded_cluster.h"
#include "storage/migration_files.h"
#include "storage/migrations.h"
#include "storage/pool_lease.h"
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

const std::filesystem::path kStorage = SITREP_STORAGE_DIR;
const std::filesystem::path kSnapshot = kStorage / "schema" / "baseline_v27.snapshot.sql";
// Copies of shared/reference, always in the checkout.
const std::filesystem::path kReference = test::TestDataDir() / "reference";

// What a command printed on its standard output; fails the test when it exits non-zero.
std::string OutputOf(const std::string& command) {
  std::string output;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) {
    ADD_FAILURE() << "cannot run " << command;
    return output;
  }
  char buffer[4096];
  size_t n = 0;
  while ((n = fread(buffer, 1, sizeof buffer, pipe)) > 0) output.append(buffer, n);
  const int status = pclose(pipe);
  EXPECT_EQ(status, 0) << command;
  return output;
}

// The newest /usr/lib/postgresql/<N>/bin/pg_dump, the one the test cluster's server matches.
std::string PgDump() {
  std::filesystem::path newest;
  for (const auto& entry : std::filesystem::directory_iterator("/usr/lib/postgresql")) {
    const std::filesystem::path candidate = entry.path() / "bin" / "pg_dump";
    if (std::filesystem::exists(candidate) &&
        (newest.empty() || std::stoi(entry.path().filename().string()) >
                               std::stoi(newest.parent_path().parent_path().filename().string()))) {
      newest = candidate;
    }
  }
  return newest.string();
}

std::string Quoted(const std::string& word) { return "'" + word + "'"; }  // URLs hold no '

// `pg_dump --schema-only` of a database, without psql meta-commands (\restrict), which only
// psql understands, and without the owner's name, which differs between clusters.
std::string SchemaDump(const std::string& url) {
  const std::string dump =
      OutputOf(PgDump() + " --schema-only --no-owner --dbname=" + Quoted(url) + " 2>&1");
  std::string kept;
  std::istringstream lines(dump);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.starts_with("\\") || line.starts_with("-- Dumped from") ||
        line.starts_with("-- Dumped by")) {
      continue;
    }
    const std::string for_role = "ALTER DEFAULT PRIVILEGES FOR ROLE ";
    if (line.starts_with(for_role)) {
      line = "ALTER DEFAULT PRIVILEGES " + line.substr(line.find(' ', for_role.size()) + 1);
    }
    kept += line + "\n";
  }
  return kept;
}

// A dump without comments and blank lines, which say nothing of the schema.
std::string Normalised(const std::string& dump) {
  std::string kept;
  std::istringstream lines(dump);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.empty() || line.starts_with("--")) continue;
    kept += line + "\n";
  }
  return kept;
}

// `diff -u` of two texts, for a failure message.
std::string DiffOf(const std::string& a, const std::string& b) {
  const std::filesystem::path dir = test::TestCluster::ScratchDirectory();
  std::ofstream(dir / "a.sql") << a;
  std::ofstream(dir / "b.sql") << b;
  FILE* pipe =
      popen(("diff -u " + (dir / "a.sql").string() + " " + (dir / "b.sql").string()).c_str(), "r");
  std::string output;
  char buffer[4096];
  size_t n = 0;
  while (pipe != nullptr && (n = fread(buffer, 1, sizeof buffer, pipe)) > 0) {
    output.append(buffer, n);
  }
  if (pipe != nullptr) pclose(pipe);
  return output;
}

std::string FileText(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

constexpr char kSnapshotHeader[] =
    "-- GENERATED FILE, do not edit. pg_dump --schema-only --no-owner of a database built from\n"
    "-- storage/schema/*.sql at the baseline, version 27 (psql meta-commands and the owner's\n"
    "-- name removed). storage/migrations_pgtest.cc checks that this plus every migration of\n"
    "-- storage/migrations/ equals the family files. Regenerate it only when the baseline itself\n"
    "-- changes, with no migration in storage/migrations/:\n"
    "--   SITREP_WRITE_BASELINE_SNAPSHOT=1 <build>/storage/migrations_pgtest \\\n"
    "--     --gtest_filter='*FamilyFilesEqualBaselinePlusMigrations*'\n";

TEST(MigrationsPgTest, EmptyDatabaseGetsTheSchemaOnce) {
  const std::string url = test::TestCluster::EmptyDatabaseUrl();

  EXPECT_EQ(RunMigrations(url), 1);
  EXPECT_EQ(RunMigrations(url), 0);
  EXPECT_EQ(CountOf(url, "SELECT count(*) FROM schema_migrations"), 1 + kMigrationCount);
  EXPECT_EQ(CountOf(url, "SELECT max(version) FROM schema_migrations"),
            kMigrationCount == 0 ? kBaselineVersion : CompiledMigrations().back().version);
}

// The proof that both ways to the current schema agree: database A from the family files,
// database B from the committed snapshot of the baseline plus every migration.
TEST(MigrationsPgTest, FamilyFilesEqualBaselinePlusMigrations) {
  const std::string from_families = test::TestCluster::EmptyDatabaseUrl();
  ASSERT_EQ(RunMigrations(from_families), 1);
  const std::string expected = SchemaDump(from_families);

  if (std::getenv("SITREP_WRITE_BASELINE_SNAPSHOT") != nullptr) {
    ASSERT_EQ(kMigrationCount, 0) << "the snapshot is the baseline alone: fold the migrations "
                                     "into a new baseline first";
    std::ofstream(kSnapshot) << kSnapshotHeader << expected;
  }
  const std::string snapshot = FileText(kSnapshot);
  ASSERT_FALSE(snapshot.empty()) << kSnapshot << " not found";

  const std::string from_snapshot = test::TestCluster::EmptyDatabaseUrl();
  {
    pqxx::connection connection(from_snapshot);
    pqxx::nontransaction tx(connection);
    tx.exec0(snapshot);
    // The dump empties search_path for the rest of the session.
    tx.exec_params0("INSERT INTO public.schema_migrations (version, name) VALUES ($1, 'baseline')",
                    kBaselineVersion);
  }
  EXPECT_EQ(RunMigrations(from_snapshot), kMigrationCount);

  const std::string a = Normalised(expected);
  const std::string b = Normalised(SchemaDump(from_snapshot));
  EXPECT_TRUE(a == b) << "storage/schema/ (---) and the baseline snapshot plus storage/migrations/ "
                         "(+++) differ; edit both the family file and the migration:\n"
                      << DiffOf(a, b);
}

// A database of the numbered chain that preceded the baseline is refused, with a sentence that
// says what to do, and left as it was.
TEST(MigrationsPgTest, DatabaseOfThePreBaselineChainIsRefused) {
  const std::string url = test::TestCluster::EmptyDatabaseUrl();
  {
    pqxx::connection connection(url);
    pqxx::nontransaction tx(connection);
    tx.exec0(
        "CREATE TABLE schema_migrations (version integer PRIMARY KEY, name text NOT NULL, "
        "applied_at timestamptz NOT NULL DEFAULT now());"
        "INSERT INTO schema_migrations (version, name) VALUES (1, '0001_reference'), "
        "(25, '0025_credential_notices')");
  }
  try {
    RunMigrations(url);
    ADD_FAILURE() << "a pre-baseline database was accepted";
  } catch (const StartupError& error) {
    EXPECT_THAT(error.what(), ::testing::HasSubstr("before the schema baseline"));
    EXPECT_THAT(error.what(), ::testing::HasSubstr("create the database afresh"));
  }
  EXPECT_EQ(CountOf(url, "SELECT count(*) FROM schema_migrations"), 2);
  EXPECT_EQ(CountOf(url, "SELECT count(*) FROM pg_tables WHERE tablename = 'incidents'"), 0);
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

  EXPECT_EQ(applied_by_first + applied_by_second, 1);
  EXPECT_EQ(CountOf(url, "SELECT count(*) FROM schema_migrations"), 1 + kMigrationCount);
}

TEST(MigrationsPgTest, MigrationsAreNumberedInOrderAboveTheBaseline) {
  int previous = kBaselineVersion;
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
// situation viewers are simple enough for the planner to inline: a call it cannot inline
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
