#pragma once

#include <stdexcept>

namespace sitrep::cli {

// A problem with how sitrep was invoked that no call to the server can fix: a missing token, an
// unreadable file, a contradictory set of flags. Run() prints what() as one line and exits 2.
class UsageError final : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace sitrep::cli
