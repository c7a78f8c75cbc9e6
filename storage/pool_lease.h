#pragma once

#include <memory>
#include <pqxx/pqxx>

#include "storage/pool.h"

namespace sitrep::storage {

// A connection lent by Pool::Acquire; internal to storage/ (its transaction runners,
// storage/transaction.h). Gives the connection back to its pool when destroyed.
class Pool::Lease final {
 public:
  Lease(Lease&& other) noexcept;
  Lease& operator=(Lease&&) = delete;
  ~Lease();
  pqxx::connection& operator*() const { return *connection_; }
  pqxx::connection* operator->() const { return connection_.get(); }

 private:
  friend class Pool;
  Lease(Pool* pool, std::unique_ptr<pqxx::connection> connection);
  Pool* pool_;
  std::unique_ptr<pqxx::connection> connection_;
};

}  // namespace sitrep::storage
