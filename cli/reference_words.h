#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "sitrep/v1/registry.pb.h"

namespace sitrep::cli {

// The server's provinces and sectors (RegistryService.ListReferenceCodes) as words people type
// and read: "Guangdong" or "广东" for 440000, "能源" for the sector "energy".
class ReferenceWords final {
 public:
  // Knows no province or sector: every Parse* returns nullopt, names are the codes.
  ReferenceWords() = default;
  explicit ReferenceWords(const v1::ListReferenceCodesResponse& codes);

  // Returns the code of the province `word` names: its GB/T 2260 code ("440000"); its English
  // name in any case, with or without spaces, hyphens and parentheses ("guangdong",
  // "inner-mongolia", "Xizang", "Tibet"); or its Chinese name, full or short ("广东省",
  // "广东", "广西", "新疆兵团"). Returns nullopt for a word no known province answers to.
  [[nodiscard]] std::optional<std::uint32_t> ParseProvince(std::string_view word) const;

  // Returns the sector code `word` names: the code itself ("energy", any case) or the
  // sector's Chinese name ("能源"); nullopt for anything else.
  [[nodiscard]] std::optional<std::string> ParseSector(std::string_view word) const;

  // "广东" for 440000, for a narrow table column; "-" for 0 (no province); the code's digits
  // when it is unknown.
  [[nodiscard]] std::string ProvinceShortName(std::uint32_t code) const;

  // "440000 广东省 Guangdong"; "-" for 0; the code's digits when it is unknown.
  [[nodiscard]] std::string ProvinceFullName(std::uint32_t code) const;

  // "energy 能源"; the code alone when it is unknown.
  [[nodiscard]] std::string SectorFullName(const std::string& code) const;

  // Every sector code, comma-separated, for the error line of an unknown sector.
  [[nodiscard]] std::string SectorCodes() const;

 private:
  std::map<std::uint32_t, v1::Province> provinces_;
  std::map<std::string, v1::Sector> sectors_;
  std::map<std::string, std::uint32_t> province_words_;  // normalised word -> code
  std::map<std::string, std::string> sector_words_;      // normalised word -> code
};

}  // namespace sitrep::cli
