#include "cli/reference_words.h"

#include <cctype>
#include <utility>
#include <vector>

namespace sitrep::cli {
namespace {

// What people leave out of a Chinese province name, longest first, and what stays in its
// place: 广西壮族自治区 is 广西, 新疆生产建设兵团 is 新疆兵团.
constexpr std::pair<std::string_view, std::string_view> kChineseSuffixes[] = {
    {"维吾尔自治区", ""},     {"壮族自治区", ""}, {"回族自治区", ""}, {"特别行政区", ""},
    {"生产建设兵团", "兵团"}, {"自治区", ""},     {"省", ""},         {"市", ""},
};

// ASCII letters lowered, ASCII spaces, hyphens, underscores, dots and parentheses dropped;
// other bytes (Chinese) kept as they are.
std::string Normalised(std::string_view word) {
  std::string normalised;
  for (const char c : word) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x80 && !std::isalnum(byte)) continue;
    normalised += static_cast<char>(byte < 0x80 ? std::tolower(byte) : byte);
  }
  return normalised;
}

std::string ChineseShortName(const std::string& name) {
  for (const auto& [suffix, replacement] : kChineseSuffixes) {
    if (name.size() > suffix.size() &&
        name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0) {
      return name.substr(0, name.size() - suffix.size()) + std::string(replacement);
    }
  }
  return name;
}

// "Xizang (Tibet)" answers to "Xizang (Tibet)", "Xizang" and "Tibet".
std::vector<std::string> EnglishNames(const std::string& name) {
  std::vector<std::string> names = {name};
  const std::size_t open = name.find('(');
  const std::size_t close = name.find(')', open);
  if (open != std::string::npos && close != std::string::npos) {
    names.push_back(name.substr(0, open));
    names.push_back(name.substr(open + 1, close - open - 1));
  }
  return names;
}

}  // namespace

ReferenceWords::ReferenceWords(const v1::ListReferenceCodesResponse& codes) {
  for (const v1::Province& province : codes.provinces()) {
    provinces_[province.code()] = province;
    province_words_[std::to_string(province.code())] = province.code();
    for (const std::string& name : EnglishNames(province.name_en())) {
      province_words_[Normalised(name)] = province.code();
    }
    province_words_[Normalised(province.name_zh())] = province.code();
    province_words_[Normalised(ChineseShortName(province.name_zh()))] = province.code();
  }
  for (const v1::Sector& sector : codes.sectors()) {
    sectors_[sector.code()] = sector;
    sector_words_[Normalised(sector.code())] = sector.code();
    sector_words_[Normalised(sector.name_zh())] = sector.code();
  }
  // An empty word (e.g. "()") must never name anything.
  province_words_.erase("");
  sector_words_.erase("");
}

std::optional<std::uint32_t> ReferenceWords::ParseProvince(std::string_view word) const {
  const auto it = province_words_.find(Normalised(word));
  if (it == province_words_.end()) return std::nullopt;
  return it->second;
}

std::optional<std::string> ReferenceWords::ParseSector(std::string_view word) const {
  const auto it = sector_words_.find(Normalised(word));
  if (it == sector_words_.end()) return std::nullopt;
  return it->second;
}

std::string ReferenceWords::ProvinceShortName(std::uint32_t code) const {
  if (code == 0) return "-";
  const auto it = provinces_.find(code);
  return it == provinces_.end() ? std::to_string(code) : ChineseShortName(it->second.name_zh());
}

std::string ReferenceWords::ProvinceFullName(std::uint32_t code) const {
  if (code == 0) return "-";
  const auto it = provinces_.find(code);
  if (it == provinces_.end()) return std::to_string(code);
  return std::to_string(code) + " " + it->second.name_zh() + " " + it->second.name_en();
}

std::string ReferenceWords::SectorFullName(const std::string& code) const {
  const auto it = sectors_.find(code);
  return it == sectors_.end() ? code : code + " " + it->second.name_zh();
}

std::string ReferenceWords::SectorCodes() const {
  std::string codes;
  for (const auto& [code, sector] : sectors_) codes += (codes.empty() ? "" : ", ") + code;
  return codes;
}

}  // namespace sitrep::cli
