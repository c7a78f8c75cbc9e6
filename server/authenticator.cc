#include "server/authenticator.h"

#include <openssl/crypto.h>

#include "registry/token_secret.h"

namespace sitrep {
namespace {

grpc::Status Unauthenticated(const std::string& message) {
  return grpc::Status(grpc::StatusCode::UNAUTHENTICATED, message);
}

bool SameBinding(const Principal& a, const Principal& b) {
  return a.id == b.id && a.name == b.name && a.role == b.role && a.province == b.province &&
         a.enterprise_id == b.enterprise_id && a.sector == b.sector;
}

std::optional<std::string_view> Metadata(const grpc::ServerContextBase& context, const char* name) {
  const auto& metadata = context.client_metadata();
  const auto found = metadata.find(name);
  if (found == metadata.end()) return std::nullopt;
  return std::string_view(found->second.data(), found->second.size());
}

}  // namespace

Authenticator::Authenticator(storage::PrincipalStore& principals, const Clock& clock)
    : principals_(principals), clock_(clock), edge_key_(registry::NewTokenSecret()) {}

bool Authenticator::FromEdge(const grpc::ServerContextBase& context) const {
  const std::optional<std::string_view> key = Metadata(context, kEdgeKeyMetadata);
  return key && key->size() == edge_key_.size() &&
         CRYPTO_memcmp(key->data(), edge_key_.data(), edge_key_.size()) == 0;
}

std::string Authenticator::Peer(const grpc::ServerContextBase& context) const {
  if (FromEdge(context)) {
    if (const auto peer = Metadata(context, kEdgePeerMetadata)) return "http:" + std::string(*peer);
  }
  return context.peer();
}

std::variant<Principal, grpc::Status> Authenticator::Authenticate(
    const grpc::ServerContextBase& context) const {
  std::variant<Credential, grpc::Status> authenticated = AuthenticateCredential(context);
  if (auto* status = std::get_if<grpc::Status>(&authenticated)) return *status;
  return std::get<Credential>(std::move(authenticated)).principal;
}

std::variant<Credential, grpc::Status> Authenticator::AuthenticateCredential(
    const grpc::ServerContextBase& context) const {
  if (FromEdge(context)) {
    if (const auto session_token = Metadata(context, kEdgeTokenMetadata)) {
      return Lookup(std::string(*session_token));
    }
  }
  const auto& metadata = context.client_metadata();
  const auto header = metadata.find("authorization");
  if (header == metadata.end()) {
    return Unauthenticated("missing 'authorization: Bearer <token>' metadata");
  }
  const std::string_view value(header->second.data(), header->second.size());
  constexpr std::string_view kScheme = "Bearer ";
  if (value.size() <= kScheme.size() || value.substr(0, kScheme.size()) != kScheme ||
      value.size() > 512) {
    return Unauthenticated("the authorization metadata must be 'Bearer <token>'");
  }
  return Lookup(registry::Sha256Hex(value.substr(kScheme.size())));
}

std::variant<Credential, grpc::Status> Authenticator::Recheck(const Credential& credential) const {
  std::variant<Credential, grpc::Status> now = Lookup(credential.token_sha256);
  if (auto* fresh = std::get_if<Credential>(&now)) {
    if (fresh->token_id != credential.token_id ||
        !SameBinding(fresh->principal, credential.principal)) {
      return Unauthenticated(
          "the token's principal changed (role, province or enterprise); call again");
    }
  }
  return now;
}

std::variant<Credential, grpc::Status> Authenticator::Lookup(std::string token_sha256) const {
  const storage::TokenLookup lookup = principals_.FindByTokenHash(token_sha256, clock_.Now());
  switch (lookup.state) {
    case storage::TokenState::kValid:
      return Credential{.principal = lookup.principal,
                        .token_sha256 = std::move(token_sha256),
                        .token_id = lookup.token_id,
                        .expires_at = lookup.expires_at};
    case storage::TokenState::kRevoked:
      return Unauthenticated("the token has been revoked");
    case storage::TokenState::kExpired:
      return Unauthenticated("the token has expired");
    case storage::TokenState::kUnknown:
      break;
  }
  return Unauthenticated("unknown token");
}

}  // namespace sitrep
