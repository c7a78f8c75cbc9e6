#include "cli/severity_colour.h"

namespace sitrep::cli {

std::string SeverityText(v1::Severity severity) {
  switch (severity) {
    case v1::SEVERITY_UNSPECIFIED:
      return "-";
    case v1::SEVERITY_I:
      return "I";
    case v1::SEVERITY_II:
      return "II";
    case v1::SEVERITY_III:
      return "III";
    case v1::SEVERITY_IV:
      return "IV";
    default:
      return std::to_string(static_cast<int>(severity));
  }
}

std::string SeverityColour(v1::Severity severity) {
  switch (severity) {
    case v1::SEVERITY_I:
      return "1;31";
    case v1::SEVERITY_II:
      return "1;33";
    case v1::SEVERITY_III:
      return "33";
    case v1::SEVERITY_IV:
      return "34";
    default:
      return std::string();
  }
}

}  // namespace sitrep::cli
