#pragma once

#include <atomic>
#include <functional>
#include <string>
#include <thread>

namespace sitrep::storage {

// LISTENs on sitrep_credentials (storage/schema/02_registry.sql) on a
// connection of its own and passes each payload ("token:<id>", "principal:<id>",
// "enterprise:<id>") to `heard`. After every (re)connect, once LISTEN is in place, it calls
// `listening`: a notice sent while it was away is lost, so the owner re-checks everything it
// holds. Both run on the listener's own thread, one at a time; they must not throw.
class CredentialListener final {
 public:
  CredentialListener(std::string url, std::function<void(const std::string&)> heard,
                     std::function<void()> listening);
  ~CredentialListener();

  // True while LISTEN is in place (tests wait for it before changing credentials).
  [[nodiscard]] bool listening() const { return listening_.load(); }

 private:
  void Run();

  const std::string url_;
  const std::function<void(const std::string&)> heard_;
  const std::function<void()> on_listening_;
  std::atomic<bool> listening_{false};
  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

}  // namespace sitrep::storage
