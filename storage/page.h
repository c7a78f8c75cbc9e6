#pragma once

#include <cstdint>
#include <vector>

namespace sitrep::storage {

// One page of a keyset-paged list: the items and the key of the last one (0 when the page is
// the last). The domain layer turns `last_key` into an opaque page token.
template <class T>
struct Page {
  std::vector<T> items;
  int64_t last_key = 0;
};

}  // namespace sitrep::storage
