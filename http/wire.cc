#include "http/wire.h"

#include <openssl/sha.h>

#include <cctype>

namespace sitrep::http {
namespace {

// std::isxdigit of a byte: a char above 0x7f is negative, which isxdigit may not be given.
bool IsHexDigit(char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; }

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  return std::tolower(static_cast<unsigned char>(c)) - 'a' + 10;
}

}  // namespace

boost::beast::http::status HttpStatusFor(grpc::StatusCode code) {
  using boost::beast::http::status;
  switch (code) {
    case grpc::StatusCode::OK:
      return status::ok;
    case grpc::StatusCode::INVALID_ARGUMENT:
    case grpc::StatusCode::OUT_OF_RANGE:
    case grpc::StatusCode::FAILED_PRECONDITION:
      return status::bad_request;
    case grpc::StatusCode::UNAUTHENTICATED:
      return status::unauthorized;
    case grpc::StatusCode::PERMISSION_DENIED:
      return status::forbidden;
    case grpc::StatusCode::NOT_FOUND:
      return status::not_found;
    case grpc::StatusCode::ALREADY_EXISTS:
    case grpc::StatusCode::ABORTED:
      return status::conflict;
    case grpc::StatusCode::RESOURCE_EXHAUSTED:
      return status::too_many_requests;
    case grpc::StatusCode::UNAVAILABLE:
      return status::service_unavailable;
    default:
      return status::internal_server_error;
  }
}

std::string UrlDecode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '+') {
      out.push_back(' ');
    } else if (text[i] == '%' && i + 2 < text.size() && IsHexDigit(text[i + 1]) &&
               IsHexDigit(text[i + 2])) {
      out.push_back(static_cast<char>(HexValue(text[i + 1]) * 16 + HexValue(text[i + 2])));
      i += 2;
    } else {
      out.push_back(text[i]);
    }
  }
  return out;
}

std::string Sha256Hex(std::string_view text) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(text.data()), text.size(), digest);
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(2 * sizeof digest);
  for (const unsigned char byte : digest) {
    hex.push_back(kDigits[byte >> 4]);
    hex.push_back(kDigits[byte & 15]);
  }
  return hex;
}

}  // namespace sitrep::http
