#include "bench/latency_percentiles.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace sitrep::bench {

std::optional<std::chrono::nanoseconds> Percentile(
    const std::vector<std::chrono::nanoseconds>& sorted, double fraction) {
  if (sorted.empty()) return std::nullopt;
  // Nearest rank: ceil(fraction × n), 1-based. Unlike interpolation, the answer is always a
  // latency that was actually measured. The epsilon keeps 0.07 × 100 (7.000000000000001 in
  // binary floating point) at rank 7.
  const double rank =
      std::ceil(std::clamp(fraction, 0.0, 1.0) * static_cast<double>(sorted.size()) - 1e-9);
  const size_t index = rank < 1 ? 0 : static_cast<size_t>(rank) - 1;
  return sorted[std::min(index, sorted.size() - 1)];
}

LatencySummary Summarize(std::vector<std::chrono::nanoseconds> samples) {
  LatencySummary summary;
  if (samples.empty()) return summary;
  std::sort(samples.begin(), samples.end());
  summary.count = samples.size();
  summary.p50 = *Percentile(samples, 0.50);
  summary.p90 = *Percentile(samples, 0.90);
  summary.p99 = *Percentile(samples, 0.99);
  summary.max = samples.back();
  return summary;
}

double Milliseconds(std::chrono::nanoseconds duration) {
  return std::chrono::duration<double, std::milli>(duration).count();
}

std::string Fixed(double value, int decimals) {
  char text[64];
  std::snprintf(text, sizeof text, "%.*f", decimals, value);
  return text;
}

std::string LatencyText(const LatencySummary& summary) {
  return "p50 " + Fixed(Milliseconds(summary.p50), 2) + " ms, p90 " +
         Fixed(Milliseconds(summary.p90), 2) + " ms, p99 " + Fixed(Milliseconds(summary.p99), 2) +
         " ms, max " + Fixed(Milliseconds(summary.max), 2) + " ms";
}

}  // namespace sitrep::bench
