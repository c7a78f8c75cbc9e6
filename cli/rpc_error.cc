#include "cli/rpc_error.h"

#include <cstdio>

#include "cli/options.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "proto/status_code_name.h"

namespace sitrep::cli {
namespace {

std::string OnOneLine(std::string text) {
  for (char& c : text) {
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  }
  return text;
}

std::string DelayText(const google::protobuf::Duration& delay) {
  char text[48];
  if (delay.nanos() == 0) {
    std::snprintf(text, sizeof text, "%llds", static_cast<long long>(delay.seconds()));
  } else {
    std::snprintf(text, sizeof text, "%.1fs",
                  static_cast<double>(delay.seconds()) + delay.nanos() / 1e9);
  }
  return text;
}

}  // namespace

std::string FormatRpcError(const grpc::Status& status, const CallTarget& target) {
  // The server packs a google.rpc.Status into the grpc-status-details-bin trailer (SPEC §4);
  // its details carry the field violations and retry delay that the message leaves out.
  google::rpc::Status details;
  google::rpc::BadRequest bad_request;
  google::rpc::RetryInfo retry;
  bool has_bad_request = false;
  bool has_retry = false;
  if (!status.error_details().empty() && details.ParseFromString(status.error_details())) {
    for (const google::protobuf::Any& any : details.details()) {
      if (any.Is<google::rpc::BadRequest>() && any.UnpackTo(&bad_request)) {
        has_bad_request = bad_request.field_violations_size() > 0;
      } else if (any.Is<google::rpc::RetryInfo>() && any.UnpackTo(&retry)) {
        has_retry = retry.has_retry_delay();
      }
    }
  }

  std::string line = StatusCodeName(status.error_code());
  std::string explanation;
  if (has_bad_request) {
    for (const google::rpc::BadRequest::FieldViolation& violation :
         bad_request.field_violations()) {
      if (!explanation.empty()) explanation += "; ";
      if (!violation.field().empty()) explanation += violation.field() + ": ";
      explanation += violation.description();
    }
  } else {
    explanation = status.error_message();
  }

  if (status.error_code() == grpc::StatusCode::UNAVAILABLE && !target.server_reached) {
    // gRPC's own text ("failed to connect to all addresses; ...") names neither our flag nor
    // what to check; keep it after the sentence that does.
    std::string reason = explanation;
    explanation = "could not reach the sitrep server at " + target.server +
                  " (check --server or SITREP_SERVER)";
    if (!reason.empty()) explanation += ": " + reason;
  }
  if (has_retry) {
    explanation += (explanation.empty() ? "" : "; ") + std::string("retry in ") +
                   DelayText(retry.retry_delay());
  }
  if (status.error_code() == grpc::StatusCode::UNAUTHENTICATED) {
    explanation += (explanation.empty() ? "" : "; ") + std::string(kTokenHint);
  }
  if (!explanation.empty()) line += ": " + explanation;
  return OnOneLine(std::move(line));
}

}  // namespace sitrep::cli
