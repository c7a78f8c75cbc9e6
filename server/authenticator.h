#pragma once

#include <grpcpp/server_context.h>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <variant>

#include "domain/clock.h"
#include "domain/principal.h"
#include "storage/principal_store.h"

namespace sitrep {

// What a call was admitted with: the principal and the token that vouched for it. Long-lived
// calls keep it to be re-checked when the token or the principal changes (server/live_calls.h).
struct Credential {
  Principal principal;
  std::string token_sha256;  // hex SHA-256 of the secret: the key a re-check looks up
  int64_t token_id = 0;
  std::optional<std::chrono::system_clock::time_point> expires_at;  // none: never
};

// Turns the `authorization: Bearer <secret>` metadata of a call into its Principal.
// Thread-safe.
class Authenticator final {
 public:
  Authenticator(storage::PrincipalStore& principals, const Clock& clock)
      : principals_(principals), clock_(clock) {}

  // The caller, or UNAUTHENTICATED saying what is wrong (no header, not a bearer token,
  // unknown, revoked or expired token). Throws when PostgreSQL fails.
  [[nodiscard]] std::variant<Principal, grpc::Status> Authenticate(
      const grpc::ServerContextBase& context) const;
  // The same, keeping the token's identity and expiry.
  [[nodiscard]] std::variant<Credential, grpc::Status> AuthenticateCredential(
      const grpc::ServerContextBase& context) const;
  // `credential` as the database has it now: the fresh credential (its expiry may have moved),
  // or UNAUTHENTICATED when the token was revoked, expired or deleted or its principal's
  // binding (role, province, enterprise, sector, name) is no longer the one admitted. Throws
  // when PostgreSQL fails.
  [[nodiscard]] std::variant<Credential, grpc::Status> Recheck(const Credential& credential) const;

 private:
  [[nodiscard]] std::variant<Credential, grpc::Status> Lookup(std::string token_sha256) const;

  storage::PrincipalStore& principals_;
  const Clock& clock_;
};

}  // namespace sitrep
