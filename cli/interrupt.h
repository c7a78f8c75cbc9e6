#pragma once

#include <signal.h>

#include <atomic>
#include <functional>
#include <thread>

namespace sitrep::cli {

// While alive, turns SIGINT (Ctrl-C) and SIGTERM into one call of `on_interrupt` on a thread
// of its own, where it may do what a signal handler may not (e.g. grpc::ClientContext::
// TryCancel, to end a watch cleanly). The signals' earlier handling comes back when it is
// destroyed. At most one may be alive at a time in a process (a signal handler can only reach
// a global); constructing a second throws std::logic_error.
class InterruptHandler final {
 public:
  explicit InterruptHandler(std::function<void()> on_interrupt);
  ~InterruptHandler();

  InterruptHandler(const InterruptHandler&) = delete;
  InterruptHandler& operator=(const InterruptHandler&) = delete;

  // Whether a signal came (on_interrupt has then been called or is being called).
  [[nodiscard]] bool interrupted() const { return interrupted_; }

 private:
  void Wait();

  std::function<void()> on_interrupt_;
  int pipe_[2] = {-1, -1};
  struct sigaction old_int_ {};
  struct sigaction old_term_ {};
  std::atomic<bool> interrupted_ = false;
  std::thread waiter_;
};

}  // namespace sitrep::cli
