#pragma once

#include <grpcpp/support/status.h>

#include <boost/beast/http/status.hpp>
#include <ostream>  // Beast's status.hpp streams to std::ostream without including it
#include <string>
#include <string_view>

namespace sitrep::http {

// What both HTTP front ends (the JSON API in edge.cc, TAXII in taxii.cc) say the same way.

// The HTTP status that stands for a gRPC status code.
[[nodiscard]] boost::beast::http::status HttpStatusFor(grpc::StatusCode code);

// A query-string value decoded: '+' is a space, "%hh" a byte; a '%' not followed by two hex
// digits stays as it is.
[[nodiscard]] std::string UrlDecode(std::string_view text);

// The SHA-256 of `text` in lower-case hex: how tokens, sessions and CSRF tokens are stored.
[[nodiscard]] std::string Sha256Hex(std::string_view text);

}  // namespace sitrep::http
