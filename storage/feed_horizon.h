#pragma once

#include <atomic>
#include <cstdint>
#include <utility>

namespace pqxx {
class transaction_base;
}  // namespace pqxx

namespace sitrep::storage {

// The feed horizon: the oldest transaction still running. Feeds never serve a row at or past
// it, so a row that commits late can never land behind a cursor (storage/feed_store.cc). One
// transaction may be exempted: one that writes no feed row yet may run for a while (the
// situation compactor), which would otherwise hold every feed and watch back while it runs.
// Shared by the stores of one server, and so of one database. Thread-safe.
class FeedHorizon final {
 public:
  // Told by the exempted transaction itself, with its own id, before its long work.
  void Exempt(uint64_t xid) { exempt_.store(xid); }

  // The horizon `tx` sees: the oldest running transaction id other than the exempted one, or
  // the next id to be assigned when none other runs.
  // The end of every commit-ordered feed as `tx` sees it: the next transaction id to be
  // assigned. No position ever issued lies at or past it, and it only grows, so a cursor just
  // issued by any server is always before it while concurrent commits move it on.
  [[nodiscard]] static uint64_t ReadEnd(pqxx::transaction_base& tx);

  // Read and ReadEnd in one round trip, from one snapshot: {horizon, end}.
  [[nodiscard]] std::pair<uint64_t, uint64_t> ReadWithEnd(pqxx::transaction_base& tx) const;

  [[nodiscard]] uint64_t Read(pqxx::transaction_base& tx) const;

 private:
  std::atomic<uint64_t> exempt_{0};
};

}  // namespace sitrep::storage
