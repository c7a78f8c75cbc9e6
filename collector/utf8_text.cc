#include "collector/utf8_text.h"

#include <algorithm>
#include <cstdint>

#include "domain/utf8.h"

namespace sitrep::collector {
namespace {

constexpr uint32_t kReplacement = 0xFFFD;

// The one cleaner behind CleanLine and CleanParagraphs: whitespace is folded to a single
// space, or kept as "\n" / "\t" when `multiline`; trailing whitespace never survives.
std::string Clean(std::string_view text, size_t max_chars, bool multiline) {
  std::string out;
  out.reserve(std::min(text.size(), max_chars * 4));
  size_t chars = 0;
  char pending = 0;  // whitespace seen since the last visible character
  for (size_t pos = 0; pos < text.size() && chars < max_chars;) {
    uint32_t c = 0;
    size_t length = DecodeUtf8(text, pos, c);
    if (length == 0) c = kReplacement, length = 1;
    pos += length;
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f') {
      const char kind = multiline && (c == '\n' || c == '\t') ? static_cast<char>(c) : ' ';
      if (pending != '\n') pending = kind;  // a line break outranks spaces around it
      continue;
    }
    if (IsControlCharacter(c)) continue;
    if (pending != 0 && !out.empty()) {
      if (chars + 2 > max_chars) break;  // a word cut to its separator would end in a space
      out.push_back(pending);
      ++chars;
    }
    pending = 0;
    AppendUtf8(c, out);
    ++chars;
  }
  return out;
}

}  // namespace

std::string CleanLine(std::string_view text, size_t max_chars) {
  return Clean(text, max_chars, /*multiline=*/false);
}

std::string CleanParagraphs(std::string_view text, size_t max_chars) {
  return Clean(text, max_chars, /*multiline=*/true);
}

}  // namespace sitrep::collector
