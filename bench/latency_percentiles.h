#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
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

}  // namespace sitrep::bench
