#pragma once

#include <string>

namespace sitrep::storage {

// Brings the database's schema to the one compiled into the binary, under a transaction-level
// advisory lock so that servers starting together do each step exactly once. An empty database
// runs the table family files of storage/schema/ in one transaction and is stamped with the
// baseline version and every migration; a database made that way earlier gets each migration of
// storage/migrations/ it has not recorded, each in its own transaction. A database made by the
// numbered chain that preceded the baseline is refused (StartupError saying so).
// Connects with `owner_url` (the role that owns the schema) and creates the role sitrep_app
// (NOLOGIN, NOBYPASSRLS) that pooled connections switch to, granted only what the server
// needs. Returns the number of steps taken: 1 for a new schema, else the migrations applied.
// Throws storage/errors.h's types when PostgreSQL fails (Unavailable when it cannot be reached).
int RunMigrations(const std::string& owner_url);

}  // namespace sitrep::storage
