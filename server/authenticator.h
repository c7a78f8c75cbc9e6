#pragma once

#include <grpcpp/server_context.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
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

// The HTTP edge (http/) calls the services through the server's in-process channel, so that
// HTTP calls take the same path as gRPC ones. It marks its calls with the server's edge key
// (random per process, never leaves it); only on a call carrying that key are the other two
// believed: the token hash a browser session stands for, and the HTTP client's address.
inline constexpr char kEdgeKeyMetadata[] = "x-sitrep-edge-key";
inline constexpr char kEdgeTokenMetadata[] = "x-sitrep-edge-token-sha256";
inline constexpr char kEdgePeerMetadata[] = "x-sitrep-edge-peer";

// How the audit log names an HTTP client ("http:<address:port>"), for its calls and sessions.
[[nodiscard]] inline std::string EdgePeer(std::string_view address) {
  return "http:" + std::string(address);
}

// Whether a credential notice (storage/migrations/0025: "token:<id>", "principal:<id>",
// "enterprise:<id>"; anything else concerns every credential) concerns `credential`.
[[nodiscard]] bool NoticeConcerns(const std::string& notice, const Credential& credential);

// Turns the `authorization: Bearer <secret>` metadata of a call (or a session's token from the
// HTTP edge) into its Principal.
//
// Valid tokens are kept in memory, so a call costs no query: the cache is trusted only while
// `listening()` says the credential notices (storage/credential_listener.h) are heard, and
// every notice drops the tokens it concerns (Forget) before anything else acts on it. Changes
// made through this server's API are forgotten before the API answers; changes made behind
// its back (another server, an operator's UPDATE) arrive as a NOTIFY within milliseconds. A
// lookup that a notice overtook is not cached. Expiry is judged on every call. Thread-safe.
class Authenticator final {
 public:
  // `listening`: whether credential notices are heard now; nullptr: never (no cache).
  Authenticator(storage::PrincipalStore& principals, const Clock& clock,
                std::function<bool()> listening = nullptr);

  // The key the HTTP edge puts in kEdgeKeyMetadata.
  [[nodiscard]] const std::string& edge_key() const { return edge_key_; }
  // True when the call came through the HTTP edge.
  [[nodiscard]] bool FromEdge(const grpc::ServerContextBase& context) const;
  // The caller's address for the audit log: the HTTP client's for an edge call.
  [[nodiscard]] std::string Peer(const grpc::ServerContextBase& context) const;
  // The principal of a token by its secret's hash (the HTTP edge's sign-in).
  [[nodiscard]] std::variant<Credential, grpc::Status> LookupToken(std::string token_sha256) const {
    return Lookup(std::move(token_sha256));
  }

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

  // A credential notice ("token:<id>", "principal:<id>", "enterprise:<id>"; anything else
  // concerns every token, "" too: after a reconnect, when notices may have been lost): drops
  // the cached tokens it concerns.
  void Forget(const std::string& notice) const;

 private:
  // The credential of `token_sha256`: from the cache, or looked up (and cached when valid).
  [[nodiscard]] std::variant<Credential, grpc::Status> Cached(std::string token_sha256) const;
  [[nodiscard]] std::variant<Credential, grpc::Status> Lookup(std::string token_sha256) const;

  storage::PrincipalStore& principals_;
  const Clock& clock_;
  const std::string edge_key_;
  const std::function<bool()> listening_;

  mutable std::mutex mu_;
  mutable std::unordered_map<std::string, Credential> cache_;  // guarded by mu_, by token hash
  mutable uint64_t generation_ = 0;  // guarded by mu_: counts Forget calls
};

}  // namespace sitrep
