#include "bench/incident_loader.h"

#include <algorithm>
#include <cstdio>
#include <deque>
#include <future>
#include <thread>

#include "bench/bench_failure.h"
#include "bench/binary_copy.h"
#include "bench/incident_copy_row.h"
#include "bench/incident_load_rows.h"
#include "bench/pq_connection.h"
#include "storage/incident_columns.h"

namespace sitrep::bench {
namespace {

using Clock = std::chrono::steady_clock;

// Rows generated as one piece of a transaction's COPY. Generation runs ahead by a few pieces
// only, so memory stays flat (~1 KB a row) however many rows are loaded.
constexpr uint64_t kPieceRows = 10'000;

double Seconds(Clock::duration duration) { return std::chrono::duration<double>(duration).count(); }

std::string Duration(double seconds) {
  char text[32];
  if (seconds >= 3600) {
    std::snprintf(text, sizeof text, "%d h %02d min", static_cast<int>(seconds / 3600),
                  static_cast<int>(seconds / 60) % 60);
  } else if (seconds >= 60) {
    std::snprintf(text, sizeof text, "%d min %02d s", static_cast<int>(seconds / 60),
                  static_cast<int>(seconds) % 60);
  } else {
    std::snprintf(text, sizeof text, "%.1f s", seconds);
  }
  return text;
}

// The reporter as a national COLLECTOR, created on first use. Written here rather than through
// RegistryService because the loader speaks to PostgreSQL alone; the row is what
// CreatePrincipal would insert.
int64_t EnsureReporter(PqConnection& connection, const std::string& name) {
  (void)connection.Query(
      "INSERT INTO principals (name, role, description) VALUES ($1, 'COLLECTOR', "
      "'sitrep-bench bulk loader: every incident it reports was COPYed by the bench') "
      "ON CONFLICT (name) DO NOTHING",
      {name});
  const auto rows = connection.Query(
      "SELECT id, role, coalesce(province::text, '') FROM principals WHERE name = $1", {name});
  if (rows.empty() || rows[0][1] != "COLLECTOR" || !rows[0][2].empty()) {
    throw BenchFailure("the principal " + name +
                       " exists but is not a national collector; choose another reporter name");
  }
  return std::stoll(rows[0][0]);
}

// Encodes the pieces of [first, end) on up to `threads` threads, in order, `threads` + 1
// pieces ahead of the consumer at most.
class PieceGenerator final {
 public:
  PieceGenerator(const LoadRowSpec& spec, int64_t reporter_id, uint64_t first, uint64_t end,
                 unsigned threads)
      : spec_(spec), reporter_id_(reporter_id), next_(first), end_(end), depth_(threads + 1) {
    Refill();
  }

  // The next piece's rows and their count; the bytes are empty when all were taken.
  std::pair<std::string, uint64_t> Next() {
    if (pending_.empty()) return {std::string(), 0};
    auto [future, rows] = std::move(pending_.front());
    pending_.pop_front();
    Refill();
    return {future.get(), rows};
  }

 private:
  void Refill() {
    while (pending_.size() < depth_ && next_ < end_) {
      const uint64_t first = next_;
      const uint64_t rows = std::min(kPieceRows, end_ - next_);
      next_ += rows;
      pending_.emplace_back(std::async(std::launch::async,
                                       [this, first, rows] {
                                         BinaryCopyEncoder encoder;
                                         AppendLoadRows(encoder, spec_, first, rows, reporter_id_);
                                         return encoder.Take();
                                       }),
                            rows);
    }
  }

