#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <memory>
#include <mutex>
#include <string>

#include "storage/errors.h"

namespace sitrep::storage {

// The role every pooled connection switches to before use: neither superuser, owner of the
// tables nor BYPASSRLS, so row-level security applies to everything the server runs.
inline constexpr const char* kAppRole = "sitrep_app";

// A fixed-size pool of connections to one database. Connections are opened lazily, run
// `SET ROLE sitrep_app` once, and are replaced when found broken. Thread-safe.
class Pool final {
 public:
  class Lease;  // storage/pool_lease.h

  Pool(std::string url, size_t size);
  ~Pool();

  // Lends a connection; waits up to `timeout` for a free one, then throws Unavailable
  // (storage/errors.h), as it does when PostgreSQL cannot be reached. The Lease (internal to
  // storage/, defined in storage/pool_lease.h) gives it back when destroyed.
  [[nodiscard]] Lease Acquire(std::chrono::milliseconds timeout = std::chrono::seconds(5));

  struct Stats {
    size_t size = 0;    // the pool's capacity
    size_t in_use = 0;  // lent out now
    size_t idle = 0;    // open and waiting
  };
  [[nodiscard]] Stats stats() const;

 private:
  friend class Lease;
  struct Idle;  // the open connections waiting to be lent (storage/pool.cc)

  // Takes back what `lease` holds: its connection, unless broken, and its slot.
  void Return(Lease& lease);

  const std::string url_;
  const size_t size_;
  mutable std::mutex mu_;
  std::condition_variable returned_;
  std::unique_ptr<Idle> idle_;  // guarded by mu_
  size_t in_use_ = 0;           // guarded by mu_
};

}  // namespace sitrep::storage
