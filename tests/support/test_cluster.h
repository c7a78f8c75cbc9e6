#pragma once

#include <filesystem>
#include <string>

#include "storage/embedded_cluster.h"

namespace sitrep::test {

// One throwaway PostgreSQL cluster per test binary (STYLE.md, Tests): started on first use in
// a fresh mkdtemp directory under /tmp (owned by the postgres user when running as root),
// stopped and removed when the process exits. Directories left behind by a test binary that
// crashed are removed by the next one, and their postmaster then shuts itself down when it
// finds its lock file gone. Thread-safe.
class TestCluster final {
 public:
  // The URL of a new, empty-but-migrated database cloned from the template database
  // (`sitrep_template`, migrated once per process); a unique name on every call. Starts the
  // cluster, or restarts it after a test stopped it. Throws when PostgreSQL fails.
  [[nodiscard]] static std::string FreshDatabaseUrl();

  // The URL of a new database with no migrations applied (for migration tests).
  [[nodiscard]] static std::string EmptyDatabaseUrl();

  // The cluster itself, started, for tests that stop and restart PostgreSQL.
  [[nodiscard]] static storage::EmbeddedCluster& Cluster();

  // A new empty directory inside this process's temp directory, usable by the postgres user,
  // removed at exit: for tests that run an EmbeddedCluster of their own.
  [[nodiscard]] static std::filesystem::path ScratchDirectory();

  TestCluster() = delete;
};

}  // namespace sitrep::test
