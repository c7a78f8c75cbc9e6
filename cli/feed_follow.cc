#include "cli/feed_follow.h"

#include <CLI/CLI.hpp>
#include <stdexcept>

namespace sitrep::cli {

void AddFeedPagingFlags(CLI::App& command, FeedPaging& paging) {
  command.add_option("--page-size", paging.page_size, "records per call (server default 100)")
      ->check(CLI::Range(1, 1000));
  CLI::Option* token =
      command.add_option("--page-token", paging.page_token,
                         "start after this position: a next page token, or a record's cursor");
  command.add_flag("--all", paging.all, "go on page after page until caught up");
  command
      .add_option("--follow", paging.follow_file,
                  "keep the feed position in FILE: start where the last run stopped, print "
                  "only what came since, until caught up (for cron)")
      ->type_name("FILE")
      ->excludes(token);
}

void AddFeedWatchingFlags(CLI::App& command, FeedWatching& watching) {
  CLI::Option* cursor = command.add_option(
      "--cursor", watching.cursor,
      "replay from this position (a record's cursor), then go on live; default: from now");
  command
      .add_option("--follow", watching.follow_file,
                  "keep the feed position in FILE: replay from where the last run stopped "
                  "(the first run starts from now)")
      ->type_name("FILE")
      ->excludes(cursor);
}

void FlushPrinted(Session& session) {
  session.out().flush();
  if (!session.out()) {
    throw std::runtime_error("cannot write to standard output; the feed position was not moved");
  }
}

}  // namespace sitrep::cli
