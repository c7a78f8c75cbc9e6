#include "collector/json_document.h"

#include <algorithm>
#include <fstream>

namespace sitrep::collector {
namespace {

constexpr int kMaxDepth = 256;

}  // namespace

std::optional<nlohmann::json> ParseJsonFile(const std::filesystem::path& path, size_t max_bytes,
                                            std::string& error) {
  std::error_code size_error;
  const uintmax_t size = std::filesystem::file_size(path, size_error);
  if (size_error) {
    error = path.string() + ": cannot read: " + size_error.message();
    return std::nullopt;
  }
  if (size > max_bytes) {
    error = path.string() + ": larger than " + std::to_string(max_bytes >> 20) + " MiB";
    return std::nullopt;
  }
  std::ifstream in(path, std::ios::binary);
  std::string text(static_cast<size_t>(size), '\0');
  if (!in || !in.read(text.data(), static_cast<std::streamsize>(text.size()))) {
    error = path.string() + ": cannot read";
    return std::nullopt;
  }
  return ParseJsonText(text, path.string(), error);
}

std::optional<nlohmann::json> ParseJsonText(std::string_view text, const std::string& name,
                                            std::string& error) {
  bool too_deep = false;
  const nlohmann::json::parser_callback_t limit_depth =
      [&](int depth, nlohmann::json::parse_event_t, nlohmann::json&) {
        if (depth > kMaxDepth) too_deep = true;
        return !too_deep;
      };
  try {
    nlohmann::json document = nlohmann::json::parse(text, limit_depth);
    if (too_deep) {
      error = name + ": invalid JSON: nested deeper than " + std::to_string(kMaxDepth) + " levels";
      return std::nullopt;
    }
    return document;
  } catch (const nlohmann::json::parse_error& parse_error) {
    const size_t at = std::min<size_t>(parse_error.byte, text.size());
    const auto line = 1 + std::count(text.begin(), text.begin() + static_cast<ptrdiff_t>(at), '\n');
    std::string message = parse_error.what();
    // "[json.exception.parse_error.101] parse error at line 3, column 5: syntax error ..."
    if (const size_t colon = message.find(": "); colon != std::string::npos) {
      message.erase(0, colon + 2);
    }
    error = name + ":" + std::to_string(line) + ": invalid JSON: " + message;
    return std::nullopt;
  } catch (const nlohmann::json::exception& other) {
    // Not only syntax: a number beyond a double's range (1e400) throws out_of_range.
    std::string message = other.what();
    if (const size_t space = message.find("] "); space != std::string::npos) {
      message.erase(0, space + 2);
    }
    error = name + ": invalid JSON: " + message;
    return std::nullopt;
  }
}

const nlohmann::json* Member(const nlohmann::json& object, std::string_view key) {
  if (!object.is_object()) return nullptr;
  const auto found = object.find(key);
  return found == object.end() ? nullptr : &*found;
}

const nlohmann::json* ArrayMember(const nlohmann::json& object, std::string_view key) {
  const nlohmann::json* member = Member(object, key);
  return member != nullptr && member->is_array() ? member : nullptr;
}

std::string StringMember(const nlohmann::json& object, std::string_view key) {
  const nlohmann::json* member = Member(object, key);
  return member != nullptr && member->is_string() ? member->get<std::string>() : std::string();
}

bool TrueMember(const nlohmann::json& object, std::string_view key) {
  const nlohmann::json* member = Member(object, key);
  return member != nullptr && member->is_boolean() && member->get<bool>();
}

}  // namespace sitrep::collector
