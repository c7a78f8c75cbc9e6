#include "bench/connection_options.h"

#include <grpcpp/create_channel.h>
#include <grpcpp/security/credentials.h>
#include <grpcpp/support/channel_arguments.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <fstream>
#include <optional>
#include <sstream>

#include "bench/bench_failure.h"

namespace sitrep::bench {
namespace {

constexpr const char* kDefaultDatabaseUrlFile = "var/database.url";

std::string Trimmed(const std::string& text) {
  const size_t start = text.find_first_not_of(" \t\r\n");
  if (start == std::string::npos) return "";
  const size_t end = text.find_last_not_of(" \t\r\n");
  return text.substr(start, end - start + 1);
}

std::optional<std::string> ReadFile(const std::string& path) {
  std::ifstream file(path);
  if (!file) return std::nullopt;
  std::ostringstream content;
  content << file.rdbuf();
  return content.str();
}

}  // namespace

void AddConnectionOptions(CLI::App& command, ConnectionOptions& options) {
  command.add_option("--server", options.server, "sitrepd's gRPC address (host:port)")
      ->capture_default_str();
  command.add_option("--token-file", options.token_file, "file holding an ADMIN token")
      ->capture_default_str();
  command.add_option("--database-url", options.database_url,
                     std::string("PostgreSQL URL for the baseline (default: the content of ") +
                         kDefaultDatabaseUrlFile + ")");
  command.add_option("--metrics", options.metrics, "sitrepd's Prometheus endpoint (host:port)")
      ->capture_default_str();
}

std::string ReadAdminToken(const ConnectionOptions& options) {
  const std::optional<std::string> content = ReadFile(options.token_file);
  if (!content) throw BenchFailure("cannot read the token file " + options.token_file);
  std::string token = Trimmed(*content);
  if (token.empty()) throw BenchFailure("the token file " + options.token_file + " is empty");
  return token;
}

std::string DatabaseUrl(const ConnectionOptions& options) {
  if (!options.database_url.empty()) return options.database_url;
  const std::optional<std::string> content = ReadFile(kDefaultDatabaseUrlFile);
  std::string url = content ? Trimmed(content->substr(0, content->find('\n'))) : "";
  if (url.empty()) {
    throw BenchFailure(std::string("no --database-url and no ") + kDefaultDatabaseUrlFile +
                       " (sitrepd writes it into its data directory)");
  }
  return url;
}

std::shared_ptr<grpc::Channel> OwnChannel(const ConnectionOptions& options) {
  grpc::ChannelArguments arguments;
  arguments.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
  return grpc::CreateCustomChannel(options.server, grpc::InsecureChannelCredentials(), arguments);
}

std::shared_ptr<grpc::Channel> ConnectedChannel(const ConnectionOptions& options) {
  std::shared_ptr<grpc::Channel> channel = OwnChannel(options);
  if (!channel->WaitForConnected(std::chrono::system_clock::now() + std::chrono::seconds(10))) {
    throw BenchFailure("cannot connect to " + options.server + " within 10 s");
  }
  return channel;
}

std::string RunSuffix() {
  const auto unix_seconds = std::chrono::duration_cast<std::chrono::seconds>(
                                std::chrono::system_clock::now().time_since_epoch())
                                .count();
  return std::to_string(unix_seconds) + "-" + std::to_string(::getpid());
}

}  // namespace sitrep::bench
