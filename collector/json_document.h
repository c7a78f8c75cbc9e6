#pragma once

#include <cstddef>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

namespace sitrep::collector {

// Reads and parses the JSON document in `path` of at most `max_bytes`. On failure returns
// nullopt with one sentence in `error`: "path:LINE: invalid JSON: ...", "path: larger than ...",
// or "path: cannot read". Nesting deeper than 256 levels counts as invalid, so a hostile file
// cannot exhaust the stack.
[[nodiscard]] std::optional<nlohmann::json> ParseJsonFile(const std::filesystem::path& path,
                                                          size_t max_bytes, std::string& error);
// The same for a document already in memory; `name` prefixes the error ("name:LINE: ...").
[[nodiscard]] std::optional<nlohmann::json> ParseJsonText(std::string_view text,
                                                          const std::string& name,
                                                          std::string& error);

// Non-throwing accessors for documents of unknown shape: the member or element when present
// with the expected type, else nullptr / an empty string.
[[nodiscard]] const nlohmann::json* Member(const nlohmann::json& object, std::string_view key);
[[nodiscard]] const nlohmann::json* ArrayMember(const nlohmann::json& object, std::string_view key);
[[nodiscard]] std::string StringMember(const nlohmann::json& object, std::string_view key);
[[nodiscard]] bool TrueMember(const nlohmann::json& object, std::string_view key);

}  // namespace sitrep::collector
