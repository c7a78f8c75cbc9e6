#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "domain/utf8.h"

namespace sitrep::collector {

// Cleaning of outside text for record fields. Decoding is domain/utf8.h's, which the server's
// checks use too: FirstInvalidUtf8 finds what the server would refuse.

// `text` made fit for a one-line record field (vendor, product, title): runs of whitespace and
// line breaks become one space, other control characters go, ends are trimmed, bytes that are
// not UTF-8 become U+FFFD, and the result is cut to at most `max_chars` code points.
[[nodiscard]] std::string CleanLine(std::string_view text, size_t max_chars);

// The same for free text (descriptions): keeps line breaks as "\n" and tabs, trims each end.
[[nodiscard]] std::string CleanParagraphs(std::string_view text, size_t max_chars);

}  // namespace sitrep::collector
