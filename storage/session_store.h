#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "storage/pool.h"

namespace sitrep::storage {

// A browser session as the HTTP edge needs it: the token it stands for (by the hash the
// Authenticator looks up), the hash of its CSRF token and when it expires.
struct HttpSession {
  std::string token_sha256;  // hex
  std::string csrf_sha256;   // hex
  std::chrono::system_clock::time_point expires_at;
};

// http_sessions (storage/migrations/0030_http_sessions.sql). Keys are hex SHA-256 of the
// session id; text that is not one is simply unknown. Throws only when PostgreSQL fails.
class SessionStore final {
 public:
  explicit SessionStore(Pool& pool) : pool_(pool) {}

  // Stores a session of token `token_id`; also forgets sessions that expired a day ago.
  void Create(std::string_view id_sha256, int64_t token_id, std::string_view csrf_sha256,
              std::chrono::system_clock::time_point expires_at);
  // The session if it is neither ended nor expired at `now` (its token's state is the
  // Authenticator's to judge).
  [[nodiscard]] std::optional<HttpSession> Find(std::string_view id_sha256,
                                                std::chrono::system_clock::time_point now);
  // Ends the session (sign-out); false when there was none to end.
  bool End(std::string_view id_sha256, std::chrono::system_clock::time_point now);

 private:
  Pool& pool_;
};

}  // namespace sitrep::storage
