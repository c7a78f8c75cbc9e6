#include "cli/interrupt.h"

#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <csignal>
#include <mutex>
#include <stdexcept>

namespace sitrep::cli {
namespace {

std::atomic<int> earlier_handler_calls{0};

extern "C" void EarlierHandler(int) { ++earlier_handler_calls; }

TEST(InterruptHandlerTest, SigintCallsTheCallbackOnItsOwnThread) {
  std::mutex mu;
  std::condition_variable called;
  int calls = 0;
  InterruptHandler handler([&] {
    std::lock_guard lock(mu);
    ++calls;
    called.notify_all();
  });
  EXPECT_FALSE(handler.interrupted());
  ASSERT_EQ(std::raise(SIGINT), 0);
  ASSERT_EQ(std::raise(SIGTERM), 0);
  std::unique_lock lock(mu);
  ASSERT_TRUE(called.wait_for(lock, std::chrono::seconds(10), [&] { return calls > 0; }));
  EXPECT_TRUE(handler.interrupted());
  lock.unlock();
  // A second signal does not call again: one interruption ends one watch.
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  lock.lock();
  EXPECT_EQ(calls, 1);
}

TEST(InterruptHandlerTest, TheEarlierHandlingComesBack) {
  std::signal(SIGINT, EarlierHandler);
  {
    InterruptHandler handler([] {});
  }
  ASSERT_EQ(std::raise(SIGINT), 0);
  EXPECT_EQ(earlier_handler_calls.load(), 1);
  std::signal(SIGINT, SIG_DFL);
}

TEST(InterruptHandlerTest, OnlyOneAtATime) {
  InterruptHandler first([] {});
  EXPECT_THROW(InterruptHandler second([] {}), std::logic_error);
}

}  // namespace
}  // namespace sitrep::cli
