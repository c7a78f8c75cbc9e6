#include "server/live_calls.h"

#include <gtest/gtest.h>

#include <atomic>
#include <stdexcept>
#include <thread>

namespace sitrep {
namespace {

using std::chrono::milliseconds;

grpc::Status Revoked() {
  return grpc::Status(grpc::StatusCode::UNAUTHENTICATED, "the token has been revoked");
}

Credential Of(int64_t token_id, int64_t principal_id, int64_t enterprise_id = 0) {
  Credential credential;
  credential.token_id = token_id;
  credential.principal.id = principal_id;
  credential.principal.enterprise_id = enterprise_id;
  return credential;
}

// A database stand-in for the re-check: what it answers and how often it was asked.
struct Database {
  std::atomic<int> asked{0};
  std::atomic<bool> revoked{false};
  std::atomic<bool> down{false};

  LiveCalls::Recheck Recheck() {
    return [this](const Credential& credential) -> std::variant<Credential, grpc::Status> {
      ++asked;
      if (down) throw std::runtime_error("connection lost");
      if (revoked) return Revoked();
      return credential;
    };
  }
};

class LiveCallsTest : public ::testing::Test {
 protected:
  std::unique_ptr<LiveCalls::Call> Register(const Credential& credential) {
    return calls_.Register(credential, calls_.epoch(), [this](const grpc::Status& status) {
      ++ended_;
      last_code_ = status.error_code();
    });
  }

  ManualClock clock_{std::chrono::system_clock::now()};
  Database database_;
  LiveCalls calls_{clock_, database_.Recheck()};
  std::atomic<int> ended_{0};
  std::atomic<grpc::StatusCode> last_code_{grpc::StatusCode::OK};
};

TEST_F(LiveCallsTest, ANoticeRechecksOnlyTheCallsItConcerns) {
  database_.revoked = true;
  // One row per notice: whether it concerns the call (token 1, principal 10, enterprise 100).
  const std::pair<const char*, bool> rows[] = {
      {"token:2", false}, {"principal:11", false}, {"enterprise:101", false},
      {"token:1", true},  {"principal:10", true},  {"enterprise:100", true},
      {"garbled", true},  {"token:1x", true},
  };
  for (const auto& [notice, concerns] : rows) {
    SCOPED_TRACE(notice);
    LiveCalls calls(clock_, database_.Recheck());
    std::atomic<int> ended{0};
    const auto live =
        calls.Register(Of(1, 10, 100), calls.epoch(), [&](const grpc::Status&) { ++ended; });
    calls.Heard(notice);
    EXPECT_EQ(live->ended(), concerns);
    EXPECT_EQ(ended.load(), concerns ? 1 : 0);
    if (concerns) {
      EXPECT_EQ(live->status().error_code(), grpc::StatusCode::UNAUTHENTICATED);
    }
  }
}

TEST_F(LiveCallsTest, AChangeHeardBetweenAuthenticationAndRegistrationIsRechecked) {
  const uint64_t before = calls_.epoch();  // read before the token was looked up
  calls_.Heard("token:1");                 // the revocation's notice, before registration
  database_.revoked = true;
  const auto call = calls_.Register(Of(1, 10), before, [](const grpc::Status&) {});
  EXPECT_TRUE(call->ended());
  EXPECT_EQ(database_.asked.load(), 1);

  const auto quiet = Register(Of(2, 20));  // nothing heard since: no query
  EXPECT_EQ(database_.asked.load(), 1);
  EXPECT_FALSE(quiet->ended());
}

TEST_F(LiveCallsTest, RecheckingEverythingAfterAReconnectEndsWhatChangedMeanwhile) {
  const auto call = Register(Of(1, 10));
  database_.revoked = true;
  calls_.RecheckAll();
  EXPECT_TRUE(call->ended());
  EXPECT_EQ(ended_.load(), 1);
  calls_.RecheckAll();  // ended once only
  EXPECT_EQ(ended_.load(), 1);
}

TEST_F(LiveCallsTest, AnUnreachableDatabaseEndsTheCallUnavailable) {
  const auto call = Register(Of(1, 10));
  database_.down = true;
  calls_.Heard("token:1");
  EXPECT_TRUE(call->ended());
  EXPECT_EQ(call->status().error_code(), grpc::StatusCode::UNAVAILABLE);
}

TEST_F(LiveCallsTest, TheExpiryTimerEndsTheCallAtItsExpiry) {
  Credential credential = Of(1, 10);
  credential.expires_at = clock_.Now() + milliseconds(300);
  const auto start = std::chrono::steady_clock::now();
  const auto call = Register(credential);
  while (!call->ended() && std::chrono::steady_clock::now() - start < milliseconds(3000)) {
    std::this_thread::sleep_for(milliseconds(5));
  }
  const auto took = std::chrono::steady_clock::now() - start;
  ASSERT_TRUE(call->ended());
  EXPECT_GE(took, milliseconds(290));
  EXPECT_LT(took, milliseconds(1300));
  EXPECT_EQ(call->status().error_message(), "the token has expired");
  EXPECT_EQ(database_.asked.load(), 0);  // a timer, not a query
}

TEST_F(LiveCallsTest, AnExpiredCredentialEndsAtRegistration) {
  Credential credential = Of(1, 10);
  credential.expires_at = clock_.Now() - milliseconds(1);
  const auto call = Register(credential);
  const auto start = std::chrono::steady_clock::now();
  while (!call->ended() && std::chrono::steady_clock::now() - start < milliseconds(1000)) {
    std::this_thread::sleep_for(milliseconds(1));
  }
  EXPECT_TRUE(call->ended());
}

TEST_F(LiveCallsTest, AnUnregisteredCallIsNeitherCheckedNorEnded) {
  Credential credential = Of(1, 10);
  credential.expires_at = clock_.Now() + milliseconds(50);
  Register(credential).reset();
  database_.revoked = true;
  calls_.Heard("token:1");
  std::this_thread::sleep_for(milliseconds(150));
  EXPECT_EQ(ended_.load(), 0);
  EXPECT_EQ(database_.asked.load(), 0);
  EXPECT_EQ(calls_.size(), 0u);
}

}  // namespace
}  // namespace sitrep
