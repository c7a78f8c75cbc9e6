#include "collector/provinces.h"

#include <algorithm>

namespace sitrep::collector {

bool IsProvinceCode(uint32_t code) {
  return std::binary_search(kProvinceCodes.begin(), kProvinceCodes.end(), code);
}

ProvinceName ProvinceNameOf(uint32_t code) {
  for (const ProvinceName& name : kProvinceNames) {
    if (name.code == code) return name;
  }
  return {code, "", ""};
}

uint32_t ProvinceForHash(uint64_t hash) { return kProvinceCodes[hash % kProvinceCodes.size()]; }

}  // namespace sitrep::collector
