#include "storage/migrations.h"

#include <pqxx/pqxx>
#include <string>

#include "logging/log.h"
#include "storage/embedded_cluster.h"
#include "storage/error_translation.h"
#include "storage/migration_files.h"

namespace sitrep::storage {
namespace {

// Serialises migrations of one database (advisory locks are per database): "sitrep" in ASCII
// followed by a 1, so it cannot collide with the small keys other code may pick.
constexpr int64_t kMigrationLockKey = 0x7369747265700001;

void TakeMigrationLock(pqxx::work& tx) {
  tx.exec_params("SELECT pg_advisory_xact_lock($1)", kMigrationLockKey);
}

// A database made by the numbered chain that preceded the baseline (versions 1 to 25) holds a
// schema that differs from the baseline in ways no migration describes. Nothing was shipped
// with it, so it is refused rather than guessed at.
void RefusePreBaselineDatabase(pqxx::work& tx) {
  const pqxx::row oldest = tx.exec1("SELECT min(version) FROM schema_migrations");
  if (!oldest[0].is_null() && oldest[0].as<int>() < kBaselineVersion) {
    throw StartupError(
        "this database was created by sitrep's migrations before the schema baseline (version " +
        std::to_string(kBaselineVersion) +
        "), which cannot be upgraded in place: create the database afresh (or point sitrepd at "
        "an empty one)");
  }
}

// A fresh database: every table family in order, stamped with the baseline and with every
// migration, which the family files already contain. One transaction, so a failure leaves the
// database empty.
void CreateSchema(pqxx::work& tx) {
  for (const SchemaFile& family : CompiledSchema()) {
    tx.exec(std::string(family.sql));
  }
  tx.exec_params("INSERT INTO schema_migrations (version, name) VALUES ($1, 'baseline')",
                 kBaselineVersion);
  for (const MigrationFile& migration : CompiledMigrations()) {
    tx.exec_params("INSERT INTO schema_migrations (version, name) VALUES ($1, $2)",
                   migration.version, std::string(migration.name));
  }
}

int Migrate(const std::string& owner_url) {
  pqxx::connection connection(owner_url);
  {
    // Even the bookkeeping table is created under the lock: two concurrent
    // CREATE TABLE IF NOT EXISTS can both miss the table and one then fails. A fresh database
    // gets its schema in the same transaction, so a second server waits and then finds it.
    pqxx::work tx(connection);
    TakeMigrationLock(tx);
    tx.exec(
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        "version integer PRIMARY KEY, name text NOT NULL, "
        "applied_at timestamptz NOT NULL DEFAULT now())");
    // A separate statement after the lock, so its snapshot sees what the lock holder committed.
    if (tx.exec("SELECT 1 FROM schema_migrations LIMIT 1").empty()) {
      CreateSchema(tx);
      tx.commit();
      Log(LogLevel::kInfo, "schema_created",
          {{"version", std::to_string(kBaselineVersion)},
           {"migrations", std::to_string(CompiledMigrations().size())}});
      return 1;
    }
    RefusePreBaselineDatabase(tx);
    tx.commit();
  }
  int applied = 0;
  for (const MigrationFile& migration : CompiledMigrations()) {
    pqxx::work tx(connection);
    TakeMigrationLock(tx);
    if (!tx.exec_params("SELECT 1 FROM schema_migrations WHERE version = $1", migration.version)
             .empty()) {
      continue;  // the work's destructor rolls back, releasing the lock
    }
    tx.exec(std::string(migration.sql));
    tx.exec_params("INSERT INTO schema_migrations (version, name) VALUES ($1, $2)",
                   migration.version, std::string(migration.name));
    tx.commit();
    ++applied;
    Log(LogLevel::kInfo, "migration_applied", {{"name", std::string(migration.name)}});
  }
  return applied;
}

}  // namespace

int RunMigrations(const std::string& owner_url) {
  try {
    return Migrate(owner_url);
  } catch (...) {
    RethrowAsStorageError(nullptr);
  }
}

}  // namespace sitrep::storage
