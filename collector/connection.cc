#include "collector/connection.h"

#include <grpcpp/create_channel.h>
#include <grpcpp/security/credentials.h>
#include <grpcpp/support/channel_arguments.h>

#include <fstream>
#include <sstream>

namespace sitrep::collector {
namespace {

constexpr const char* kTokenHint =
    "pass --token-file FILE, or set SITREP_TOKEN_FILE=FILE or SITREP_TOKEN=<token>";

std::optional<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream content;
  content << in.rdbuf();
  return content.str();
}

std::string WithoutTrailingWhitespace(std::string text) {
  text.erase(text.find_last_not_of(" \t\r\n") + 1);
  return text;
}

}  // namespace

std::optional<std::string> LoadToken(const CollectorConfig& config, const char* env_token,
                                     std::string& error) {
  if (!config.token_file.empty()) {
    const std::optional<std::string> content = ReadFile(config.token_file);
    if (!content) {
      error = "cannot read token file " + config.token_file;
      return std::nullopt;
    }
    std::string token = WithoutTrailingWhitespace(*content);
    if (token.empty()) {
      error = "token file " + config.token_file + " is empty; " + kTokenHint;
      return std::nullopt;
    }
    return token;
  }
  std::string token = env_token == nullptr ? std::string() : WithoutTrailingWhitespace(env_token);
  if (token.empty()) {
    error = std::string("no API token; ") + kTokenHint;
    return std::nullopt;
  }
  return token;
}

std::shared_ptr<grpc::Channel> MakeCollectorChannel(const CollectorConfig& config,
                                                    std::string& error) {
  grpc::ChannelArguments arguments;
  arguments.SetInt(GRPC_ARG_KEEPALIVE_TIME_MS, 30'000);
  arguments.SetInt(GRPC_ARG_KEEPALIVE_TIMEOUT_MS, 20'000);
  arguments.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, 100);
  arguments.SetInt(GRPC_ARG_MIN_RECONNECT_BACKOFF_MS, 100);
  arguments.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, 10'000);
  if (config.tls_ca.empty() && config.tls_cert.empty()) {
    return grpc::CreateCustomChannel(config.server, grpc::InsecureChannelCredentials(), arguments);
  }
  grpc::SslCredentialsOptions ssl;
  const auto read = [&](const std::string& path, const char* flag, std::string& into) {
    const std::optional<std::string> content = ReadFile(path);
    if (!content) error = std::string("cannot read ") + flag + " file " + path;
    if (content) into = *content;
    return content.has_value();
  };
  if (!config.tls_ca.empty() && !read(config.tls_ca, "--tls-ca", ssl.pem_root_certs))
    return nullptr;
  if (!config.tls_cert.empty() && (!read(config.tls_cert, "--tls-cert", ssl.pem_cert_chain) ||
                                   !read(config.tls_key, "--tls-key", ssl.pem_private_key))) {
    return nullptr;
  }
  if (!config.tls_server_name.empty()) arguments.SetSslTargetNameOverride(config.tls_server_name);
  return grpc::CreateCustomChannel(config.server, grpc::SslCredentials(ssl), arguments);
}

}  // namespace sitrep::collector
