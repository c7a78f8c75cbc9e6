#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "domain/principal.h"
#include "sitrep/v1/registry.pb.h"
#include "storage/page.h"
#include "storage/pool.h"

namespace sitrep::storage {

enum class CreatePrincipalResult { kCreated, kNameTaken, kNoSuchEnterprise };

enum class TokenState { kValid, kUnknown, kRevoked, kExpired };

struct TokenLookup {
  TokenState state = TokenState::kUnknown;
  Principal principal;                                              // set when kValid
  int64_t token_id = 0;                                             // set when kValid
  std::optional<std::chrono::system_clock::time_point> expires_at;  // set when kValid; none: never
};

struct PrincipalQuery {
  v1::Role role = v1::ROLE_UNSPECIFIED;  // unspecified: any
  int64_t after_id = 0;
  int limit = 100;
};

struct TokenQuery {
  int64_t principal_id = 0;  // 0: any
  int64_t after_id = 0;
  int limit = 100;
};

// Principals and their tokens. Each call is one transaction; throws only when PostgreSQL fails.
class PrincipalStore final {
 public:
  explicit PrincipalStore(Pool& pool) : pool_(pool) {}

  // Stores a checked principal. For ENTERPRISE principals the province is taken from the
  // enterprise. `created` receives the stored row when the result is kCreated.
  [[nodiscard]] CreatePrincipalResult Create(const Principal& caller,
                                             const v1::Principal& principal,
                                             v1::Principal& created);
  [[nodiscard]] std::optional<v1::Principal> Get(const Principal& caller, int64_t id);
  [[nodiscard]] Page<v1::Principal> List(const Principal& caller, const PrincipalQuery& query);

  // Stores a token of `principal_id` by the SHA-256 (hex) of its secret; nullopt when there
  // is no such principal. `expire_time` is a Timestamp, not a system_clock time, because a
  // token may be meant to last beyond 2262; it must have passed CheckTimestamp.
  [[nodiscard]] std::optional<v1::Token> InsertToken(
      const Principal& caller, int64_t principal_id, std::string_view secret_sha256_hex,
      const std::string& description, std::optional<google::protobuf::Timestamp> expire_time);
  [[nodiscard]] Page<v1::Token> ListTokens(const Principal& caller, const TokenQuery& query);
  // Sets revoke_time (once; revoking again keeps the first time); nullopt when unknown.
  [[nodiscard]] std::optional<v1::Token> RevokeToken(const Principal& caller, int64_t token_id);

  // Authentication: the principal holding the token whose secret hashes to
  // `secret_sha256_hex`, judged at `now`. Runs before any caller is known.
  [[nodiscard]] TokenLookup FindByTokenHash(std::string_view secret_sha256_hex,
                                            std::chrono::system_clock::time_point now);

  // First start: when no ADMIN principal exists, creates one named `name` with a token of
  // the given hash and returns true; otherwise changes nothing and returns false. Safe when
  // two servers start at once (one wins).
  [[nodiscard]] bool BootstrapAdmin(const std::string& name, std::string_view secret_sha256_hex);

 private:
  Pool& pool_;
};

}  // namespace sitrep::storage
