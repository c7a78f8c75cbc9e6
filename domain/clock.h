#pragma once

#include <atomic>
#include <chrono>

namespace sitrep {

// The one injected seam of sitrep: everything that compares against "now" (token expiry,
// deadlines, overdue) asks a Clock, so tests can move time instead of sleeping.
class Clock {
 public:
  virtual ~Clock() = default;
  [[nodiscard]] virtual std::chrono::system_clock::time_point Now() const = 0;
};

class SystemClock final : public Clock {
 public:
  [[nodiscard]] std::chrono::system_clock::time_point Now() const override {
    return std::chrono::system_clock::now();
  }
};

// A clock that tests set and advance; thread-safe.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(std::chrono::system_clock::time_point start) : now_(start) {}
  [[nodiscard]] std::chrono::system_clock::time_point Now() const override { return now_.load(); }
  void Advance(std::chrono::system_clock::duration by) { now_.store(now_.load() + by); }

 private:
  std::atomic<std::chrono::system_clock::time_point> now_;
};

}  // namespace sitrep
