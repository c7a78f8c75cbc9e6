#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>

// Where tests find data files. SITREP_TEST_DATA_DIR and SITREP_SHARED_DIR come from the
// sitrep_test_data CMake target (tests/support/CMakeLists.txt).
namespace sitrep::test {

// tests/data: small cuts of the public data sets, part of every checkout (tests/data/README.md
// names their sources and licences). Unit tests read these and nothing else.
[[nodiscard]] inline std::filesystem::path TestDataDir() { return SITREP_TEST_DATA_DIR; }

// The whole public data sets, in ../shared beside the repository as found at build time, or
// where the environment variable SITREP_SHARED_DIR says. Only the full-data tests (suites
// named *FullDataTest) read them.
[[nodiscard]] inline std::filesystem::path SharedDir() {
  const char* configured = std::getenv("SITREP_SHARED_DIR");
  return configured != nullptr && *configured != '\0' ? configured : SITREP_SHARED_DIR;
}

// Whether `path` (under SharedDir()) exists. A full-data test asserts it first, so a checkout
// without ../shared FAILS it with the place it looked, instead of skipping it silently:
//   ASSERT_TRUE(SharedDataPresent(file));
[[nodiscard]] inline ::testing::AssertionResult SharedDataPresent(
    const std::filesystem::path& path) {
  if (std::filesystem::exists(path)) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure()
         << path << " is missing. The full-data tests (*FullDataTest) read the public data sets "
         << "from ../shared beside the repository (expected at " << SITREP_SHARED_DIR
         << "; set SITREP_SHARED_DIR to use another place). The unit tests need none of it: "
         << "they read tests/data. To run without ../shared, filter with "
         << "--gtest_filter=-*FullDataTest*.";
}

}  // namespace sitrep::test
