#include "bench/process_cpu.h"

#include <dirent.h>
#include <time.h>
#include <unistd.h>

#include <fstream>
#include <memory>
#include <sstream>
#include <vector>

#include "bench/bench_failure.h"
#include "bench/pq_connection.h"
#include "bench/prometheus_text.h"
#include "bench/server_memory.h"

namespace sitrep::bench {
namespace {

std::optional<std::string> ReadFile(const std::string& path) {
  std::ifstream file(path);
  if (!file) return std::nullopt;
  std::ostringstream text;
  text << file.rdbuf();
  return text.str();
}

int64_t TicksPerSecond() { return ::sysconf(_SC_CLK_TCK); }

std::optional<StatCpu> ReadStat(int64_t pid) {
  const std::optional<std::string> stat = ReadFile("/proc/" + std::to_string(pid) + "/stat");
  if (!stat) return std::nullopt;
  return ParseProcStat(*stat, TicksPerSecond());
}

// Every pid in /proc whose parent is `parent`.
std::vector<int64_t> ChildrenOf(int64_t parent) {
  std::vector<int64_t> children;
  const std::unique_ptr<DIR, int (*)(DIR*)> proc(::opendir("/proc"), ::closedir);
  if (!proc) return children;
  while (const dirent* entry = ::readdir(proc.get())) {
    const std::string name = entry->d_name;
    if (name.empty() || name.find_first_not_of("0123456789") != std::string::npos) continue;
    const int64_t pid = std::stoll(name);
    if (const std::optional<StatCpu> stat = ReadStat(pid); stat && stat->parent_pid == parent) {
      children.push_back(pid);
    }
  }
  return children;
}

std::chrono::nanoseconds ThisProcessCpu() {
  timespec now{};
  ::clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now);
  return std::chrono::seconds(now.tv_sec) + std::chrono::nanoseconds(now.tv_nsec);
}

}  // namespace

std::optional<StatCpu> ParseProcStat(std::string_view stat, int64_t ticks_per_second) {
  // The command name, field 2, is in parentheses and may itself hold spaces and parentheses:
  // the fields after it start after the last ')'.
  const size_t close = stat.rfind(')');
  if (close == std::string_view::npos || ticks_per_second <= 0) return std::nullopt;
  std::istringstream rest{std::string(stat.substr(close + 1))};
  std::vector<std::string> fields;  // fields[0] is proc(5)'s field 3 (state)
  for (std::string field; rest >> field && fields.size() < 15;) fields.push_back(field);
  if (fields.size() < 15) return std::nullopt;
  try {
    const auto ticks = [&](size_t field) {
      return std::chrono::nanoseconds(std::stoll(fields[field - 3]) * 1'000'000'000 /
                                      ticks_per_second);
    };
    StatCpu cpu;
    cpu.parent_pid = std::stoll(fields[4 - 3]);
    cpu.own = ticks(14) + ticks(15);              // utime + stime
    cpu.reaped_children = ticks(16) + ticks(17);  // cutime + cstime
    return cpu;
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

ServerCpuMeter::ServerCpuMeter(const ConnectionOptions& connection) : metrics_(connection.metrics) {
  PqConnection database(DatabaseUrl(connection), "finding the PostgreSQL cluster");
  const int64_t backend = std::stoll(database.Query("SELECT pg_backend_pid()")[0][0]);
  const std::optional<StatCpu> stat = ReadStat(backend);
  if (!stat) {
    throw BenchFailure("cannot read /proc/" + std::to_string(backend) +
                       "/stat: PostgreSQL must run on this machine, readable by this user, "
                       "for the CPU figures");
  }
  postmaster_ = stat->parent_pid;
}

ServerCpu ServerCpuMeter::Read() const {
  ServerCpu cpu;
  const std::optional<std::string> exposition =
      HttpGet(metrics_, "/metrics", std::chrono::milliseconds(5000));
  const std::optional<double> seconds =
      exposition ? ParseSampleValue(*exposition, "process_cpu_seconds_total") : std::nullopt;
  if (!seconds) {
    throw BenchFailure("cannot read process_cpu_seconds_total from http://" + metrics_ +
                       "/metrics");
  }
  cpu.server = std::chrono::nanoseconds(static_cast<int64_t>(*seconds * 1e9));
  if (const std::optional<StatCpu> postmaster = ReadStat(postmaster_)) {
    cpu.database = postmaster->own + postmaster->reaped_children;
  }
  for (const int64_t child : ChildrenOf(postmaster_)) {
    if (const std::optional<StatCpu> stat = ReadStat(child)) cpu.database += stat->own;
  }
  cpu.client = ThisProcessCpu();
  return cpu;
}

ServerCpu operator-(const ServerCpu& after, const ServerCpu& before) {
  return ServerCpu{after.server - before.server, after.database - before.database,
                   after.client - before.client};
}

ServerCpu operator+(const ServerCpu& a, const ServerCpu& b) {
  return ServerCpu{a.server + b.server, a.database + b.database, a.client + b.client};
}

std::string CpuText(const ServerCpu& cpu, uint64_t units, std::string_view unit) {
  const auto micros = [&](std::chrono::nanoseconds part) {
    return std::to_string(static_cast<int64_t>(MicrosPer(part, units)));
  };
  return "CPU server " + micros(cpu.server + cpu.database) + " us (sitrepd " + micros(cpu.server) +
         ", PostgreSQL " + micros(cpu.database) + "), client " + micros(cpu.client) + " us per " +
         std::string(unit);
}

double MicrosPer(std::chrono::nanoseconds cpu, uint64_t units) {
  if (units == 0) return 0;
  return static_cast<double>(std::chrono::duration_cast<std::chrono::microseconds>(cpu).count()) /
         static_cast<double>(units);
}

}  // namespace sitrep::bench
