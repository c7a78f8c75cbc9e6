#include "storage/credential_listener.h"

#include <chrono>
#include <pqxx/pqxx>

#include "logging/log.h"

namespace sitrep::storage {
namespace {

constexpr const char* kChannel = "sitrep_credentials";

class Receiver final : public pqxx::notification_receiver {
 public:
  Receiver(pqxx::connection& connection, const std::function<void(const std::string&)>& heard)
      : pqxx::notification_receiver(connection, kChannel), heard_(heard) {}
  void operator()(const std::string& payload, int) override { heard_(payload); }

 private:
  const std::function<void(const std::string&)>& heard_;
};

}  // namespace

CredentialListener::CredentialListener(std::string url,
                                       std::function<void(const std::string&)> heard,
                                       std::function<void()> listening)
    : url_(std::move(url)), heard_(std::move(heard)), on_listening_(std::move(listening)) {
  thread_ = std::thread([this] { Run(); });
}

CredentialListener::~CredentialListener() {
  stopping_ = true;
  thread_.join();
}

void CredentialListener::Run() {
  while (!stopping_) {
    try {
      pqxx::connection connection(url_);
      Receiver receiver(connection, heard_);
      // The receiver's LISTEN runs when it is constructed; anything sent before that point is
      // covered by the re-check.
      on_listening_();
      listening_ = true;
      while (!stopping_) connection.await_notification(0, 200'000);
    } catch (const std::exception& error) {
      listening_ = false;
      if (stopping_) break;
      Log(LogLevel::kWarn, "credential_listener.lost", {{"error", error.what()}});
      for (int i = 0; i < 10 && !stopping_; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
      }
    }
  }
  listening_ = false;
}

}  // namespace sitrep::storage
