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
#include "cli/vulnerability_commands.h"
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

// What the incident and the asset commands differ in: their words, types and calls.
struct IncidentFeed {
  using Record = v1::Incident;
  using FilterFlags = IncidentFilterFlags;
  using ListRequest = v1::ListIncidentsRequest;
  using ListResponse = v1::ListIncidentsResponse;
  using WatchRequest = v1::WatchIncidentsRequest;
  using WatchResponse = v1::WatchIncidentsResponse;
  using GetRequest = v1::GetIncidentRequest;
  static constexpr const char* kGroup = "incidents";
  static constexpr const char* kGroupHelp = "the incident feed (regulators)";
  static constexpr const char* kListHelp =
      "list incidents in commit order, oldest first (amendments come again)";
  static constexpr const char* kGetHelp = "show every field of one incident";
  static constexpr const char* kIdHelp = "incident id";
  static constexpr const char* kWatchHelp =
      "print incidents as they commit, until Ctrl-C (replays from --cursor first)";
  static constexpr auto AddFilterFlags = AddIncidentFilterFlags;
  static constexpr auto BuildFilter = BuildIncidentFilter;
  static constexpr auto RowColumns = IncidentRowColumns;
  static constexpr auto FieldColumns = IncidentFieldColumns;
  static constexpr auto List = &v1::FeedService::Stub::ListIncidents;
  static constexpr auto Watch = &v1::FeedService::Stub::WatchIncidents;
  static constexpr auto Get = &v1::FeedService::Stub::GetIncident;
  static constexpr bool kShowsAdvisories = false;
  template <typename Response>
  static const auto& Records(const Response& response) {
    return response.incidents();
  }
};

struct AssetFeed {
  using Record = v1::Asset;
  using FilterFlags = AssetFilterFlags;
  using ListRequest = v1::ListAssetsRequest;
  using ListResponse = v1::ListAssetsResponse;
  using WatchRequest = v1::WatchAssetsRequest;
  using WatchResponse = v1::WatchAssetsResponse;
  using GetRequest = v1::GetAssetRequest;
  static constexpr const char* kGroup = "assets";
  static constexpr const char* kGroupHelp = "the industrial asset feed (regulators)";
  static constexpr const char* kListHelp =
      "list assets in commit order, oldest first (updated assets come again)";
  static constexpr const char* kGetHelp = "show every field of one asset";
  static constexpr const char* kIdHelp = "asset id";
  static constexpr const char* kWatchHelp =
      "print assets as they commit, until Ctrl-C (replays from --cursor first)";
  static constexpr auto AddFilterFlags = AddAssetFilterFlags;
  static constexpr auto BuildFilter = BuildAssetFilter;
  static constexpr auto RowColumns = AssetRowColumns;
  static constexpr auto FieldColumns = AssetFieldColumns;
  static constexpr auto List = &v1::FeedService::Stub::ListAssets;
  static constexpr auto Watch = &v1::FeedService::Stub::WatchAssets;
  static constexpr auto Get = &v1::FeedService::Stub::GetAsset;
  // An asset shown alone also lists the advisories it is matched by (the vulnerability base).
  static constexpr bool kShowsAdvisories = true;
  template <typename Response>
  static const auto& Records(const Response& response) {
    return response.assets();
  }
};

// Builds `request`'s filter from `flags` (see BuildFilter) and loads the words a table needs.
template <typename Feed, typename Request>
grpc::Status FillFilter(Session& session, const typename Feed::FilterFlags& flags,
                        ReferenceWords& words, Request& request) {
  return BuildFilter(session, NeedsReferenceWords(flags), words, [&](const ReferenceWords& known) {
    *request.mutable_filter() = Feed::BuildFilter(flags, known, std::chrono::system_clock::now());
  });
}

// `<group> list|get|watch` for one feed.
template <typename Feed>
void AddFeedGroup(CLI::App& app, Action& chosen) {
  using Record = typename Feed::Record;
  CLI::App& group = *app.add_subcommand(Feed::kGroup, Feed::kGroupHelp);
  group.require_subcommand(1);

  CLI::App& list = *group.add_subcommand("list", Feed::kListHelp);
  auto list_flags = std::make_shared<ListFlags<typename Feed::FilterFlags>>();
  Feed::AddFilterFlags(list, list_flags->filter);
  AddFeedPagingFlags(list, list_flags->paging);
  list.callback([&chosen, flags = list_flags] {
    chosen = [flags](Session& session) {
      ReferenceWords words;
      typename Feed::ListRequest request;
      if (grpc::Status s = FillFilter<Feed>(session, flags->filter, words, request); !s.ok()) {
        return s;
      }
      RecordPrinter<Record> printer = RowPrinter(session, Feed::RowColumns(words));
      const std::unique_ptr<v1::FeedService::Stub> stub = NewStub(session);
      return PrintFeedPages<typename Feed::ListResponse>(
          session, request, flags->paging,
          [&](auto* context, const auto& page_request, auto* response) {
            return ((*stub).*Feed::List)(context, page_request, response);
          },
          [](const typename Feed::ListResponse& r) -> const auto& { return Feed::Records(r); },
          printer);
    };
  });

  CLI::App& get = *group.add_subcommand("get", Feed::kGetHelp);
  auto get_flags = std::make_shared<GetFlags>();
  get.add_option("ID", get_flags->id, Feed::kIdHelp)->required();
  get.callback([&chosen, flags = get_flags] {
    chosen = [flags](Session& session) {
      typename Feed::GetRequest request;
      request.set_id(flags->id);
      grpc::Status status = GetAndPrint<Record>(session, Feed::FieldColumns,
                                                [&](auto& stub, auto* context, auto* reply) {
                                                  return (stub.*Feed::Get)(context, request, reply);
                                                });
      if (status.ok() && Feed::kShowsAdvisories) status = PrintAssetAdvisories(session, flags->id);
      return status;
    };
  });

  CLI::App& watch = *group.add_subcommand("watch", Feed::kWatchHelp);
  auto watch_flags = std::make_shared<WatchFlags<typename Feed::FilterFlags>>();
  Feed::AddFilterFlags(watch, watch_flags->filter);
  AddFeedWatchingFlags(watch, watch_flags->watching);
  watch.callback([&chosen, flags = watch_flags] {
    chosen = [flags](Session& session) {
      ReferenceWords words;
      typename Feed::WatchRequest request;
      if (grpc::Status s = FillFilter<Feed>(session, flags->filter, words, request); !s.ok()) {
        return s;
      }
      RecordPrinter<Record> printer = RowPrinter(session, Feed::RowColumns(words));
      const std::unique_ptr<v1::FeedService::Stub> stub = NewStub(session);
      return PrintFeedStream<typename Feed::WatchResponse>(
          session, request, flags->watching,
          [&](auto* context, const auto& watch_request) {
            return ((*stub).*Feed::Watch)(context, watch_request);
          },
          [](const typename Feed::WatchResponse& r) -> const auto& { return Feed::Records(r); },
          printer);
    };
  });
}

}  // namespace

void AddFeedCommands(CLI::App& app, Action& chosen) {
  AddFeedGroup<IncidentFeed>(app, chosen);
  AddFeedGroup<AssetFeed>(app, chosen);
}

}  // namespace sitrep::cli
