#include "cli/feed_commands.h"

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdint>
#include <memory>

#include "cli/feed_columns.h"
#include "cli/feed_filters.h"
#include "cli/feed_follow.h"
#include "cli/output.h"
#include "cli/reference_words.h"
#include "cli/reference_words_call.h"
#include "sitrep/v1/feed.grpc.pb.h"

namespace sitrep::cli {
namespace {

namespace v1 = ::sitrep::v1;

// Loads `words` where they are needed, the filter's province and sector names and a table's
// province column, and builds the request's filter with `build(words)`: after loading when the
// filter names places, else before, so that a usage error in the other flags (a time range
// ending before it starts) is found without calling the server. JSON needs no names.
template <typename Build>
grpc::Status BuildFilter(Session& session, bool filter_needs_words, ReferenceWords& words,
                         Build build) {
  if (filter_needs_words) {
    if (grpc::Status status = LoadReferenceWords(session, words); !status.ok()) return status;
    build(words);
    return grpc::Status::OK;
  }
  build(words);
  if (session.json()) return grpc::Status::OK;
  return LoadReferenceWords(session, words);
}

std::unique_ptr<v1::FeedService::Stub> NewStub(Session& session) {
  return v1::FeedService::NewStub(session.channel());
}

// A printer of rows whose last column gives way to the terminal's width.
template <typename Record>
RecordPrinter<Record> RowPrinter(Session& session, Columns<Record> columns) {
  const std::size_t last = columns.size() - 1;
  return RecordPrinter<Record>(session.out(), session.json(), std::move(columns),
                               session.TableStyleFor(last));
}

// Makes one Get call and prints every field of its reply.
template <typename Record, typename Call>
grpc::Status GetAndPrint(Session& session, Columns<Record> (*columns_of)(const ReferenceWords&),
                         Call call) {
  ReferenceWords words;
  if (!session.json()) {
    if (grpc::Status status = LoadReferenceWords(session, words); !status.ok()) return status;
  }
  grpc::ClientContext context;
  session.PrepareCall(context);
  Record record;
  const grpc::Status status = call(*NewStub(session), &context, &record);
  if (status.ok()) {
    // Every value whole: a record shown alone is read, not scanned.
    TableStyle style;
    style.colour = session.terminal().colour;
    PrintRecord(session.out(), session.json(), columns_of(words), record, style);
  }
  return status;
}

template <typename Filter>
struct ListFlags {
  Filter filter;
  FeedPaging paging;
};

template <typename Filter>
struct WatchFlags {
  Filter filter;
  FeedWatching watching;
};

struct GetFlags {
  std::int64_t id = 0;
};

void AddIncidentCommands(CLI::App& app, Action& chosen) {
  CLI::App& group = *app.add_subcommand("incidents", "the incident feed (regulators)");
  group.require_subcommand(1);

  CLI::App& list = *group.add_subcommand(
      "list", "list incidents in commit order, oldest first (amendments come again)");
  auto list_flags = std::make_shared<ListFlags<IncidentFilterFlags>>();
  AddIncidentFilterFlags(list, list_flags->filter);
  AddFeedPagingFlags(list, list_flags->paging);
  list.callback([&chosen, flags = list_flags] {
    chosen = [flags](Session& session) {
      ReferenceWords words;
      v1::ListIncidentsRequest request;
      if (grpc::Status s = BuildFilter(session, NeedsReferenceWords(flags->filter), words,
                                       [&](const ReferenceWords& known) {
                                         *request.mutable_filter() =
                                             BuildIncidentFilter(flags->filter, known,
                                                                 std::chrono::system_clock::now());
                                       });
          !s.ok()) {
        return s;
      }
      RecordPrinter<v1::Incident> printer = RowPrinter(session, IncidentRowColumns(words));
      const std::unique_ptr<v1::FeedService::Stub> stub = NewStub(session);
      return PrintFeedPages<v1::ListIncidentsResponse>(
          session, request, flags->paging,
          [&](auto* context, const auto& page_request, auto* response) {
            return stub->ListIncidents(context, page_request, response);
          },
          [](const v1::ListIncidentsResponse& r) -> const auto& { return r.incidents(); }, printer);
    };
  });

  CLI::App& get = *group.add_subcommand("get", "show every field of one incident");
  auto get_flags = std::make_shared<GetFlags>();
  get.add_option("ID", get_flags->id, "incident id")->required();
  get.callback([&chosen, flags = get_flags] {
    chosen = [flags](Session& session) {
      v1::GetIncidentRequest request;
      request.set_id(flags->id);
      return GetAndPrint<v1::Incident>(session, IncidentFieldColumns,
                                       [&](auto& stub, auto* context, auto* reply) {
                                         return stub.GetIncident(context, request, reply);
                                       });
    };
  });

  CLI::App& watch = *group.add_subcommand(
      "watch", "print incidents as they commit, until Ctrl-C (replays from --cursor first)");
  auto watch_flags = std::make_shared<WatchFlags<IncidentFilterFlags>>();
  AddIncidentFilterFlags(watch, watch_flags->filter);
  AddFeedWatchingFlags(watch, watch_flags->watching);
  watch.callback([&chosen, flags = watch_flags] {
    chosen = [flags](Session& session) {
      ReferenceWords words;
      v1::WatchIncidentsRequest request;
      if (grpc::Status s = BuildFilter(session, NeedsReferenceWords(flags->filter), words,
                                       [&](const ReferenceWords& known) {
                                         *request.mutable_filter() =
                                             BuildIncidentFilter(flags->filter, known,
                                                                 std::chrono::system_clock::now());
                                       });
          !s.ok()) {
        return s;
      }
      RecordPrinter<v1::Incident> printer = RowPrinter(session, IncidentRowColumns(words));
      const std::unique_ptr<v1::FeedService::Stub> stub = NewStub(session);
      return PrintFeedStream<v1::WatchIncidentsResponse>(
          session, request, flags->watching,
          [&](auto* context, const auto& watch_request) {
            return stub->WatchIncidents(context, watch_request);
          },
          [](const v1::WatchIncidentsResponse& r) -> const auto& { return r.incidents(); },
          printer);
    };
  });
}

void AddAssetCommands(CLI::App& app, Action& chosen) {
  CLI::App& group = *app.add_subcommand("assets", "the industrial asset feed (regulators)");
  group.require_subcommand(1);

  CLI::App& list = *group.add_subcommand(
      "list", "list assets in commit order, oldest first (updated assets come again)");
  auto list_flags = std::make_shared<ListFlags<AssetFilterFlags>>();
  AddAssetFilterFlags(list, list_flags->filter);
  AddFeedPagingFlags(list, list_flags->paging);
  list.callback([&chosen, flags = list_flags] {
    chosen = [flags](Session& session) {
      ReferenceWords words;
      v1::ListAssetsRequest request;
      if (grpc::Status s = BuildFilter(session, NeedsReferenceWords(flags->filter), words,
                                       [&](const ReferenceWords& known) {
                                         *request.mutable_filter() =
                                             BuildAssetFilter(flags->filter, known,
                                                              std::chrono::system_clock::now());
                                       });
          !s.ok()) {
        return s;
      }
      RecordPrinter<v1::Asset> printer = RowPrinter(session, AssetRowColumns(words));
      const std::unique_ptr<v1::FeedService::Stub> stub = NewStub(session);
      return PrintFeedPages<v1::ListAssetsResponse>(
          session, request, flags->paging,
          [&](auto* context, const auto& page_request, auto* response) {
            return stub->ListAssets(context, page_request, response);
          },
          [](const v1::ListAssetsResponse& r) -> const auto& { return r.assets(); }, printer);
    };
  });

  CLI::App& get = *group.add_subcommand("get", "show every field of one asset");
  auto get_flags = std::make_shared<GetFlags>();
  get.add_option("ID", get_flags->id, "asset id")->required();
  get.callback([&chosen, flags = get_flags] {
    chosen = [flags](Session& session) {
      v1::GetAssetRequest request;
      request.set_id(flags->id);
      return GetAndPrint<v1::Asset>(session, AssetFieldColumns,
                                    [&](auto& stub, auto* context, auto* reply) {
                                      return stub.GetAsset(context, request, reply);
                                    });
    };
  });

  CLI::App& watch = *group.add_subcommand(
      "watch", "print assets as they commit, until Ctrl-C (replays from --cursor first)");
  auto watch_flags = std::make_shared<WatchFlags<AssetFilterFlags>>();
  AddAssetFilterFlags(watch, watch_flags->filter);
  AddFeedWatchingFlags(watch, watch_flags->watching);
  watch.callback([&chosen, flags = watch_flags] {
    chosen = [flags](Session& session) {
      ReferenceWords words;
      v1::WatchAssetsRequest request;
      if (grpc::Status s = BuildFilter(session, NeedsReferenceWords(flags->filter), words,
                                       [&](const ReferenceWords& known) {
                                         *request.mutable_filter() =
                                             BuildAssetFilter(flags->filter, known,
                                                              std::chrono::system_clock::now());
                                       });
          !s.ok()) {
        return s;
      }
      RecordPrinter<v1::Asset> printer = RowPrinter(session, AssetRowColumns(words));
      const std::unique_ptr<v1::FeedService::Stub> stub = NewStub(session);
      return PrintFeedStream<v1::WatchAssetsResponse>(
          session, request, flags->watching,
          [&](auto* context, const auto& watch_request) {
            return stub->WatchAssets(context, watch_request);
          },
          [](const v1::WatchAssetsResponse& r) -> const auto& { return r.assets(); }, printer);
    };
  });
}

}  // namespace

void AddFeedCommands(CLI::App& app, Action& chosen) {
  AddIncidentCommands(app, chosen);
  AddAssetCommands(app, chosen);
}

}  // namespace sitrep::cli
