#include "collector/utf8_text.h"

#include <cstdint>

namespace sitrep::collector {
namespace {

constexpr uint32_t kReplacement = 0xFFFD;

// Decodes one code point at `pos`; returns its length, or 0 for an ill-formed sequence.
size_t Decode(std::string_view text, size_t pos, uint32_t& code_point) {
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
  if (code_point < min || code_point > 0x10FFFF || surrogate) return 0;
  return length;
}

void Encode(uint32_t code_point, std::string& out) {
  if (code_point < 0x80) {
    out.push_back(static_cast<char>(code_point));
  } else if (code_point < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (code_point >> 6)));
    out.push_back(static_cast<char>(0x80 | (code_point & 0x3F)));
  } else if (code_point < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (code_point >> 12)));
    out.push_back(static_cast<char>(0x80 | ((code_point >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (code_point & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (code_point >> 18)));
    out.push_back(static_cast<char>(0x80 | ((code_point >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((code_point >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (code_point & 0x3F)));
  }
}

bool IsControl(uint32_t c) { return c < 0x20 || c == 0x7F || (c >= 0x80 && c < 0xA0); }

// The one cleaner behind CleanLine and CleanParagraphs: whitespace is folded to a single
// space, or kept as "\n" / "\t" when `multiline`; trailing whitespace never survives.
std::string Clean(std::string_view text, size_t max_chars, bool multiline) {
  std::string out;
  out.reserve(std::min(text.size(), max_chars * 4));
  size_t chars = 0;
  char pending = 0;  // whitespace seen since the last visible character
  for (size_t pos = 0; pos < text.size() && chars < max_chars;) {
    uint32_t c = 0;
    size_t length = Decode(text, pos, c);
    if (length == 0) c = kReplacement, length = 1;
    pos += length;
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f') {
      const char kind = multiline && (c == '\n' || c == '\t') ? static_cast<char>(c) : ' ';
      if (pending != '\n') pending = kind;  // a line break outranks spaces around it
      continue;
    }
    if (IsControl(c)) continue;
    if (pending != 0 && !out.empty()) {
      if (chars + 2 > max_chars) break;  // a word cut to its separator would end in a space
      out.push_back(pending);
      ++chars;
    }
    pending = 0;
    Encode(c, out);
    ++chars;
  }
  return out;
}

}  // namespace

std::optional<size_t> FirstInvalidUtf8(std::string_view text) {
  uint32_t code_point = 0;
  for (size_t pos = 0; pos < text.size();) {
    const size_t length = Decode(text, pos, code_point);
    if (length == 0) return pos;
    pos += length;
  }
  return std::nullopt;
}

std::string CleanLine(std::string_view text, size_t max_chars) {
  return Clean(text, max_chars, /*multiline=*/false);
}

std::string CleanParagraphs(std::string_view text, size_t max_chars) {
  return Clean(text, max_chars, /*multiline=*/true);
}

}  // namespace sitrep::collector
