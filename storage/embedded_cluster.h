#pragma once

#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>

namespace sitrep::storage {

// Thrown when the database cannot be started or reached. what() is one line for the user,
// e.g. "PostgreSQL binaries not found: install postgresql-15 (looked in /usr/lib/postgresql)".
class StartupError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A PostgreSQL cluster that sitrep runs itself under one directory: `initdb` on first start
// (superuser "postgres", trust authentication on the unix socket only), then `pg_ctl start`
// with a unix socket inside the directory and no TCP listener. When the process runs as root,
// the cluster's files and processes belong to the unprivileged `postgres` system user, since
// PostgreSQL refuses to run as root. Not thread-safe; one owner.
class EmbeddedCluster final {
 public:
  struct Options {
    std::filesystem::path directory;   // holds pgdata/ and the socket directory run/
    std::filesystem::path pg_bin_dir;  // empty: the newest /usr/lib/postgresql/<N>/bin
    std::string database = "sitrep";   // created on first start
  };

  // Starts the cluster (initialising it first when the directory holds none) and waits until
  // it accepts connections. A second start on an existing directory reuses the cluster. A
  // server left running by an EmbeddedCluster whose process died (kill -9) is stopped and
  // started again.
  // Throws StartupError with one clear line: binaries missing, directory not writable,
  // cluster already running from another process, postgres failing to start (with the last
  // lines of its log).
  [[nodiscard]] static std::unique_ptr<EmbeddedCluster> Start(const Options& options);

  ~EmbeddedCluster();  // Stop()
  EmbeddedCluster(const EmbeddedCluster&) = delete;
  EmbeddedCluster& operator=(const EmbeddedCluster&) = delete;

  // libpq URL of the database, e.g. "postgresql:///sitrep?host=/abs/run&port=5432&user=postgres".
  [[nodiscard]] std::string url() const { return UrlFor(options_.database); }
  [[nodiscard]] std::string UrlFor(std::string_view database) const;

  // Creates database `name` on the running cluster, as a copy of `template_name` (empty:
  // template1, PostgreSQL's pristine default). Throws StartupError when PostgreSQL refuses.
  void CreateDatabase(const std::string& name, const std::string& template_name = "");

  // `pg_ctl stop -m fast`, waiting until it is down. Idempotent.
  void Stop();
  // Starts a stopped cluster again (tests stop and restart PostgreSQL under a live server).
  void Restart();
  [[nodiscard]] bool running() const { return running_; }

  // Whether the postmaster of a running cluster is still alive: false once it was killed
  // (kill -9, the OOM killer) or stopped behind this object's back. Reads postmaster.pid and
  // /proc, cheap enough to poll.
  [[nodiscard]] bool postmaster_alive() const;
  // Starts the server again after its postmaster died: `pg_ctl start` over the stale
  // postmaster.pid, then crash recovery. Throws StartupError while the dead server's backends
  // still hold its shared memory (they exit within moments); the caller retries later.
  void RestartAfterDeath();

 private:
  explicit EmbeddedCluster(Options options);
  [[nodiscard]] bool DatabaseExists(const std::string& name) const;

  Options options_;
  bool running_ = false;
};

}  // namespace sitrep::storage
