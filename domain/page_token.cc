#include "domain/page_token.h"

#include <charconv>

namespace sitrep {
namespace {

// Hex keeps tokens URL- and shell-safe without a base64 dependency; the list tag keeps them
// from being mixed up. They are opaque to clients, not secret.
std::string ToHex(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string hex;
  for (const unsigned char c : bytes) {
    hex += kDigits[c >> 4];
    hex += kDigits[c & 15];
  }
  return hex;
}

std::optional<std::string> FromHex(std::string_view hex) {
  if (hex.size() % 2 != 0) return std::nullopt;
  std::string bytes;
  for (size_t i = 0; i < hex.size(); i += 2) {
    unsigned value = 0;
    const auto [end, error] = std::from_chars(hex.data() + i, hex.data() + i + 2, value, 16);
    if (error != std::errc() || end != hex.data() + i + 2) return std::nullopt;
    bytes += static_cast<char>(value);
  }
  return bytes;
}

}  // namespace

std::string EncodePageToken(std::string_view list, int64_t after) {
  return ToHex(std::string(list) + ":" + std::to_string(after));
}

std::optional<int64_t> DecodePageToken(std::string_view list, std::string_view token) {
  if (token.empty()) return 0;
  if (token.size() > 200) return std::nullopt;
  const std::optional<std::string> text = FromHex(token);
  if (!text || text->size() <= list.size() + 1 || text->compare(0, list.size(), list) != 0 ||
      (*text)[list.size()] != ':') {
    return std::nullopt;
  }
  const std::string_view number = std::string_view(*text).substr(list.size() + 1);
  int64_t after = 0;
  const auto [end, error] = std::from_chars(number.data(), number.data() + number.size(), after);
  if (error != std::errc() || end != number.data() + number.size() || after < 0) {
    return std::nullopt;
  }
  return after;
}

std::string EncodeFeedCursor(std::string_view feed, FeedPosition position) {
  return ToHex(std::string(feed) + "@" + std::to_string(position.xid) + "." +
               std::to_string(position.seq));
}

std::optional<FeedPosition> DecodeFeedCursor(std::string_view feed, std::string_view cursor) {
  if (cursor.empty()) return FeedPosition{};
  if (cursor.size() > 200) return std::nullopt;
  const std::optional<std::string> text = FromHex(cursor);
  if (!text || text->size() <= feed.size() + 1 || text->compare(0, feed.size(), feed) != 0 ||
      (*text)[feed.size()] != '@') {
    return std::nullopt;
  }
  const std::string_view rest = std::string_view(*text).substr(feed.size() + 1);
  const size_t dot = rest.find('.');
  if (dot == std::string_view::npos) return std::nullopt;
  FeedPosition position;
  const auto [xid_end, xid_error] = std::from_chars(rest.data(), rest.data() + dot, position.xid);
  const auto [seq_end, seq_error] =
      std::from_chars(rest.data() + dot + 1, rest.data() + rest.size(), position.seq);
  if (xid_error != std::errc() || xid_end != rest.data() + dot || seq_error != std::errc() ||
      seq_end != rest.data() + rest.size() || position.seq < 0) {
    return std::nullopt;
  }
  return position;
}

FieldViolation CursorBeyondEnd(const std::string& field) {
  return {field, "CURSOR_BEYOND_END",
          field + " lies beyond the end of the feed: it was not issued by this server."};
}

std::optional<int> PageSize(int requested, int default_size, int max) {
  if (requested == 0) return default_size;
  if (requested < 0 || requested > max) return std::nullopt;
  return requested;
}

}  // namespace sitrep
