#include "cli/options.h"

#include <grpcpp/create_channel.h>
#include <grpcpp/security/credentials.h>
#include <grpcpp/support/channel_arguments.h>

#include <CLI/CLI.hpp>
#include <fstream>
#include <sstream>

#include "cli/usage_error.h"

namespace sitrep::cli {
namespace {

std::string ReadFile(const std::string& path, std::string_view what) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream content;
  if (!in || !(content << in.rdbuf())) {
    // An empty file makes `content << rdbuf()` fail too; that is still a readable file.
    if (in.is_open()) return std::string();
    throw UsageError("cannot read " + std::string(what) + " " + path);
  }
  return content.str();
}

std::string WithoutTrailingWhitespace(std::string text) {
  text.erase(text.find_last_not_of(" \t\r\n") + 1);
  return text;
}

}  // namespace

void AddGlobalOptions(CLI::App& app, GlobalOptions& options) {
  app.add_option("--server", options.server, "address of sitrepd, host:port")
      ->type_name("ADDR")
      ->envname("SITREP_SERVER")
      ->capture_default_str();
  app.add_option("--token-file", options.token_file,
                 "file holding the API token (else env SITREP_TOKEN holds the token itself)")
      ->type_name("FILE")
      ->envname("SITREP_TOKEN_FILE");
  app.add_flag("--json", options.json, "print one JSON object per line per record");
  app.add_option("--timeout", options.timeout_seconds, "deadline of each call, in seconds")
      ->type_name("SECONDS")
      ->check(CLI::Validator(
          [](std::string& input) -> std::string {
            // CLI::PositiveNumber's message prints DBL_MAX in full; say it in words instead.
            double seconds = 0;
            if (CLI::detail::lexical_cast(input, seconds) && seconds > 0 && seconds <= 86400) {
              return std::string();
            }
            return "'" + input + "' is not a number of seconds in (0, 86400]";
          },
          std::string()))
      ->capture_default_str();
  app.add_option("--tls-ca", options.tls_ca, "PEM CA certificates: use TLS, verify the server")
      ->type_name("FILE");
  CLI::Option* cert =
      app.add_option("--tls-cert", options.tls_cert, "PEM client certificate (mutual TLS)")
          ->type_name("FILE");
  CLI::Option* key =
      app.add_option("--tls-key", options.tls_key, "PEM key of --tls-cert")->type_name("FILE");
  cert->needs(key);
  key->needs(cert);
  app.add_option("--tls-server-name", options.tls_server_name,
                 "name expected in the server certificate (overrides the host of --server)")
      ->type_name("NAME");
}

std::string LoadToken(const GlobalOptions& options, const char* env_token) {
  std::string token;
  if (!options.token_file.empty()) {
    token = WithoutTrailingWhitespace(ReadFile(options.token_file, "token file"));
    if (token.empty()) {
      throw UsageError("token file " + options.token_file + " is empty; " +
                       std::string(kTokenHint));
    }
    return token;
  }
  if (env_token != nullptr) token = WithoutTrailingWhitespace(env_token);
  if (token.empty()) throw UsageError("no API token; " + std::string(kTokenHint));
  return token;
}

std::shared_ptr<grpc::Channel> MakeChannel(const GlobalOptions& options) {
  grpc::ChannelArguments arguments;
  if (!options.UsesTls()) {
    return grpc::CreateCustomChannel(options.server, grpc::InsecureChannelCredentials(), arguments);
  }
  grpc::SslCredentialsOptions ssl;
  if (!options.tls_ca.empty()) ssl.pem_root_certs = ReadFile(options.tls_ca, "--tls-ca file");
  if (!options.tls_cert.empty()) {
    ssl.pem_cert_chain = ReadFile(options.tls_cert, "--tls-cert file");
    ssl.pem_private_key = ReadFile(options.tls_key, "--tls-key file");
  }
  if (!options.tls_server_name.empty()) {
    arguments.SetSslTargetNameOverride(options.tls_server_name);
  }
  return grpc::CreateCustomChannel(options.server, grpc::SslCredentials(ssl), arguments);
}

}  // namespace sitrep::cli
