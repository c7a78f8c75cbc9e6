#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace sitrep {

// UTF-8 as the server's checks and the collector's importers read it: one decoder, so that
// what the collector lets through is what the server accepts. Well-formed means no overlong
// forms, no surrogates (U+D800..U+DFFF) and nothing above U+10FFFF.

// Decodes the code point starting at byte `pos` of `text` (pos < text.size()) into
// `code_point`; returns its length in bytes, or 0 when the bytes there are not well-formed.
[[nodiscard]] size_t DecodeUtf8(std::string_view text, size_t pos, uint32_t& code_point);

// Appends `code_point` (at most U+10FFFF, not a surrogate) to `out` as UTF-8.
void AppendUtf8(uint32_t code_point, std::string& out);

// The byte offset of the first byte of `text` that does not start a well-formed sequence, or
// nullopt when all of `text` is well-formed.
[[nodiscard]] std::optional<size_t> FirstInvalidUtf8(std::string_view text);

// True when `text` is well-formed UTF-8.
[[nodiscard]] bool IsValidUtf8(std::string_view text);

// Number of code points of well-formed UTF-8 `text`.
[[nodiscard]] size_t Utf8Length(std::string_view text);

// C0 and C1 control characters and DEL.
[[nodiscard]] constexpr bool IsControlCharacter(uint32_t code_point) {
  return code_point < 0x20 || code_point == 0x7F || (code_point >= 0x80 && code_point < 0xA0);
}

}  // namespace sitrep
