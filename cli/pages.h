#pragma once

#include <grpcpp/client_context.h>
#include <grpcpp/support/status.h>

#include <string>
#include <vector>

#include "cli/session.h"

namespace sitrep::cli {

// Calls a List method page by page (SPEC §4: page_size, page_token, next_page_token) and
// appends every page's records to `records`: only the first page, or every page when `all`.
// `call(context, request, response)` makes the call; `records_of(response)` returns a page's
// repeated field. Returns the first failing status (records of earlier pages are kept) and
// leaves in `next_page_token` where the listing stopped ("" when at its end).
// Response is the one template argument to give, e.g. ListPages<v1::ListTokensResponse>(...).
template <typename Response, typename Request, typename Record, typename Call, typename RecordsOf>
[[nodiscard]] grpc::Status ListPages(Session& session, Request request, bool all, Call call,
                                     RecordsOf records_of, std::vector<Record>& records,
                                     std::string& next_page_token) {
  do {
    grpc::ClientContext context;
    session.PrepareCall(context);
    Response response;
    const grpc::Status status = call(&context, request, &response);
    if (!status.ok()) return status;
    for (const Record& record : records_of(response)) records.push_back(record);
    next_page_token = response.next_page_token();
    request.set_page_token(next_page_token);
  } while (all && !next_page_token.empty());
  return grpc::Status::OK;
}

}  // namespace sitrep::cli
