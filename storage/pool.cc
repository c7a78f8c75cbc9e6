#include "storage/pool.h"

#include <poll.h>

#include <utility>
#include <vector>

#include "storage/error_translation.h"
#include "storage/pool_lease.h"

namespace sitrep::storage {
namespace {

// Whether the server has sent anything to an idle connection. Pooled connections never LISTEN,
// so unsolicited input means the server is closing it (a restart or pg_terminate_backend sends
// a FATAL message, then EOF). libpq notices only when the next query fails, which would turn a
// PostgreSQL restart into one failed call per pooled connection; dropping such a connection
// here costs at most a reconnect.
bool ServerSpokeUnasked(const pqxx::connection& connection) {
  pollfd descriptor{connection.sock(), POLLIN | POLLRDHUP, 0};
  return descriptor.fd < 0 || poll(&descriptor, 1, 0) != 0;
}

}  // namespace

struct Pool::Idle {
  std::vector<std::unique_ptr<pqxx::connection>> connections;
};

Pool::Pool(std::string url, size_t size)
    : url_(std::move(url)), size_(size), idle_(std::make_unique<Idle>()) {}

Pool::~Pool() = default;

Pool::Lease Pool::Acquire(std::chrono::milliseconds timeout) {
  std::unique_ptr<pqxx::connection> connection;
  {
    std::unique_lock lock(mu_);
    if (!returned_.wait_for(lock, timeout, [&] { return in_use_ < size_; })) {
      throw Unavailable("database pool exhausted");
    }
    ++in_use_;
    if (!idle_->connections.empty()) {
      connection = std::move(idle_->connections.back());
      idle_->connections.pop_back();
    }
  }
  if (connection != nullptr && ServerSpokeUnasked(*connection)) connection.reset();
  if (connection == nullptr) {
    // Connecting takes a while; the slot is reserved, so other callers need not wait for it.
    try {
      connection = std::make_unique<pqxx::connection>(url_);
      // set_variable() rather than exec(): libpqxx 6 silently reconnects a broken connection
      // and replays the variables it set, so a reconnected session can never run as the owner.
      connection->set_variable("ROLE", kAppRole);
    } catch (...) {
      { const Lease slot(this, nullptr); }  // gives the reserved slot back
      RethrowAsStorageError(connection.get());
    }
  }
  return Lease(this, std::move(connection));
}

Pool::Stats Pool::stats() const {
  std::lock_guard lock(mu_);
  return {size_, in_use_, idle_->connections.size()};
}

void Pool::Return(Lease& lease) {
  std::unique_ptr<pqxx::connection> connection = std::move(lease.connection_);
  {
    std::lock_guard lock(mu_);
    --in_use_;
    // A connection found broken is dropped; the next Acquire opens a fresh one.
    if (connection != nullptr && connection->is_open()) {
      idle_->connections.push_back(std::move(connection));
    }
  }
  returned_.notify_one();
}

Pool::Lease::Lease(Pool* pool, std::unique_ptr<pqxx::connection> connection)
    : pool_(pool), connection_(std::move(connection)) {}

Pool::Lease::Lease(Lease&& other) noexcept
    : pool_(std::exchange(other.pool_, nullptr)), connection_(std::move(other.connection_)) {}

Pool::Lease::~Lease() {
  if (pool_ != nullptr) pool_->Return(*this);
}

}  // namespace sitrep::storage
