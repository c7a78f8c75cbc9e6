#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace sitrep::collector {

// How sitrep-collector authenticates to a remote TAXII server.
struct TaxiiCredentials {
  std::string user;     // "USER:PASSWORD" for basic auth; empty: none
  std::string token;    // bearer token; empty: none
  std::string ca_file;  // PEM CA certificates to verify the server; empty: the system's
};

// One answer of a TAXII server, or why none came.
struct TaxiiResponse {
  long status = 0;  // HTTP status; 0 when the request failed before an answer came
  std::string body;
  std::string date_added_last;  // the X-TAXII-Date-Added-Last header, when sent
  std::string error;            // the transport failure (libcurl's words) when status is 0
};

// A TAXII 2.1 HTTP client over libcurl (Debian's libcurl4-openssl-dev): keeps one connection
// alive between requests, follows no redirects, speaks http and https only. Not thread-safe.
class TaxiiClient final {
 public:
  explicit TaxiiClient(TaxiiCredentials credentials);
  ~TaxiiClient();
  TaxiiClient(const TaxiiClient&) = delete;
  TaxiiClient& operator=(const TaxiiClient&) = delete;

  // GETs `url` accepting application/taxii+json;version=2.1. A body larger than `max_bytes`
  // fails the request (status 0, error says so). Never throws.
  [[nodiscard]] TaxiiResponse Get(const std::string& url, size_t max_bytes);

  // `text` percent-encoded for a query parameter.
  [[nodiscard]] std::string Escape(std::string_view text);

 private:
  const TaxiiCredentials credentials_;
  void* curl_;  // libcurl's easy handle (CURL*, which curl.h declares as void)
};

}  // namespace sitrep::collector
