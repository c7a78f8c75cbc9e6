#pragma once

#include <cstdint>
#include <string_view>

namespace sitrep::collector {

// CRC-32C (Castagnoli), the checksum of iSCSI, ext4 and leveldb logs. `seed` chains calls:
// Crc32c(b, Crc32c(a)) == Crc32c(a + b). Pure and thread-safe.
[[nodiscard]] uint32_t Crc32c(std::string_view bytes, uint32_t seed = 0);

}  // namespace sitrep::collector
