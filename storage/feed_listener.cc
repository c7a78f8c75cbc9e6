#include "storage/feed_listener.h"

#include <algorithm>
#include <charconv>
#include <functional>
#include <pqxx/pqxx>

#include "logging/log.h"

namespace sitrep::storage {
namespace {

constexpr const char* kChannel = "sitrep_feed";

class Receiver final : public pqxx::notification_receiver {
 public:
  Receiver(pqxx::connection& connection, std::function<void(const std::string&)> heard)
      : pqxx::notification_receiver(connection, kChannel), heard_(std::move(heard)) {}
  void operator()(const std::string& payload, int) override { heard_(payload); }

 private:
  std::function<void(const std::string&)> heard_;
};

}  // namespace

FeedListener::FeedListener(std::string url) : url_(std::move(url)) {
  thread_ = std::thread([this] { Run(); });
}

FeedListener::~FeedListener() {
  stopping_ = true;
  thread_.join();
}

uint64_t FeedListener::generation(Table table) const {
  std::lock_guard lock(mu_);
  return generations_[static_cast<int>(table)];
}

uint64_t FeedListener::latest_xid(Table table) const {
  std::lock_guard lock(mu_);
  return latest_xids_[static_cast<int>(table)];
}

uint64_t FeedListener::WaitForChange(Table table, uint64_t seen,
                                     std::chrono::milliseconds timeout) {
  std::unique_lock lock(mu_);
  const int index = static_cast<int>(table);
  changed_.wait_for(lock, timeout, [&] { return generations_[index] != seen; });
  return generations_[index];
}

void FeedListener::WakeAll() { Heard(""); }

void FeedListener::Heard(const std::string& payload) {
  // "<table>:<xid>"; an unknown or garbled payload still wakes every feed.
  static constexpr const char* kTableNames[kTables] = {"incidents", "assets",
                                                       "notification_targets", "advisories"};
  const size_t colon = payload.find(':');
  const std::string table = payload.substr(0, colon);
  uint64_t xid = 0;
  if (colon != std::string::npos) {
    std::from_chars(payload.data() + colon + 1, payload.data() + payload.size(), xid);
  }
  const bool known =
      std::find(std::begin(kTableNames), std::end(kTableNames), table) != std::end(kTableNames);
  {
    std::lock_guard lock(mu_);
    for (int index = 0; index < kTables; ++index) {
      if (known && table != kTableNames[index]) continue;
      ++generations_[index];
      if (xid > latest_xids_[index]) latest_xids_[index] = xid;
    }
  }
  changed_.notify_all();
}

void FeedListener::Run() {
  while (!stopping_) {
    try {
      pqxx::connection connection(url_);
      Receiver receiver(connection, [this](const std::string& payload) { Heard(payload); });
      Heard("");  // (re)connected: whatever committed while we were away is worth a look
      while (!stopping_) connection.await_notification(0, 200'000);
    } catch (const std::exception& error) {
      if (stopping_) break;
      Log(LogLevel::kWarn, "feed_listener.lost", {{"error", error.what()}});
      for (int i = 0; i < 10 && !stopping_; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
      }
    }
  }
}

}  // namespace sitrep::storage
