#include "cli/session.h"

#include <chrono>
#include <cstdlib>

namespace sitrep::cli {

Session::Session(const GlobalOptions& options, std::ostream& out, std::ostream& err,
                 Terminal terminal)
    : options_(options), out_(out), err_(err), terminal_(terminal) {}

TableStyle Session::TableStyleFor(std::size_t fit_column) const {
  TableStyle style;
  style.colour = terminal_.colour;
  style.max_line_width = terminal_.width;
  style.fit_column = fit_column;
  return style;
}

std::shared_ptr<grpc::Channel> Session::channel() {
  if (channel_ == nullptr) channel_ = MakeChannel(options_);
  return channel_;
}

void Session::PrepareCall(grpc::ClientContext& context) {
  PrepareStream(context);
  context.set_deadline(std::chrono::system_clock::now() +
                       std::chrono::duration_cast<std::chrono::system_clock::duration>(
                           std::chrono::duration<double>(options_.timeout_seconds)));
}

void Session::PrepareStream(grpc::ClientContext& context) {
  // The token is read once and before the channel, so a missing token is reported as such even
  // when the server is unreachable too.
  if (!token_) token_ = LoadToken(options_, std::getenv("SITREP_TOKEN"));
  context.AddMetadata("authorization", "Bearer " + *token_);
}

bool Session::ServerReached() const {
  // After a refused or timed-out connection the channel is in TRANSIENT_FAILURE (or already
  // CONNECTING again); only a server that answered leaves it READY.
  return channel_ != nullptr && channel_->GetState(false) == GRPC_CHANNEL_READY;
}

}  // namespace sitrep::cli
