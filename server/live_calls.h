#pragma once

#include <grpcpp/support/status.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <variant>
#include <vector>

#include "domain/clock.h"
#include "server/authenticator.h"

namespace sitrep {

// The credentials of every open long-lived call (watches, Push), so that a call ends within
// a second of its credential ending instead of living on what it was at its start: a timer at
// the token's expiry, and the credential notices of storage/migrations/0025 (a token revoked
// or changed, a principal's or its enterprise's binding changed) re-check the calls they
// concern. Nothing is checked per delivered message: a call asks `ended()`, an atomic.
// Thread-safe.
class LiveCalls final {
 public:
  // The credential as the database has it now, or the status that ends the call.
  using Recheck = std::function<std::variant<Credential, grpc::Status>(const Credential&)>;

  struct Entry;

  // One registered call; destroying it unregisters the call, waiting for an `on_end` that is
  // running at that moment (so `on_end` may use what the owner frees after this).
  class Call final {
   public:
    Call(LiveCalls& calls, std::shared_ptr<Entry> entry)
        : calls_(calls), entry_(std::move(entry)) {}
    ~Call();
    Call(const Call&) = delete;
    Call& operator=(const Call&) = delete;

    // True once the credential has ended; from then on the call must deliver and store nothing.
    [[nodiscard]] bool ended() const;
    // UNAUTHENTICATED saying why, once ended() (UNAVAILABLE when a re-check could not reach
    // PostgreSQL: the call fails closed and the client calls again).
    [[nodiscard]] grpc::Status status() const;

   private:
    LiveCalls& calls_;
    std::shared_ptr<Entry> entry_;
  };

  // Told every notice first (RecheckAll tells it ""): for credentials cached elsewhere.
  using Forget = std::function<void(const std::string& notice)>;

  LiveCalls(const Clock& clock, Recheck recheck, Forget forget = nullptr);
  ~LiveCalls();

  // Counts the notices heard so far; read it before authenticating and pass it to Register.
  [[nodiscard]] uint64_t epoch() const;

  // Runs once when a call's credential ends, with the status the call must end with.
  using OnEnd = std::function<void(const grpc::Status&)>;

  // Registers a call admitted with `credential`. `on_end` runs once, on a LiveCalls thread
  // (or on this one, before Register returns), when the credential ends; it must not block
  // for long nor destroy the Call. When a notice was heard since `epoch_before` the
  // credential is re-checked here (one query), so a change committed between the
  // authentication and the registration is not missed.
  [[nodiscard]] std::unique_ptr<Call> Register(const Credential& credential, uint64_t epoch_before,
                                               OnEnd on_end);

  // A credential notice ("token:<id>", "principal:<id>", "enterprise:<id>"; anything else
  // concerns every call): tells `forget`, then re-checks the calls it concerns. For the
  // listener thread, and for the API that made the change, before it answers.
  void Heard(const std::string& notice);
  // Re-checks every call: notices sent while nobody listened are lost. For the listener
  // thread, after each (re)connect.
  void RecheckAll();

  // The number of registered calls.
  [[nodiscard]] size_t size() const;

 private:
  using SteadyTime = std::chrono::steady_clock::time_point;

  void Unregister(const std::shared_ptr<Entry>& entry);
  void RecheckEntries(const std::vector<std::shared_ptr<Entry>>& entries);
  void ScheduleExpiry(const std::shared_ptr<Entry>& entry);  // holding mu_
  void UnscheduleExpiry(Entry& entry);                       // holding mu_
  void RunTimer();

  // Set at construction.
  const Clock& clock_;
  const Recheck recheck_;
  const Forget forget_;

  mutable std::mutex mu_;
  std::condition_variable timer_changed_;
  std::set<std::shared_ptr<Entry>> entries_;                    // guarded by mu_
  std::multimap<SteadyTime, std::shared_ptr<Entry>> expiries_;  // guarded by mu_
  uint64_t epoch_ = 0;                                          // guarded by mu_
  bool stopping_ = false;                                       // guarded by mu_
  std::thread timer_;
};

}  // namespace sitrep
