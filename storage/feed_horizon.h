#pragma once

#include <atomic>
#include <cstdint>
#include <pqxx/pqxx>
#include <utility>

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
  [[nodiscard]] static uint64_t ReadEnd(pqxx::work& tx) {
    return tx.exec("SELECT pg_snapshot_xmax(pg_current_snapshot())::text")[0][0].as<uint64_t>();
  }

  // Read and ReadEnd in one round trip, from one snapshot: {horizon, end}.
  [[nodiscard]] std::pair<uint64_t, uint64_t> ReadWithEnd(pqxx::work& tx) const {
    const pqxx::row row = tx.exec_params1(
        "SELECT coalesce((SELECT min(x) FROM pg_snapshot_xip(s) AS x WHERE x <> $1::xid8), "
        "pg_snapshot_xmax(s))::text, pg_snapshot_xmax(s)::text FROM pg_current_snapshot() AS s",
        std::to_string(exempt_.load()));
    return {row[0].as<uint64_t>(), row[1].as<uint64_t>()};
  }

  [[nodiscard]] uint64_t Read(pqxx::work& tx) const {
    return tx
        .exec_params1(
            "SELECT coalesce((SELECT min(x) FROM pg_snapshot_xip(s) AS x WHERE x <> $1::xid8), "
            "pg_snapshot_xmax(s))::text FROM pg_current_snapshot() AS s",
            std::to_string(exempt_.load()))[0]
        .as<uint64_t>();
  }

 private:
  std::atomic<uint64_t> exempt_{0};
};

}  // namespace sitrep::storage
