#include "cli/interrupt.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <stdexcept>

namespace sitrep::cli {
namespace {

constexpr char kSignalled = 's';
constexpr char kDone = 'd';

// The write end of the live handler's pipe: all a signal handler can reach is a global, and
// write() is all it may safely do with it.
std::atomic<int> signal_pipe{-1};

extern "C" void OnSignal(int) {
  const int saved_errno = errno;
  const int fd = signal_pipe.load();
  if (fd >= 0) {
    const ssize_t ignored = ::write(fd, &kSignalled, 1);
    (void)ignored;  // a full pipe already holds a wake-up
  }
  errno = saved_errno;
}

}  // namespace

InterruptHandler::InterruptHandler(std::function<void()> on_interrupt)
    : on_interrupt_(std::move(on_interrupt)) {
  if (::pipe2(pipe_, O_CLOEXEC) != 0) throw std::runtime_error("cannot create a pipe");
  ::fcntl(pipe_[1], F_SETFL, O_NONBLOCK);
  int expected = -1;
  if (!signal_pipe.compare_exchange_strong(expected, pipe_[1])) {
    ::close(pipe_[0]);
    ::close(pipe_[1]);
    throw std::logic_error("an InterruptHandler is already alive");
  }
  struct sigaction action {};
  action.sa_handler = OnSignal;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESTART;
  ::sigaction(SIGINT, &action, &old_int_);
  ::sigaction(SIGTERM, &action, &old_term_);
  waiter_ = std::thread([this] { Wait(); });
}

InterruptHandler::~InterruptHandler() {
  ::sigaction(SIGINT, &old_int_, nullptr);
  ::sigaction(SIGTERM, &old_term_, nullptr);
  signal_pipe.store(-1);
  // A blocking write: the waiter must see it even when signals filled the pipe.
  ::fcntl(pipe_[1], F_SETFL, 0);
  const ssize_t ignored = ::write(pipe_[1], &kDone, 1);
  (void)ignored;
  waiter_.join();
  ::close(pipe_[0]);
  ::close(pipe_[1]);
}

void InterruptHandler::Wait() {
  for (;;) {
    char byte = 0;
    const ssize_t n = ::read(pipe_[0], &byte, 1);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0 || byte == kDone) return;
    if (!interrupted_.exchange(true)) on_interrupt_();
  }
}

}  // namespace sitrep::cli
