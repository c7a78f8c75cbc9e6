#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace sitrep {

// Opaque page tokens for keyset paging: the position after which the next page starts.
// Tokens are tagged with the list they belong to, so a token of one list is refused by another.

[[nodiscard]] std::string EncodePageToken(std::string_view list, int64_t after);

// The position in `token`; 0 for an empty token; nullopt when the token is malformed or was
// made for another list.
[[nodiscard]] std::optional<int64_t> DecodePageToken(std::string_view list, std::string_view token);

// The page size to use: `requested` when 1..max, the default when 0, nullopt when negative or
// above `max`.
[[nodiscard]] std::optional<int> PageSize(int requested, int default_size = 100, int max = 1000);

}  // namespace sitrep
