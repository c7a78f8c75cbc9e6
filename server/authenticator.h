#pragma once

#include <grpcpp/server_context.h>

#include <variant>

#include "domain/clock.h"
#include "domain/principal.h"
#include "storage/principal_store.h"

namespace sitrep {

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

 private:
  storage::PrincipalStore& principals_;
  const Clock& clock_;
};

}  // namespace sitrep
