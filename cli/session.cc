#include "cli/session.h"

#include <chrono>
#include <cstdlib>

namespace sitrep::cli {

Session::Session(const GlobalOptions& options, std::ostream& out, std::ostream& err)
    : options_(options), out_(out), err_(err) {}

std::shared_ptr<grpc::Channel> Session::channel() {
  if (channel_ == nullptr) channel_ = MakeChannel(options_);
  return channel_;
}

void Session::PrepareCall(grpc::ClientContext& context) {
  // The token is read once and before the channel, so a missing token is reported as such even
  // when the server is unreachable too.
  if (!token_) token_ = LoadToken(options_, std::getenv("SITREP_TOKEN"));
  context.AddMetadata("authorization", "Bearer " + *token_);
  context.set_deadline(std::chrono::system_clock::now() +
                       std::chrono::duration_cast<std::chrono::system_clock::duration>(
                           std::chrono::duration<double>(options_.timeout_seconds)));
}

bool Session::ServerReached() const {
  // After a refused or timed-out connection the channel is in TRANSIENT_FAILURE (or already
  // CONNECTING again); only a server that answered leaves it READY.
  return channel_ != nullptr && channel_->GetState(false) == GRPC_CHANNEL_READY;
}

}  // namespace sitrep::cli
