#pragma once

#include <memory>
#include <string>

#include "domain/clock.h"
#include "server/config.h"

namespace sitrep {

// A running sitrepd: database (embedded or external), migrations, the gRPC server with every
// service, health, reflection and the metrics endpoint. Several can run in one process (tests
// do), since nothing is global.
class Server {
 public:
  // Starts everything `config` describes and returns once the server accepts calls.
  // `clock` (not owned, must outlive the server) defaults to the system clock.
  // Throws storage::StartupError with one line for the user when anything is in the way
  // (PostgreSQL missing or unreachable, data directory not writable, address in use, bad TLS
  // files).
  [[nodiscard]] static std::unique_ptr<Server> Start(const Config& config,
                                                     const Clock* clock = nullptr);
  virtual ~Server() = default;

  // Stops accepting calls, lets running ones finish for up to 5 s, then stops the embedded
  // database if it started one. Idempotent; also done by the destructor.
  virtual void Shutdown() = 0;

  // Re-reads what may change while running (SIGHUP): the known-exploited CVE list of the
  // escalation rules, then raises the notices a newly listed CVE calls for on assets already
  // stored. A file that cannot be read keeps the list in use (and is logged).
  virtual void Reload() = 0;

  [[nodiscard]] virtual int port() const = 0;          // the bound gRPC port
  [[nodiscard]] virtual int metrics_port() const = 0;  // 0 when metrics are off
  [[nodiscard]] virtual int http_port() const = 0;     // 0 when the HTTP edge is off
  // The owner's URL of the database in use (also written to <data-dir>/database.url).
  [[nodiscard]] virtual const std::string& database_url() const = 0;
};

// main()'s body: starts the server, reloads on SIGHUP, waits for SIGINT or SIGTERM, shuts down.
// Returns the process exit code (1 with one line on stderr when it could not start).
int RunServer(const Config& config);

}  // namespace sitrep
