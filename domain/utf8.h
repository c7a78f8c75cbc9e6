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
// Inline: the field checks call it once per character of every record.
[[nodiscard]] inline size_t DecodeUtf8(std::string_view text, size_t pos, uint32_t& code_point) {
  const auto byte = [&](size_t i) { return static_cast<uint8_t>(text[pos + i]); };
  const uint8_t lead = byte(0);
  size_t length = 0;
  uint32_t min = 0;
  if (lead < 0x80) {
    code_point = lead;
    return 1;
  } else if ((lead & 0xE0) == 0xC0) {
    length = 2, min = 0x80, code_point = lead & 0x1F;
  } else if ((lead & 0xF0) == 0xE0) {
    length = 3, min = 0x800, code_point = lead & 0x0F;
  } else if ((lead & 0xF8) == 0xF0) {
    length = 4, min = 0x10000, code_point = lead & 0x07;
  } else {
    return 0;
  }
  if (pos + length > text.size()) return 0;
  for (size_t i = 1; i < length; ++i) {
    if ((byte(i) & 0xC0) != 0x80) return 0;
    code_point = (code_point << 6) | (byte(i) & 0x3F);
  }
  const bool surrogate = code_point >= 0xD800 && code_point <= 0xDFFF;
  if (code_point < min || surrogate || code_point > 0x10FFFF) return 0;
  return length;
}

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
