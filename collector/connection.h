#pragma once

#include <grpcpp/channel.h>

#include <memory>
#include <optional>
#include <string>

#include "collector/collector_config.h"

namespace sitrep::collector {

// The bearer token: the content of config.token_file without trailing whitespace when that is
// set, else `env_token` (SITREP_TOKEN's value; may be null) likewise trimmed. nullopt, with
// one sentence in `error`, when neither gives a token or the file cannot be read.
[[nodiscard]] std::optional<std::string> LoadToken(const CollectorConfig& config,
                                                   const char* env_token, std::string& error);

// A channel to config.server for a long-lived Push stream: plaintext, or TLS verifying the
// server against config.tls_ca (system roots when empty) and presenting the collector's
// certificate when set. Keepalive pings find a dead connection within a minute, and the
// channel's own reconnect backoff is capped at 10 s so that it never outwaits the pusher's.
// nullptr, with one sentence in `error`, when a TLS file cannot be read. Does not connect.
[[nodiscard]] std::shared_ptr<grpc::Channel> MakeCollectorChannel(const CollectorConfig& config,
                                                                  std::string& error);

}  // namespace sitrep::collector
