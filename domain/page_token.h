#pragma once

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "domain/field_violation.h"

namespace sitrep {

// Opaque page tokens for keyset paging: the position after which the next page starts.
// Tokens are tagged with the list they belong to, so a token of one list is refused by another.

[[nodiscard]] std::string EncodePageToken(std::string_view list, int64_t after);

// The position in `token`; 0 for an empty token; nullopt when the token is malformed or was
// made for another list.
[[nodiscard]] std::optional<int64_t> DecodePageToken(std::string_view list, std::string_view token);

// A position in a commit-ordered feed (storage/migrations/0005_feeds.sql): the writing
// transaction's id and the row's sequence number. Zero is the start of the feed.
struct FeedPosition {
  uint64_t xid = 0;
  int64_t seq = 0;
  friend auto operator<=>(const FeedPosition&, const FeedPosition&) = default;
};

// Opaque cursors of a feed ("incidents", "assets"), tagged like page tokens.
[[nodiscard]] std::string EncodeFeedCursor(std::string_view feed, FeedPosition position);
// The position in `cursor`; the start for an empty one; nullopt when malformed or of another
// feed.
[[nodiscard]] std::optional<FeedPosition> DecodeFeedCursor(std::string_view feed,
                                                           std::string_view cursor);

// Whether `position` lies at or past a feed's end, the next transaction id to be assigned
// (storage/feed_horizon.h): such a cursor was never issued, and a consumer following it would
// wait forever. A cursor equal to the newest position is not beyond the end.
[[nodiscard]] constexpr bool IsBeyondFeedEnd(FeedPosition position, uint64_t end) {
  return position.xid >= end;
}

// A violation of `field` (a cursor or page token) for lying beyond its feed's end.
[[nodiscard]] FieldViolation CursorBeyondEnd(const std::string& field);

// The page size to use: `requested` when 1..max, the default when 0, nullopt when negative or
// above `max`.
[[nodiscard]] std::optional<int> PageSize(int requested, int default_size = 100, int max = 1000);

}  // namespace sitrep
