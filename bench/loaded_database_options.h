#pragma once

#include <cstdint>

namespace CLI {
class App;
}  // namespace CLI

namespace sitrep::bench {

// The options of every mode that reads a loaded database (feeds, situation): how many incidents
// the loader principal should have, and the province of the provincial caller.
void AddLoadedDatabaseOptions(CLI::App& command, uint64_t& incidents, uint32_t& province);

}  // namespace sitrep::bench
