#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace sitrep::bench {

// The latency figures every benchmark reports, from one set of samples.
struct LatencySummary {
  size_t count = 0;
  std::chrono::nanoseconds p50{0};
  std::chrono::nanoseconds p90{0};
  std::chrono::nanoseconds p99{0};
  std::chrono::nanoseconds max{0};
};

// The nearest-rank percentile of `sorted` (ascending): the smallest sample that at least
// `fraction` (0 < fraction ≤ 1) of the samples do not exceed. nullopt when `sorted` is empty.
[[nodiscard]] std::optional<std::chrono::nanoseconds> Percentile(
    const std::vector<std::chrono::nanoseconds>& sorted, double fraction);

// Sorts `samples` and summarises them; all zero when there are none.
[[nodiscard]] LatencySummary Summarize(std::vector<std::chrono::nanoseconds> samples);

// Milliseconds as a double, the unit benchmark reports use.
[[nodiscard]] double Milliseconds(std::chrono::nanoseconds duration);

// `value` with `decimals` digits after the point, for the progress lines on stderr.
[[nodiscard]] std::string Fixed(double value, int decimals);

// "p50 1.23 ms, p90 …, p99 …, max … ms": a summary as the progress lines print it.
[[nodiscard]] std::string LatencyText(const LatencySummary& summary);

}  // namespace sitrep::bench
