#include "domain/credit_code.h"

#include <array>

namespace sitrep {
namespace {

constexpr std::string_view kAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";
constexpr std::array<int, 17> kWeights = {1,  3,  9,  27, 19, 26, 16, 17, 20,
                                          29, 25, 13, 8,  24, 10, 30, 28};

}  // namespace

std::optional<char> CreditCodeCheckCharacter(std::string_view first17) {
  if (first17.size() != kWeights.size()) return std::nullopt;
  int sum = 0;
  for (size_t i = 0; i < first17.size(); ++i) {
    const size_t value = kAlphabet.find(first17[i]);
    if (value == std::string_view::npos) return std::nullopt;
    sum += static_cast<int>(value) * kWeights[i];
  }
  const int check = (31 - sum % 31) % 31;  // 31 wraps to 0, as the standard says
  return kAlphabet[static_cast<size_t>(check)];
}

bool IsValidCreditCode(std::string_view code) {
  if (code.size() != 18) return false;
  const std::optional<char> check = CreditCodeCheckCharacter(code.substr(0, 17));
  return check.has_value() && *check == code[17];
}

}  // namespace sitrep
