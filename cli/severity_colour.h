#pragma once

#include <string>

#include "sitrep/v1/common.pb.h"

namespace sitrep::cli {

// Returns how a table shows `severity`: its Roman numeral, "I" (the worst) to "IV"; "-" when
// unspecified; the number when unknown.
[[nodiscard]] std::string SeverityText(v1::Severity severity);

// Returns the ANSI SGR parameters that colour `severity` on a terminal as the national
// emergency plan does: I red, II orange (bold yellow: basic terminals have no orange),
// III yellow, IV blue; "" for none. Table::Render applies them only with TableStyle::colour.
[[nodiscard]] std::string SeverityColour(v1::Severity severity);

}  // namespace sitrep::cli
