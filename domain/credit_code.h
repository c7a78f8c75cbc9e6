#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace sitrep {

// Unified social credit code (统一社会信用代码, GB 32100-2015): 18 characters of
// "0123456789ABCDEFGHJKLMNPQRTUWXY", the last a check character over the first 17.

// True when `code` has the right length, alphabet and check character.
[[nodiscard]] bool IsValidCreditCode(std::string_view code);

// The check character for the first 17 characters, or nullopt when they are not 17 characters
// of the alphabet. Used by generators of demo data.
[[nodiscard]] std::optional<char> CreditCodeCheckCharacter(std::string_view first17);

}  // namespace sitrep
