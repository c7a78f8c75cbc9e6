#include "storage/migrations.h"

#include <pqxx/pqxx>

#include "logging/log.h"
#include "storage/error_translation.h"
#include "storage/migration_files.h"

namespace sitrep::storage {
namespace {

// Serialises migrations of one database (advisory locks are per database): "sitrep" in ASCII
// followed by a 1, so it cannot collide with the small keys other code may pick.
constexpr int64_t kMigrationLockKey = 0x7369747265700001;

int Migrate(const std::string& owner_url) {
  pqxx::connection connection(owner_url);
  {
    // Even the bookkeeping table is created under the lock: two concurrent
    // CREATE TABLE IF NOT EXISTS can both miss the table and one then fails.
    pqxx::work tx(connection);
    tx.exec_params("SELECT pg_advisory_xact_lock($1)", kMigrationLockKey);
    tx.exec(
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        "version integer PRIMARY KEY, name text NOT NULL, "
        "applied_at timestamptz NOT NULL DEFAULT now())");
    tx.commit();
  }
  int applied = 0;
  for (const MigrationFile& migration : CompiledMigrations()) {
    pqxx::work tx(connection);
    tx.exec_params("SELECT pg_advisory_xact_lock($1)", kMigrationLockKey);
    // A separate statement after the lock, so its snapshot sees what the lock holder committed.
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
