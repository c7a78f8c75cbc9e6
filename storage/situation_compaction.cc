// The situation compactor's step (storage/schema/05_situation.sql): read the incident revisions
// past the rollups' cursor, fan each out to the cells its viewers read, and fold them in with
// the cursor's move in one transaction; and the same for the asset writes past the asset cursor
// (sitrep_compact_exposure, in SQL: assets are few and change slowly). The fan-out happens here
// rather than in SQL: one revision touches up to 3 viewers × 2 province keys × 2 grains × 3
// dimensions, and a hash map does that two orders of magnitude faster than a grouped join. The
// rollup tables themselves are written only by sitrep_store_situation_step, a SECURITY DEFINER
// function.
#include <algorithm>
#include <cstdint>
#include <limits>
#include <map>
#include <stdexcept>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "storage/copy_text.h"
#include "storage/situation_store.h"
#include "storage/transaction.h"

namespace sitrep::storage {
namespace {

// A feed position; the rollups' cursor is the last one folded in.
struct Position {
  uint64_t xid = 0;
  int64_t seq = 0;
};

// The changes of a step of at most $5 current revisions past the cursor ($1/$2) below the
// horizon ($3/$4), fanned out by viewer here; the last two columns say where each change
// stands in the feed.
constexpr const char* kStepChangesSql =
    "SELECT x.sign, sitrep_micros(date_trunc('hour', x.at, 'UTC')),"
    " sitrep_micros(sitrep_situation_day(x.at)), x.province,"
    " sitrep_situation_viewers(x.province, x.sector, x.tlp, x.sharing_scope)::text,"
    " sp.slot, ss.slot, sc.slot, x.open_enterprise_id, x.change_xid::text, x.change_seq"
    " FROM sitrep_situation_changes($1::xid8, $2::bigint, $3::xid8, $4::bigint, $5::bigint) AS x"
    " LEFT JOIN situation_slots sp ON sp.dimension = 'province'"
    " AND sp.value = x.province::text AND sp.severity = x.severity"
    " LEFT JOIN situation_slots ss ON ss.dimension = 'sector'"
    " AND ss.value = x.sector AND ss.severity = x.severity"
    " LEFT JOIN situation_slots sc ON sc.dimension = 'category'"
    " AND sc.value = x.category AND sc.severity = x.severity";

struct CellKey {
  std::string viewer;
  int64_t province = 0;
  char grain = 'd';
  int64_t bucket_micros = 0;
  bool operator<(const CellKey& other) const {
    return std::tie(viewer, province, grain, bucket_micros) <
           std::tie(other.viewer, other.province, other.grain, other.bucket_micros);
  }
};

struct OpenKey {
  std::string viewer;
  int64_t province = 0;
  int64_t enterprise_id = 0;
  bool operator<(const OpenKey& other) const {
    return std::tie(viewer, province, enterprise_id) <
           std::tie(other.viewer, other.province, other.enterprise_id);
  }
};

// "{N,S,E:energy}" (viewers never hold commas, quotes or braces) → its elements.
std::vector<std::string> ParseViewers(std::string_view text) {
  std::vector<std::string> viewers;
  if (text.size() < 2) return viewers;
  text = text.substr(1, text.size() - 2);
  while (!text.empty()) {
    const size_t comma = text.find(',');
    viewers.emplace_back(text.substr(0, comma));
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
  }
  return viewers;
}

// The changes of one step, fanned out and summed.
class StepSums {
 public:
  void Add(const pqxx::row& change) {
    for (int column = 5; column <= 7; ++column) {
      if (change[column].is_null()) {
        throw std::runtime_error(
            "situation compaction: no situation_slots entry for a value of "
            "province " +
            change[3].as<std::string>());
      }
    }
    const int sign = change[0].as<int>();
    const int64_t hour = change[1].as<int64_t>();
    const int64_t day = change[2].as<int64_t>();
    const int64_t province = change[3].as<int64_t>();
    const int slots[] = {change[5].as<int>(), change[6].as<int>(), change[7].as<int>()};
    for (std::string& viewer : ParseViewers(change[4].c_str())) {
      for (const int64_t key_province : {int64_t{0}, province}) {
        for (const auto& [grain, bucket] : {std::pair{'h', hour}, std::pair{'d', day}}) {
          std::vector<int32_t>& counts = cells_[{viewer, key_province, grain, bucket}];
          for (const int slot : slots) {
            if (counts.size() < static_cast<size_t>(slot)) counts.resize(slot, 0);
            counts[slot - 1] += sign;
          }
        }
      }
      // Open incidents by enterprise: regulators' viewers only (an enterprise sees other
      // victims' incidents redacted).
      if (!change[8].is_null() && viewer[0] != 'E') {
        opens_[{viewer, province, change[8].as<int64_t>()}] += sign;
      }
    }
  }

