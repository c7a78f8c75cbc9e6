#pragma once

#include <boost/beast/http/verb.hpp>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

namespace sitrep::testing {

// A minimal HTTP/1.1 client for the tests of the HTTP edge: one request per connection.
using Headers = std::vector<std::pair<std::string, std::string>>;

struct Reply {
  int status = 0;
  std::string body;
  std::multimap<std::string, std::string> headers;  // names in lower case
  [[nodiscard]] std::string header(const std::string& name) const {
    const auto found = headers.find(name);
    return found == headers.end() ? "" : found->second;
  }
  // The body as JSON; discarded (is_discarded()) when it is not JSON.
  [[nodiscard]] nlohmann::json json() const { return nlohmann::json::parse(body, nullptr, false); }
};

// Sends one request to 127.0.0.1:`port` and reads the whole answer (15 s at most). A server
// that answers before taking the whole body (a body too large) still has its answer read.
// Throws boost::system::system_error when the server cannot be reached.
[[nodiscard]] Reply Send(int port, boost::beast::http::verb verb, const std::string& target,
                         const std::string& body = "", const Headers& headers = {});

// The headers of a JSON API call as the holder of `token`.
[[nodiscard]] Headers JsonAs(const std::string& token);

}  // namespace sitrep::testing
