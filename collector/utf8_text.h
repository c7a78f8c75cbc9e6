#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace sitrep::collector {

// The byte offset of the first byte of `text` that does not start a well-formed UTF-8 sequence
// (overlongs, surrogates and code points above U+10FFFF included), or nullopt when all is UTF-8.
[[nodiscard]] std::optional<size_t> FirstInvalidUtf8(std::string_view text);

// `text` made fit for a one-line record field (vendor, product, title): runs of whitespace and
// line breaks become one space, other control characters go, ends are trimmed, bytes that are
// not UTF-8 become U+FFFD, and the result is cut to at most `max_chars` code points.
[[nodiscard]] std::string CleanLine(std::string_view text, size_t max_chars);

// The same for free text (descriptions): keeps line breaks as "\n" and tabs, trims each end.
[[nodiscard]] std::string CleanParagraphs(std::string_view text, size_t max_chars);

}  // namespace sitrep::collector
