#pragma once

#include <string>

namespace sitrep::storage {

// Applies every migration in storage/migrations/ (compiled into the binary) that the database
// has not recorded yet, each in its own transaction, under a transaction-level advisory lock so
// that servers starting together apply each exactly once. Connects with `owner_url` (the role
// that owns the schema) and creates the role sitrep_app (NOLOGIN, NOBYPASSRLS) that pooled
// connections switch to, granted only what the server needs. Returns the number applied.
// Throws storage/errors.h's types when PostgreSQL fails (Unavailable when it cannot be reached).
int RunMigrations(const std::string& owner_url);

}  // namespace sitrep::storage
