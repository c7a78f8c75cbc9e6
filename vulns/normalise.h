#pragma once

#include <string>
#include <string_view>

// Vendor and product names as advisories and assets spell them, folded to one key each, so
// "Mitsubishi Electric", " Mitsubishi Electric" and "Mitsubishi Electric Corporation" compare
// equal. The vendor rules are data (vulns/vendor_aliases.csv, embedded into the library at
// build time: the server needs no file at run time); the file says where each alias comes from.
namespace sitrep::vulns {

// ASCII case folded, "(...)" dropped, commas to spaces, whitespace collapsed, trailing '.',
// '-' trimmed; then the table's cut phrases, legal suffixes (repeatedly, never down to
// nothing) and aliases. Non-ASCII bytes are kept as they are.
[[nodiscard]] std::string Normalise(std::string_view vendor);

// ASCII case folded, '_' as a space, whitespace collapsed, "™", "®" and "©" dropped.
[[nodiscard]] std::string NormaliseProduct(std::string_view product);

}  // namespace sitrep::vulns
