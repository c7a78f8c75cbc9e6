#pragma once

#include <grpcpp/channel.h>

#include <memory>
#include <string>

namespace CLI {
class App;
}

namespace sitrep::bench {

// Where every benchmark mode finds the server under test (SPEC §6): the same flags, with
// sitrepd's own defaults and the files it writes into its data directory.
struct ConnectionOptions {
  std::string server = "127.0.0.1:7443";       // gRPC address
  std::string token_file = "var/admin.token";  // an ADMIN token
  std::string database_url;                    // empty: read var/database.url
  std::string metrics = "127.0.0.1:9464";      // the server's Prometheus endpoint, host:port
};

// Adds --server, --token-file, --database-url and --metrics to `command` (a subcommand),
// writing into `options`, which must outlive parsing.
void AddConnectionOptions(CLI::App& command, ConnectionOptions& options);

// The token in options.token_file, without surrounding whitespace. Throws BenchFailure when
// the file cannot be read or is empty.
[[nodiscard]] std::string ReadAdminToken(const ConnectionOptions& options);

// options.database_url, or else the first line of var/database.url (which sitrepd writes).
// Throws BenchFailure when neither gives one.
[[nodiscard]] std::string DatabaseUrl(const ConnectionOptions& options);

// A plaintext channel to options.server with its own TCP connection, as each collector of a
// real deployment has (channels to one address otherwise share one). Does not connect.
[[nodiscard]] std::shared_ptr<grpc::Channel> OwnChannel(const ConnectionOptions& options);

// OwnChannel, connected: throws BenchFailure when options.server does not answer within 10 s.
[[nodiscard]] std::shared_ptr<grpc::Channel> ConnectedChannel(const ConnectionOptions& options);

// "<unix seconds>-<pid>": makes the names of the principals a run creates unique, so runs
// against one server never collide.
[[nodiscard]] std::string RunSuffix();

}  // namespace sitrep::bench
