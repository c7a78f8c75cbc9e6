#include "server/authenticator.h"

#include <openssl/crypto.h>

#include <charconv>

#include "registry/token_secret.h"

namespace sitrep {
namespace {

grpc::Status Unauthenticated(const std::string& message) {
  return grpc::Status(grpc::StatusCode::UNAUTHENTICATED, message);
}

// Cached tokens beyond this are dropped all at once: only issued, valid tokens are cached, so
// the bound is never reached in practice, but memory stays bounded whatever happens.
constexpr size_t kMaxCachedTokens = 100'000;

grpc::Status Expired() { return Unauthenticated("the token has expired"); }

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

bool NoticeConcerns(const std::string& notice, const Credential& credential) {
  const size_t colon = notice.find(':');
  if (colon == std::string::npos) return true;
  int64_t id = 0;
  const char* end = notice.data() + notice.size();
  const auto parsed = std::from_chars(notice.data() + colon + 1, end, id);
  if (parsed.ec != std::errc() || parsed.ptr != end) return true;
  const std::string_view kind(notice.data(), colon);
  if (kind == "token") return credential.token_id == id;
  if (kind == "principal") return credential.principal.id == id;
  if (kind == "enterprise") return credential.principal.enterprise_id == id;
  return true;
}

Authenticator::Authenticator(storage::PrincipalStore& principals, const Clock& clock,
                             std::function<bool()> listening)
    : principals_(principals),
      clock_(clock),
      edge_key_(registry::NewTokenSecret()),
      listening_(std::move(listening)) {}

bool Authenticator::FromEdge(const grpc::ServerContextBase& context) const {
  const std::optional<std::string_view> key = Metadata(context, kEdgeKeyMetadata);
  return key && key->size() == edge_key_.size() &&
         CRYPTO_memcmp(key->data(), edge_key_.data(), edge_key_.size()) == 0;
}

std::string Authenticator::Peer(const grpc::ServerContextBase& context) const {
  if (FromEdge(context)) {
    if (const auto peer = Metadata(context, kEdgePeerMetadata)) return EdgePeer(*peer);
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
  return Cached(registry::Sha256Hex(value.substr(kScheme.size())));
}

std::variant<Credential, grpc::Status> Authenticator::Cached(std::string token_sha256) const {
  const bool trusted = listening_ && listening_();
  uint64_t generation = 0;
  if (trusted) {
    std::lock_guard lock(mu_);
    if (const auto found = cache_.find(token_sha256); found != cache_.end()) {
      if (found->second.expires_at && *found->second.expires_at <= clock_.Now()) {
        cache_.erase(found);
        return Expired();
      }
      return found->second;
    }
    generation = generation_;
  }
  std::variant<Credential, grpc::Status> looked_up = Lookup(std::move(token_sha256));
  if (const auto* credential = std::get_if<Credential>(&looked_up); trusted && credential) {
    std::lock_guard lock(mu_);
    // A notice heard during the lookup may concern this token: the answer is used once, not kept.
    if (generation == generation_) {
      if (cache_.size() >= kMaxCachedTokens) cache_.clear();
      cache_.emplace(credential->token_sha256, *credential);
    }
  }
  return looked_up;
}

void Authenticator::Forget(const std::string& notice) const {
  std::lock_guard lock(mu_);
  ++generation_;
  std::erase_if(cache_, [&](const auto& entry) { return NoticeConcerns(notice, entry.second); });
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
      return Expired();
    case storage::TokenState::kUnknown:
      break;
  }
  return Unauthenticated("unknown token");
}

}  // namespace sitrep
