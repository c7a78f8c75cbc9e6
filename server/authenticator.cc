#include "server/authenticator.h"

#include "registry/token_secret.h"

namespace sitrep {
namespace {

grpc::Status Unauthenticated(const std::string& message) {
  return grpc::Status(grpc::StatusCode::UNAUTHENTICATED, message);
}

}  // namespace

std::variant<Principal, grpc::Status> Authenticator::Authenticate(
    const grpc::ServerContextBase& context) const {
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
  const storage::TokenLookup lookup =
      principals_.FindByTokenHash(registry::Sha256Hex(value.substr(kScheme.size())), clock_.Now());
  switch (lookup.state) {
    case storage::TokenState::kValid:
      return lookup.principal;
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