  // Calls sitrep_store_situation_step with every non-zero sum and the new cursor.
  void Store(pqxx::work& tx, const Position& cursor) const {
    google::protobuf::RepeatedPtrField<std::string> viewers, slots, vals, open_viewers;
    std::string provinces = "{", grains = "{", buckets = "{";
    for (const auto& [key, values] : cells_) {
      std::string changed_slots = "{", changes = "{";
      for (size_t i = 0; i < values.size(); ++i) {
        if (values[i] == 0) continue;
        const char* separator = changes.size() == 1 ? "" : ",";
        changed_slots += separator + std::to_string(i + 1);
        changes += separator + std::to_string(values[i]);
      }
      if (changes.size() == 1) continue;  // an amendment that moved nothing of this cell
      *viewers.Add() = key.viewer;
      *slots.Add() = changed_slots + "}";
      *vals.Add() = changes + "}";
      const char* separator = viewers.size() == 1 ? "" : ",";
      provinces += separator + std::to_string(key.province);
      grains += separator + std::string(1, key.grain);
      buckets += separator + std::to_string(key.bucket_micros);
    }
    std::string open_provinces = "{", open_enterprises = "{", open_counts = "{";
    for (const auto& [key, n] : opens_) {
      if (n == 0) continue;
      *open_viewers.Add() = key.viewer;
      const char* separator = open_viewers.size() == 1 ? "" : ",";
      open_provinces += separator + std::to_string(key.province);
      open_enterprises += separator + std::to_string(key.enterprise_id);
      open_counts += separator + std::to_string(n);
    }
    tx.exec_params(
        "SELECT sitrep_store_situation_step($1::text[], $2::integer[], $3::\"char\"[],"
        " $4::bigint[], $5::text[], $6::text[], $7::text[], $8::integer[], $9::bigint[],"
        " $10::bigint[], $11::xid8, $12::bigint)",
        ArrayLiteral(viewers), provinces + "}", grains + "}", buckets + "}", ArrayLiteral(slots),
        ArrayLiteral(vals), ArrayLiteral(open_viewers), open_provinces + "}",
        open_enterprises + "}", open_counts + "}", std::to_string(cursor.xid), cursor.seq);
  }

 private:
  std::map<CellKey, std::vector<int32_t>> cells_;
  std::map<OpenKey, int64_t> opens_;
};

}  // namespace

int64_t SituationStore::Compact(int64_t max_revisions) {
  // The compactor reads every incident (ADMIN passes row-level security) and writes only
  // through the SECURITY DEFINER functions.
  Principal system;
  system.role = v1::ROLE_ADMIN;
  system.name = "situation-compactor";
  return InTransaction(pool_, system, [&](pqxx::work& tx) -> int64_t {
    horizon_.Exempt(tx.exec1("SELECT pg_current_xact_id()::text")[0].as<uint64_t>());
    // The one lock of the rollups: one compactor at a time, whichever server runs it.
    if (!tx.exec1("SELECT pg_try_advisory_xact_lock(hashtext('sitrep_compact_situation'))")[0]
             .as<bool>()) {
      return -1;
    }
    // Every transaction below the horizon has ended, so no revision or asset write can appear
    // at or before the new cursors later.
    const uint64_t horizon = horizon_.Read(tx);
    const int64_t exposure_moved =
        tx.exec_params1("SELECT sitrep_compact_exposure($1::xid8, $2::bigint, $3::bigint)",
                        std::to_string(horizon - 1), std::numeric_limits<int64_t>::max(),
                        max_revisions)[0]
            .as<int64_t>();

    const pqxx::row stored = tx.exec1("SELECT feed_xid::text, feed_seq FROM situation_cursor");
    const Position cursor{stored[0].as<uint64_t>(), stored[1].as<int64_t>()};
    // The step ends at the last change it read: every revision at or before that position is
    // in it.
    const pqxx::result changes = tx.exec_params(kStepChangesSql, std::to_string(cursor.xid),
                                                cursor.seq, std::to_string(horizon - 1),
                                                std::numeric_limits<int64_t>::max(), max_revisions);
    if (changes.empty()) return exposure_moved;

    StepSums sums;
    Position end = cursor;
    for (const pqxx::row& change : changes) {
      sums.Add(change);
      const Position at{change[9].as<uint64_t>(), change[10].as<int64_t>()};
      if (std::tie(at.xid, at.seq) > std::tie(end.xid, end.seq)) end = at;
    }
    sums.Store(tx, end);
    // Even when its revisions cancel out, so the compactor goes on.
    return exposure_moved + static_cast<int64_t>(changes.size());
  });
}

}  // namespace sitrep::storage
