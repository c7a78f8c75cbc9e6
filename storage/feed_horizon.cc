#include "storage/feed_horizon.h"

#include <pqxx/pqxx>
#include <string>

namespace sitrep::storage {

uint64_t FeedHorizon::ReadEnd(pqxx::transaction_base& tx) {
  return tx.exec("SELECT pg_snapshot_xmax(pg_current_snapshot())::text")[0][0].as<uint64_t>();
}

std::pair<uint64_t, uint64_t> FeedHorizon::ReadWithEnd(pqxx::transaction_base& tx) const {
  const pqxx::row row = tx.exec_params1(
      "SELECT coalesce((SELECT min(x) FROM pg_snapshot_xip(s) AS x WHERE x <> $1::xid8), "
      "pg_snapshot_xmax(s))::text, pg_snapshot_xmax(s)::text FROM pg_current_snapshot() AS s",
      std::to_string(exempt_.load()));
  return {row[0].as<uint64_t>(), row[1].as<uint64_t>()};
}

uint64_t FeedHorizon::Read(pqxx::transaction_base& tx) const {
  return tx
      .exec_params1(
          "SELECT coalesce((SELECT min(x) FROM pg_snapshot_xip(s) AS x WHERE x <> $1::xid8), "
          "pg_snapshot_xmax(s))::text FROM pg_current_snapshot() AS s",
          std::to_string(exempt_.load()))[0]
      .as<uint64_t>();
}

}  // namespace sitrep::storage
