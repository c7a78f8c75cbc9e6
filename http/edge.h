#pragma once

#include <grpcpp/channel.h>
#include <grpcpp/support/status.h>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "http/http_server.h"
#include "sitrep/v1/registry.pb.h"
#include "storage/session_store.h"
#include "storage/taxii_status_store.h"

namespace sitrep::http {

// Who a token belongs to, for signing in.
struct SignedIn {
  v1::Principal principal;
  int64_t token_id = 0;
  std::optional<std::chrono::system_clock::time_point> token_expires_at;  // none: never
};
// The holder of the token whose secret hashes to `token_sha256` (hex), or UNAUTHENTICATED.
using TokenLookup =
    std::function<std::variant<SignedIn, grpc::Status>(const std::string& token_sha256)>;

struct EdgeOptions {
  ServerOptions server;
  std::filesystem::path console_dir;  // static files served at /; empty: none
  std::string edge_key;               // Authenticator::edge_key(): marks the edge's calls
  std::chrono::seconds session_lifetime{12 * 3600};
  std::chrono::milliseconds call_deadline{30'000};
  std::chrono::milliseconds heartbeat{15'000};  // SSE comment lines
  std::function<std::chrono::system_clock::time_point()> now = std::chrono::system_clock::now;
  // Writes the audit entry of a sign-in ("/http/session/start") or sign-out
  // ("/http/session/end"), which are no gRPC calls: principal_id 0 when not known, `address`
  // the client's "address:port". Empty: not audited.
  std::function<void(std::string_view method, int64_t principal_id, const grpc::Status& status,
                     const std::string& address)>
      audit;
  // TAXII 2.1 at /taxii2/ (http/taxii.h) when set: where POST statuses are kept, and the name
  // of this deployment in the ids of its STIX objects (stix::Exporter).
  storage::TaxiiStatusStore* taxii_statuses = nullptr;
  std::string stix_instance = "sitrep";
  std::string stix_name = "sitrep";
};

class TaxiiApi;

// The HTTP front door: the Connect-style JSON API (POST /sitrep.v1.{Service}/{Method}),
// watches as Server-Sent Events, browser sessions with CSRF tokens, and the console's static
// files. Every API call goes through `channel` (the server's in-process channel) as a gRPC call,
// so authentication, role checks, audit, metrics and error statuses are the gRPC API's own.
class HttpEdge final {
 public:
  // Starts listening; throws std::runtime_error when it cannot.
  HttpEdge(EdgeOptions options, std::shared_ptr<grpc::Channel> channel,
           storage::SessionStore& sessions, TokenLookup lookup);
  // Waits for calls in flight (the gRPC server must be shut down first, which ends them),
  // then stops the listener.
  ~HttpEdge();

  [[nodiscard]] int port() const { return server_->port(); }

  class Call;  // one API call in flight (edge.cc)

 private:
  void Handle(Request&& request, std::shared_ptr<Exchange> exchange);
  void HandleRpc(Request&& request, const std::shared_ptr<Exchange>& exchange);
  void HandleSession(const Request& request, const std::shared_ptr<Exchange>& exchange);
  void HandleStatic(const Request& request, const std::shared_ptr<Exchange>& exchange);

  friend class Call;
  void CallStarted();
  void CallFinished();

  const EdgeOptions options_;
  const std::shared_ptr<grpc::Channel> channel_;
  storage::SessionStore& sessions_;
  const TokenLookup lookup_;
  std::mutex mu_;
  std::condition_variable idle_;
  int in_flight_ = 0;                // guarded by mu_
  std::unique_ptr<TaxiiApi> taxii_;  // null when options_.taxii_statuses is
  std::unique_ptr<HttpServer> server_;
};

}  // namespace sitrep::http
