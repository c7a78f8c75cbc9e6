#pragma once

#include <grpcpp/channel.h>
#include <grpcpp/client_context.h>
#include <grpcpp/support/status.h>

#include <functional>
#include <memory>
#include <optional>
#include <ostream>
#include <string>

#include "cli/options.h"
#include "cli/table.h"
#include "cli/terminal.h"

namespace sitrep::cli {

// What one run of sitrep talks through: the parsed global options, the output streams and,
// made on first use, the channel and the token. Not thread-safe; one per invocation.
class Session final {
 public:
  // `options`, `out` and `err` must outlive the session; `terminal` describes `out`.
  Session(const GlobalOptions& options, std::ostream& out, std::ostream& err,
          Terminal terminal = {});

  [[nodiscard]] const GlobalOptions& options() const { return options_; }
  [[nodiscard]] bool json() const { return options_.json; }
  // Records and results go to out(); notes for people (e.g. "more pages") to err().
  [[nodiscard]] std::ostream& out() { return out_; }
  [[nodiscard]] std::ostream& err() { return err_; }
  [[nodiscard]] const Terminal& terminal() const { return terminal_; }

  // Returns how to lay out a table on out(): coloured and with `fit_column` cut to the width
  // on a terminal, plain and whole otherwise.
  [[nodiscard]] TableStyle TableStyleFor(std::size_t fit_column) const;

  // Returns the channel to options().server, made on the first call. Throws UsageError when
  // a TLS file cannot be read.
  [[nodiscard]] std::shared_ptr<grpc::Channel> channel();

  // Readies `context` for one call: a deadline of --timeout from now and the token as
  // "authorization: Bearer <token>". Throws UsageError when no token is configured.
  void PrepareCall(grpc::ClientContext& context);

  // As PrepareCall, without a deadline: for a stream that lasts until it is cancelled.
  void PrepareStream(grpc::ClientContext& context);

  // Whether the channel is connected to the server, i.e. a failed call was answered by it.
  [[nodiscard]] bool ServerReached() const;

 private:
  const GlobalOptions& options_;
  std::ostream& out_;
  std::ostream& err_;
  const Terminal terminal_;
  std::shared_ptr<grpc::Channel> channel_;
  std::optional<std::string> token_;
};

// What the chosen subcommand does once the whole command line is parsed. A non-OK status is
// reported by Run() as one line and exit code 1; a UsageError as one line and exit code 2.
using Action = std::function<grpc::Status(Session&)>;

}  // namespace sitrep::cli
