#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "bench/connection_options.h"

namespace sitrep::bench {

// CPU time (user + system) of one process from a /proc/<pid>/stat line: its own, and that of
// its children that have exited and been waited for (cutime + cstime). nullopt when the line
// does not parse.
struct StatCpu {
  int64_t parent_pid = 0;
  std::chrono::nanoseconds own{0};
  std::chrono::nanoseconds reaped_children{0};
};
[[nodiscard]] std::optional<StatCpu> ParseProcStat(std::string_view stat, int64_t ticks_per_second);

// CPU spent by the server under test and by its PostgreSQL cluster, read between two points
// of a benchmark: sitrepd's from its /metrics (process_cpu_seconds_total), PostgreSQL's from
// /proc as the postmaster's own time plus every live child's plus what its exited children
// left in its cutime/cstime, so that backends which come and go are all counted. The
// postmaster is found as the parent of the bench's own backend; PostgreSQL must therefore run
// on this machine under a user whose /proc entries the bench can read.
struct ServerCpu {
  std::chrono::nanoseconds server{0};    // sitrepd
  std::chrono::nanoseconds database{0};  // PostgreSQL, every process of the cluster
  std::chrono::nanoseconds client{0};    // this process (the bench)
};

class ServerCpuMeter final {
 public:
  // Finds the postmaster through `database_url`. Throws BenchFailure when it cannot.
  explicit ServerCpuMeter(const ConnectionOptions& connection);
  // The CPU totals now. Throws BenchFailure when sitrepd's metrics cannot be read.
  [[nodiscard]] ServerCpu Read() const;

 private:
  std::string metrics_;
  int64_t postmaster_ = 0;
};

// `after - before` and `a + b`, per part.
[[nodiscard]] ServerCpu operator-(const ServerCpu& after, const ServerCpu& before);
[[nodiscard]] ServerCpu operator+(const ServerCpu& a, const ServerCpu& b);

// "server 812 µs (sitrepd 301, PostgreSQL 511), client 240 µs per <unit>" for stderr.
[[nodiscard]] std::string CpuText(const ServerCpu& cpu, uint64_t units,
                                  std::string_view unit = "page");

// Microseconds of `cpu` per unit of work (a page, a call), to the microsecond.
[[nodiscard]] double MicrosPer(std::chrono::nanoseconds cpu, uint64_t units);

}  // namespace sitrep::bench
