#pragma once

#include <grpcpp/client_context.h>
#include <grpcpp/support/status.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "cli/cursor_file.h"
#include "cli/interrupt.h"
#include "cli/output.h"
#include "cli/session.h"

namespace CLI {
class App;
}

namespace sitrep::cli {

// How far a feed listing goes and where it keeps its place (SPEC §4: feeds run in commit
// order behind an opaque cursor; next_page_token is never empty and an empty page means the
// consumer has caught up).
struct FeedPaging {
  std::int32_t page_size = 0;  // 0: the server's default
  std::string page_token;      // where to start; "" for the start of the feed
  bool all = false;            // go on until a page comes back empty
  std::string follow_file;     // keep the cursor in this file (implies `all`); "" for none
};

// Adds --page-size, --page-token, --all and --follow FILE to a list command.
void AddFeedPagingFlags(CLI::App& command, FeedPaging& paging);

// Where a watch starts and keeps its place.
struct FeedWatching {
  std::string cursor;       // "" for only what commits from now on
  std::string follow_file;  // read the cursor from and keep it in this file; "" for none
};

// Adds --cursor and --follow FILE to a watch command.
void AddFeedWatchingFlags(CLI::App& command, FeedWatching& watching);

// Makes sure what was printed has left the process before a cursor moves past it. Throws
// std::runtime_error when standard output cannot take it (a closed pipe, a full disk).
void FlushPrinted(Session& session);

// The server's default page size (feed.proto), to tell a full page from the last one.
inline constexpr std::int32_t kDefaultFeedPageSize = 100;

// Lists a feed page by page and prints each page as it comes: only the first page, or until a
// page comes back empty with paging.all or paging.follow_file. With follow_file, starts from
// the cursor in the file and saves the next page token there after each page has been printed
// and flushed, so that runs one after another print each record once (a run killed between
// printing and saving prints that page again next time, it never skips one). Returns the first
// failing status; the pages before it stay printed and, with follow_file, counted.
// `call(context, request, response)` makes the call, `records_of(response)` returns its
// records. Response is the template argument to give.
template <typename Response, typename Request, typename Call, typename RecordsOf, typename Record>
[[nodiscard]] grpc::Status PrintFeedPages(Session& session, Request request,
                                          const FeedPaging& paging, Call call, RecordsOf records_of,
                                          RecordPrinter<Record>& printer) {
  std::optional<CursorFile> cursor_file;
  if (!paging.follow_file.empty()) {
    cursor_file.emplace(paging.follow_file);
    request.set_page_token(cursor_file->cursor());
  } else {
    request.set_page_token(paging.page_token);
  }
  request.set_page_size(paging.page_size);
  const bool to_the_end = paging.all || cursor_file.has_value();
  for (;;) {
    grpc::ClientContext context;
    session.PrepareCall(context);
    Response response;
    const grpc::Status status = call(&context, request, &response);
    if (!status.ok()) return status;
    const auto& records = records_of(response);
    printer.Print(records);
    FlushPrinted(session);
    const std::string& next = response.next_page_token();
    if (cursor_file && !next.empty()) cursor_file->Save(next);
    if (records.empty() || next.empty()) break;
    const int page_size = paging.page_size > 0 ? paging.page_size : kDefaultFeedPageSize;
    if (!to_the_end) {
      if (records.size() >= page_size && !session.json()) {
        session.err() << "(more may follow: add --all, or go on with --page-token " << next
                      << ")\n";
      }
      break;
    }
    request.set_page_token(next);
  }
  if (!cursor_file) printer.PrintHeaderIfEmpty();
  return grpc::Status::OK;
}

// Watches a feed and prints records as they come until the server ends the stream, the call
// fails or SIGINT/SIGTERM (Ctrl-C) comes, which ends it cleanly with OK. Heartbeats (messages
// without records) print nothing. With watching.follow_file, starts from the cursor in the
// file and saves each message's cursor there once its records are printed and flushed.
// `open(context, request)` starts the call and returns its reader; `records_of(response)`
// returns a message's records. Response is the template argument to give.
template <typename Response, typename Request, typename Open, typename RecordsOf, typename Record>
[[nodiscard]] grpc::Status PrintFeedStream(Session& session, Request request,
                                           const FeedWatching& watching, Open open,
                                           RecordsOf records_of, RecordPrinter<Record>& printer) {
  std::optional<CursorFile> cursor_file;
  if (!watching.follow_file.empty()) {
    cursor_file.emplace(watching.follow_file);
    request.set_cursor(cursor_file->cursor());
  } else {
    request.set_cursor(watching.cursor);
  }
  grpc::ClientContext context;
  session.PrepareStream(context);
  // Declared after `context`, so that its thread is gone before the context is.
  InterruptHandler interrupt([&context] { context.TryCancel(); });
  auto reader = open(&context, request);
  Response response;
  try {
    while (reader->Read(&response)) {
      printer.Print(records_of(response));
      FlushPrinted(session);
      if (cursor_file && !response.cursor().empty()) cursor_file->Save(response.cursor());
    }
  } catch (...) {
    // A stream must be finished before it is destroyed; the caller hears the first error.
    context.TryCancel();
    static_cast<void>(reader->Finish());
    throw;
  }
  const grpc::Status status = reader->Finish();
  if (interrupt.interrupted()) return grpc::Status::OK;
  return status;
}

}  // namespace sitrep::cli
