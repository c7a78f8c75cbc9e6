#pragma once

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <functional>
#include <thread>
#include <utility>

#include "domain/page_token.h"
#include "storage/feed_listener.h"
#include "storage/feed_store.h"

namespace sitrep::feeds {

// Pages and live watches of every commit-ordered feed: FeedService's incidents and assets and
// NotificationService's inbox (SPEC §3, §4). One home, so that every watch heartbeats, waits and
// waits out a held-back commit alike.

// A quiet watch gets an empty message carrying its cursor this often.
inline constexpr auto kWatchHeartbeat = std::chrono::seconds(5);

// Moves the records of `page` into `records`, each with its cursor of `feed`; returns the
// position of the last one, or `position` when the page is empty.
template <class Record, class Repeated>
FeedPosition AppendFeedPage(storage::FeedPage<Record>& page, const char* feed, Repeated* records,
                            FeedPosition position) {
  for (size_t i = 0; i < page.records.size(); ++i) {
    page.records[i].set_cursor(EncodeFeedCursor(feed, page.positions[i]));
    *records->Add() = std::move(page.records[i]);
    position = page.positions[i];
  }
  return position;
}

// Sends what `read_page(after)` gives (a storage::FeedPage) from `position` on, then what
// commits, until `send` returns false (the client went away) or `stopped()` is true. Each
// message carries its records (in the repeated field `records_of(response)`) and the cursor of
// its last one. Woken by `listener` when `table` changes, and at least once a second to look at
// `stopped`. Returns the number of records sent. Throws only when PostgreSQL fails.
template <class Response, class ReadPage, class RecordsOf>
int64_t WatchFeed(storage::FeedListener& listener, storage::FeedListener::Table table,
                  const char* feed, FeedPosition position, const ReadPage& read_page,
                  const RecordsOf& records_of, const std::function<bool(const Response&)>& send,
                  const std::function<bool()>& stopped) {
  constexpr auto kWakeCheck = std::chrono::milliseconds(1000);
  constexpr auto kFirstHeldBackWait = std::chrono::milliseconds(2);
  int64_t sent = 0;
  auto last_message = std::chrono::steady_clock::now();
  auto held_back_wait = kFirstHeldBackWait;
  while (!stopped()) {
    // Taken before the query, so a change heard while it runs wakes the wait below at once.
    const uint64_t generation = listener.generation(table);
    auto page = read_page(position);
    if (!page.records.empty()) {
      Response response;
      position = AppendFeedPage(page, feed, records_of(response), position);
      response.set_cursor(EncodeFeedCursor(feed, position));
      sent += records_of(response)->size();
      if (!send(response)) break;
      last_message = std::chrono::steady_clock::now();
      held_back_wait = kFirstHeldBackWait;
      continue;  // a full page may have more behind it
    }
    // A change heard to commit lies at or past the horizon: an older transaction still running
    // holds it back (storage/feed_store.h). It is served as soon as that one ends, so look
    // again shortly rather than wait for a wake-up.
    if (listener.latest_xid(table) >= page.horizon) {
      std::this_thread::sleep_for(held_back_wait);
      held_back_wait = std::min(held_back_wait * 2, std::chrono::milliseconds(200));
      continue;
    }
    if (std::chrono::steady_clock::now() - last_message >= kWatchHeartbeat) {
      Response heartbeat;
      heartbeat.set_cursor(EncodeFeedCursor(feed, position));
      if (!send(heartbeat)) break;
      last_message = std::chrono::steady_clock::now();
    }
    listener.WaitForChange(table, generation, kWakeCheck);
  }
  return sent;
}

}  // namespace sitrep::feeds
