#pragma once

#include <memory>
#include <string>

namespace sitrep::storage {

// Asks PostgreSQL `SELECT 1` on a connection of its own, kept between probes (so a busy pool
// cannot make the server look down) and reopened after a failure. Not thread-safe: one owner.
class DatabaseProbe final {
 public:
  explicit DatabaseProbe(std::string url);
  ~DatabaseProbe();
  DatabaseProbe(const DatabaseProbe&) = delete;
  DatabaseProbe& operator=(const DatabaseProbe&) = delete;

  // Whether PostgreSQL answered; when not, `*error` says why (for the log).
  [[nodiscard]] bool Reachable(std::string* error);

 private:
  const std::string url_;
  struct Connection;  // the open libpqxx connection, if any
  std::unique_ptr<Connection> connection_;
};

}  // namespace sitrep::storage
