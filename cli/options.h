#pragma once

#include <grpcpp/channel.h>

#include <memory>
#include <string>
#include <string_view>

namespace CLI {
class App;
}

namespace sitrep::cli {

inline constexpr std::string_view kDefaultServer = "127.0.0.1:7443";

// How to give sitrep a token; repeated wherever a token is missing or refused.
inline constexpr std::string_view kTokenHint =
    "pass --token-file FILE, or set SITREP_TOKEN_FILE=FILE or SITREP_TOKEN=<token>";

// The flags every command shares (SPEC §6). Defaults are the ones `sitrep --help` shows.
struct GlobalOptions {
  std::string server{kDefaultServer};  // host:port, or any gRPC target such as unix:/path
  std::string token_file;              // empty: SITREP_TOKEN holds the token itself
  bool json = false;                   // one JSON object per line instead of tables
  double timeout_seconds = 30;         // deadline of each call
  std::string tls_ca;                  // PEM roots; set (or a client certificate): use TLS
  std::string tls_cert;                // PEM client certificate chain, for mutual TLS
  std::string tls_key;                 // PEM private key of tls_cert
  std::string tls_server_name;         // expected name in the server certificate, for tests

  [[nodiscard]] bool UsesTls() const { return !tls_ca.empty() || !tls_cert.empty(); }
};

// Adds the global flags to `app`, writing into `options`, which must outlive parsing. --server
// and --token-file fall back to SITREP_SERVER and SITREP_TOKEN_FILE.
void AddGlobalOptions(CLI::App& app, GlobalOptions& options);

// Returns the bearer token: the content of options.token_file without trailing whitespace when
// that is set, else `env_token` (SITREP_TOKEN's value; may be null) likewise trimmed. Throws
// UsageError, naming kTokenHint, when neither gives a token or the file cannot be read.
[[nodiscard]] std::string LoadToken(const GlobalOptions& options, const char* env_token);

// Returns a channel to options.server: plaintext, or TLS verifying the server against
// options.tls_ca (the system roots when empty) and presenting tls_cert/tls_key when set. Does
// not connect. Throws UsageError when a TLS file cannot be read.
[[nodiscard]] std::shared_ptr<grpc::Channel> MakeChannel(const GlobalOptions& options);

}  // namespace sitrep::cli