  const LoadRowSpec spec_;
  const int64_t reporter_id_;
  uint64_t next_;
  const uint64_t end_;
  const size_t depth_;
  std::deque<std::pair<std::future<std::string>, uint64_t>> pending_;
};

}  // namespace

IncidentLoadResult LoadIncidents(const std::string& database_url,
                                 const IncidentLoadOptions& options, std::ostream& progress) {
  PqConnection connection(database_url, "the incident loader");
  IncidentLoadResult result;
  result.reporter_id = EnsureReporter(connection, options.reporter);
  result.present_before =
      std::stoull(connection.Query("SELECT count(*) FROM incidents WHERE reporter_id = $1",
                                   {std::to_string(result.reporter_id)})[0][0]);
  if (result.present_before >= options.incidents) {
    progress << "sitrep-bench: " << options.reporter << " already has " << result.present_before
             << " incidents; nothing to load" << std::endl;
    return result;
  }
  const uint64_t missing = options.incidents - result.present_before;
  progress << "sitrep-bench: loading " << missing << " incidents as " << options.reporter
           << " (principal " << result.reporter_id << ", " << result.present_before
           << " present) in transactions of " << options.chunk_rows << " rows" << std::endl;

  LoadRowSpec spec;
  spec.seed = options.seed;
  spec.total = options.incidents;
  spec.now = std::chrono::system_clock::now();
  spec.spread = options.spread;
  // Encoding a row costs about what PostgreSQL spends storing it, so pieces are made on as many
  // threads as there are cores, overlapping the COPY.
  const unsigned threads = std::max(1u, std::thread::hardware_concurrency());
  PieceGenerator pieces(spec, result.reporter_id, result.present_before, options.incidents,
                        threads);
  const std::string copy_sql =
      "COPY incidents (" + IncidentCopyColumns() + ") FROM STDIN (FORMAT binary)";

  const Clock::time_point start = Clock::now();
  try {
    while (result.loaded < missing) {
      const uint64_t chunk = std::min(options.chunk_rows, missing - result.loaded);
      connection.Execute("BEGIN");
      connection.BeginCopy(copy_sql);
      connection.PutCopyData(BinaryCopyHeader());
      uint64_t sent = 0;
      while (sent < chunk) {
        const auto [bytes, rows] = pieces.Next();
        connection.PutCopyData(bytes);
        sent += rows;
      }
      connection.PutCopyData(BinaryCopyTrailer());
      connection.EndCopy(sent);
      // The receive-time marks the server writes with every insert, by the server's own
      // statement, here for the minutes this transaction's rows span.
      connection.Execute(storage::FeedMarkSql(
          "received_at", "incidents WHERE feed_xid = pg_current_xact_id() GROUP BY 1"));
      connection.Execute("COMMIT");
      result.loaded += sent;
      const double elapsed = Seconds(Clock::now() - start);
      const double rate = static_cast<double>(result.loaded) / elapsed;
      progress << "sitrep-bench: loaded " << result.present_before + result.loaded << " of "
               << options.incidents << " incidents  " << static_cast<uint64_t>(rate)
               << " rows/s  ETA " << Duration(static_cast<double>(missing - result.loaded) / rate)
               << std::endl;
    }
  } catch (const BenchFailure&) {
    connection.RollbackQuietly();
    throw;
  }
  result.elapsed = Clock::now() - start;
  progress << "sitrep-bench: loaded " << result.loaded << " incidents in "
           << Duration(Seconds(result.elapsed)) << " ("
           << static_cast<uint64_t>(static_cast<double>(result.loaded) / Seconds(result.elapsed))
           << " rows/s with every index and trigger, and the receive-time marks); VACUUM ANALYZE "
              "incidents"
           << std::endl;
  const Clock::time_point vacuum_start = Clock::now();
  // Sets hint bits and the visibility map and gives the planner statistics: reads then meet
  // the table as a database in service has it, not as a bulk load leaves it.
  connection.Execute("VACUUM (ANALYZE) incidents");
  progress << "sitrep-bench: VACUUM ANALYZE took " << Duration(Seconds(Clock::now() - vacuum_start))
           << std::endl;
  return result;
}

uint64_t EnsureIncidents(const std::string& database_url, uint64_t incidents,
                         std::ostream& progress) {
  IncidentLoadOptions options;
  options.incidents = incidents;
  const IncidentLoadResult result = LoadIncidents(database_url, options, progress);
  return result.present_before + result.loaded;
}

uint64_t EnsureIncidentsCounted(const std::string& database_url, uint64_t incidents,
                                std::ostream& progress) {
  (void)EnsureIncidents(database_url, incidents, progress);
  return std::stoull(PqConnection(database_url, "counting incidents")
                         .Query("SELECT count(*) FROM incidents")[0][0]);
}

}  // namespace sitrep::bench
