#include "collector/taxii_client.h"

#include <curl/curl.h>
#include <strings.h>

namespace sitrep::collector {
namespace {

constexpr const char* kAccept = "Accept: application/taxii+json;version=2.1";

struct Transfer {
  std::string* body;
  size_t max_bytes;
  bool too_large = false;
  std::string* date_added_last;
};

size_t OnBody(char* data, size_t size, size_t count, void* user) {
  auto& transfer = *static_cast<Transfer*>(user);
  const size_t bytes = size * count;
  if (transfer.body->size() + bytes > transfer.max_bytes) {
    transfer.too_large = true;
    return 0;  // aborts the transfer
  }
  transfer.body->append(data, bytes);
  return bytes;
}

size_t OnHeader(char* data, size_t size, size_t count, void* user) {
  auto& transfer = *static_cast<Transfer*>(user);
  const size_t bytes = size * count;
  std::string_view line(data, bytes);
  constexpr std::string_view kName = "x-taxii-date-added-last:";
  if (line.size() > kName.size() && strncasecmp(line.data(), kName.data(), kName.size()) == 0) {
    line.remove_prefix(kName.size());
    while (!line.empty() && (line.front() == ' ' || line.front() == '\t')) line.remove_prefix(1);
    while (!line.empty() && (line.back() == '\r' || line.back() == '\n' || line.back() == ' ')) {
      line.remove_suffix(1);
    }
    *transfer.date_added_last = std::string(line);
  }
  return bytes;
}

}  // namespace

TaxiiClient::TaxiiClient(TaxiiCredentials credentials)
    : credentials_(std::move(credentials)), curl_(curl_easy_init()) {}

TaxiiClient::~TaxiiClient() {
  if (curl_ != nullptr) curl_easy_cleanup(curl_);
}

std::string TaxiiClient::Escape(std::string_view text) {
  if (curl_ == nullptr) return std::string();
  char* escaped = curl_easy_escape(curl_, text.data(), static_cast<int>(text.size()));
  std::string result = escaped != nullptr ? escaped : "";
  curl_free(escaped);
  return result;
}

TaxiiResponse TaxiiClient::Get(const std::string& url, size_t max_bytes) {
  TaxiiResponse response;
  if (curl_ == nullptr) {
    response.error = "libcurl could not start";
    return response;
  }
  CURL* curl = curl_;
  curl_easy_reset(curl);  // keeps the connection cache, drops the last request's options
  Transfer transfer{&response.body, max_bytes, false, &response.date_added_last};
  curl_slist* headers = curl_slist_append(nullptr, kAccept);
  const std::string bearer = "Authorization: Bearer " + credentials_.token;
  if (!credentials_.token.empty()) headers = curl_slist_append(headers, bearer.c_str());
  char error[CURL_ERROR_SIZE] = {};
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, 10L);
  // A peer that stops sending for a minute is gone; a slow but moving page is fine.
  curl_easy_setopt(curl, CURLOPT_LOW_SPEED_LIMIT, 1L);
  curl_easy_setopt(curl, CURLOPT_LOW_SPEED_TIME, 60L);
  curl_easy_setopt(curl, CURLOPT_ACCEPT_ENCODING, "");  // whatever libcurl can decode
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, OnBody);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &transfer);
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, OnHeader);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &transfer);
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error);
  if (!credentials_.user.empty()) {
    curl_easy_setopt(curl, CURLOPT_HTTPAUTH, static_cast<long>(CURLAUTH_BASIC));
    curl_easy_setopt(curl, CURLOPT_USERPWD, credentials_.user.c_str());
  }
  if (!credentials_.ca_file.empty())
    curl_easy_setopt(curl, CURLOPT_CAINFO, credentials_.ca_file.c_str());
  const CURLcode code = curl_easy_perform(curl);
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, nullptr);  // `error` ends with this call
  curl_slist_free_all(headers);
  if (code != CURLE_OK) {
    response.error = transfer.too_large
                         ? "the answer is larger than " + std::to_string(max_bytes >> 20) + " MiB"
                     : error[0] != '\0' ? std::string(error)
                                        : std::string(curl_easy_strerror(code));
    response.body.clear();
    return response;
  }
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &response.status);
  return response;
}

}  // namespace sitrep::collector
