#pragma once

#include <boost/beast/http/verb.hpp>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

namespace sitrep::testing {

using Headers = std::vector<std::pair<std::string, std::string>>;

// One HTTP answer as a test reads it.
struct Reply {
  int status = 0;
  std::string body;
  std::multimap<std::string, std::string> headers;  // names in lower case
  [[nodiscard]] std::string header(const std::string& name) const {
    const auto found = headers.find(name);
    return found == headers.end() ? "" : found->second;
  }
  [[nodiscard]] nlohmann::json json() const { return nlohmann::json::parse(body, nullptr, false); }
};

[[nodiscard]] std::string Lower(std::string text);

// One request to 127.0.0.1:`port` over a fresh connection (a small Boost.Beast client), with
// Host 127.0.0.1 and `headers`; waits up to 15 s for the whole answer.
Reply Send(int port, boost::beast::http::verb verb, const std::string& target,
           const std::string& body = "", const Headers& headers = {});

}  // namespace sitrep::testing
