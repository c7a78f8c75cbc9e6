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

// The key products of one normalised vendor compare by: NormaliseProduct with the vendor's name
// in front dropped, so "Siemens SIMATIC S7-1500" and "SIMATIC S7-1500" of vendor "siemens" are
// both "simatic s7-1500". The one home of the product rule: vulns::Match calls two products
// the same exactly when their keys are equal and not empty, and the asset writer stores the
// key beside the asset (assets.product_key), so matching fetches only the assets of a leaf's
// (vendor, key) instead of every asset of the vendor.
[[nodiscard]] std::string ProductKey(std::string_view vendor_norm, std::string_view product);

}  // namespace sitrep::vulns
