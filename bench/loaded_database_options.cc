#include "bench/loaded_database_options.h"

#include <CLI/CLI.hpp>
#include <exception>
#include <string>

#include "collector/provinces.h"

namespace sitrep::bench {

void AddLoadedDatabaseOptions(CLI::App& command, uint64_t& incidents, uint32_t& province) {
  command
      .add_option("--incidents", incidents,
                  "incidents the bench's loader principal should have (missing ones are COPYed)")
      ->capture_default_str()
      ->check(CLI::Range(uint64_t{0}, uint64_t{1'000'000'000}));
  command.add_option("--province", province, "the provincial regulator's province")
      ->capture_default_str()
      ->check(CLI::Validator(
          [](const std::string& text) {
            try {
              return collector::IsProvinceCode(static_cast<uint32_t>(std::stoul(text)))
                         ? std::string()
                         : "not a province code: " + text;
            } catch (const std::exception&) {
              return "not a province code: " + text;
            }
          },
          "PROVINCE"));
}

}  // namespace sitrep::bench
