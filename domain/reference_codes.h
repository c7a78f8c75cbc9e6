#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "sitrep/v1/registry.pb.h"

namespace sitrep {

// The seeded reference tables (provinces, sectors) as loaded from the database at start, so
// checks can name a wrong code precisely instead of failing on a foreign key.
struct ReferenceCodes {
  std::map<uint32_t, v1::Province> provinces;  // by GB/T 2260 code
  std::map<std::string, v1::Sector> sectors;   // by sector code

  [[nodiscard]] bool HasProvince(uint32_t code) const { return provinces.contains(code); }
  [[nodiscard]] bool HasSector(const std::string& code) const { return sectors.contains(code); }
};

}  // namespace sitrep
