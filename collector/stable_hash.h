#pragma once

#include <cstdint>
#include <string_view>

namespace sitrep::collector {

// A 64-bit hash of `text` that never changes between runs, builds or machines (FNV-1a, then a
// SplitMix64 finaliser so that nearby keys spread over all bits). `salt` gives independent
// hashes of one key, e.g. one for the address and one for the protocol.
[[nodiscard]] constexpr uint64_t StableHash(std::string_view text, uint64_t salt = 0) {
  uint64_t hash = 0xcbf29ce484222325ull ^ salt;
  for (const char c : text) {
    hash ^= static_cast<uint8_t>(c);
    hash *= 0x100000001b3ull;
  }
  hash ^= hash >> 30;
  hash *= 0xbf58476d1ce4e5b9ull;
  hash ^= hash >> 27;
  hash *= 0x94d049bb133111ebull;
  return hash ^ (hash >> 31);
}

}  // namespace sitrep::collector
