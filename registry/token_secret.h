#pragma once

#include <string>
#include <string_view>

namespace sitrep::registry {

// A new bearer secret: "srp_" followed by 32 random bytes (OpenSSL's CSPRNG) in base64url,
// 47 characters in all. Throws std::runtime_error if the CSPRNG fails.
[[nodiscard]] std::string NewTokenSecret();

// Lower-case hex SHA-256 of `secret`: the only form in which the server keeps a token.
[[nodiscard]] std::string Sha256Hex(std::string_view secret);

}  // namespace sitrep::registry
