// The HTTP edge (issue 17): the JSON API is the gRPC API. Real HTTP over loopback (a small
// Boost.Beast client) to an in-process sitrepd on a throwaway cluster: every method is reached
// through RpcRunner (its audit entry says so), the same rows are visible as over gRPC, session
// cookies and CSRF tokens follow their rules, malformed input is a 400 naming the field, watches
// stream as resumable Server-Sent Events, and slow clients are cut off.
#include <google/protobuf/descriptor.h>
#include <google/protobuf/util/json_util.h>
#include <google/protobuf/util/message_differencer.h>
#include <gtest/gtest.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>

#include "sitrep/v1/feed.grpc.pb.h"
#include "sitrep/v1/registry.grpc.pb.h"
#include "tests/http_client.h"
#include "tests/push_client.h"
#include "tests/record_samples.h"
#include "tests/server_fixture.h"

namespace sitrep::testing {
namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using tcp = net::ip::tcp;
using Json = nlohmann::json;

Headers JsonAs(const std::string& token) {
  return {{"Content-Type", "application/json"}, {"Authorization", "Bearer " + token}};
}

// Text that would mean a database error reached a client.
void ExpectNoSql(const std::string& body) {
  for (const char* word :
       {"SELECT", "INSERT", "UPDATE ", "pqxx", "relation", "ERROR:", "sitrep_"}) {
    EXPECT_EQ(body.find(word), std::string::npos) << word << " in " << body;
  }
}

// An SSE stream being read: the response head, then events as they come.
class EventStream {
 public:
  EventStream(int port, const std::string& target, const Headers& headers) : stream_(io_) {
    stream_.expires_after(std::chrono::seconds(10));
    stream_.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), static_cast<uint16_t>(port)));
    bhttp::request<bhttp::empty_body> request(bhttp::verb::get, target, 11);
    request.set(bhttp::field::host, "127.0.0.1");
    request.set(bhttp::field::accept, "text/event-stream");
    for (const auto& [name, value] : headers) request.set(name, value);
    bhttp::write(stream_, request);
    bhttp::response_parser<bhttp::empty_body> parser;
    parser.skip(true);  // no body is read through the parser: the events follow raw
    bhttp::read_header(stream_, buffer_, parser);
    status_ = static_cast<int>(parser.get().result_int());
    content_type_ = std::string(parser.get()[bhttp::field::content_type]);
    pending_ = beast::buffers_to_string(buffer_.data());
  }

  [[nodiscard]] int status() const { return status_; }
  [[nodiscard]] const std::string& content_type() const { return content_type_; }

  // The next event's fields ("id", "event", "data"), skipping comments; empty at the end.
  std::map<std::string, std::string> Next(std::chrono::seconds timeout) {
    for (;;) {
      const size_t end = pending_.find("\n\n");
      if (end != std::string::npos) {
        const std::string block = pending_.substr(0, end);
        pending_.erase(0, end + 2);
        std::map<std::string, std::string> event;
        size_t start = 0;
        while (start < block.size()) {
          size_t newline = block.find('\n', start);
          if (newline == std::string::npos) newline = block.size();
          const std::string line = block.substr(start, newline - start);
          const size_t colon = line.find(": ");
          if (colon != std::string::npos && colon > 0) {
            event[line.substr(0, colon)] = line.substr(colon + 2);
          }
          start = newline + 1;
        }
        if (!event.empty()) return event;
        continue;
      }
      char chunk[4096];
      stream_.expires_after(timeout);
      beast::error_code error;
      const size_t read = stream_.read_some(net::buffer(chunk), error);
      if (error) return {};
      pending_.append(chunk, read);
    }
  }

  // The next event of `kind`, skipping heartbeats.
  std::map<std::string, std::string> NextOf(const std::string& kind, std::chrono::seconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      auto event = Next(timeout);
      if (event.empty() || event["event"] == kind || event["event"] == "error") return event;
    }
    return {};
  }

 private:
  net::io_context io_;
  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::string pending_;
  int status_ = 0;
  std::string content_type_;
};

class HttpTest : public ServerFixture {
 protected:
  HttpTest() { start_in_setup_ = false; }

  void SetUp() override {
    ServerFixture::SetUp();
    console_dir_ = MakeTempDir("sitrep-console-");
    std::ofstream(console_dir_ / "index.html") << "<!doctype html><title>sitrep</title>";
    std::ofstream(console_dir_ / "app.js") << "console.log('sitrep');";
    config_.http_listen = "127.0.0.1:0";
    config_.console_dir = console_dir_;
    config_.http_request_timeout = std::chrono::milliseconds(1000);
    config_.http_idle_timeout = std::chrono::milliseconds(2000);
    config_.http_max_body_bytes = 1 << 20;
    StartServer();
    port_ = server_->http_port();
    ASSERT_GT(port_, 0);
  }

  void TearDown() override {
    ServerFixture::TearDown();
    std::error_code ignored;
    std::filesystem::remove_all(console_dir_, ignored);
  }

  Reply Post(const std::string& method, const std::string& body, const Headers& headers) {
    return Send(port_, bhttp::verb::post, method, body, headers);
  }

  // Signs in with `token`: the cookie header value and the CSRF token.
  std::pair<std::string, std::string> SignIn(const std::string& token) {
    const Reply reply =
        Post("/session", Json{{"token", token}}.dump(), {{"Content-Type", "application/json"}});
    EXPECT_EQ(reply.status, 200) << reply.body;
    const std::string set_cookie = reply.header("set-cookie");
    return {set_cookie.substr(0, set_cookie.find(';')), reply.json().value("csrf_token", "")};
  }

  std::filesystem::path console_dir_;
  int port_ = 0;
};

TEST_F(HttpTest, EveryMethodRunsThroughTheRpcFrame) {
  const std::vector<std::string> services = {
      "sitrep.v1.FeedService", "sitrep.v1.NotificationService", "sitrep.v1.ReportService",
      "sitrep.v1.RegistryService", "sitrep.v1.IngestService"};
  std::set<std::string> methods;
  for (const std::string& name : services) {
    const auto* service =
        google::protobuf::DescriptorPool::generated_pool()->FindServiceByName(name);
    ASSERT_NE(service, nullptr) << name;
    for (int i = 0; i < service->method_count(); ++i) {
      const auto* method = service->method(i);
      const std::string path = "/" + name + "/" + method->name();
      SCOPED_TRACE(path);
      methods.insert(path);
      Reply reply;
      if (method->server_streaming() && !method->client_streaming()) {
        EventStream stream(port_, path + "?message=%7B%7D",
                           {{"Authorization", "Bearer " + admin_token_}});
        // An event stream, or the service's refusal of ADMIN: never the edge's 404 or 405.
        EXPECT_TRUE(stream.status() == 200 || stream.status() == 403) << stream.status();
        if (stream.status() == 200) {
          EXPECT_EQ(stream.content_type(), "text/event-stream");
        }
        continue;
      }
      const std::string body =
          method->client_streaming() ? R"({"batches":[{"sequence":"1"}]})" : "{}";
      reply = Post(path, body, JsonAs(admin_token_));
      // Whatever the service answers (200, 400 for the empty request, 403 for ADMIN, 404 for
      // id 0), it is JSON with a code, and never the edge's "no method".
      EXPECT_NE(reply.status, 405) << reply.body;
      EXPECT_NE(reply.status, 500) << reply.body;
      EXPECT_EQ(reply.header("content-type"), "application/json");
      EXPECT_FALSE(reply.json().is_discarded()) << reply.body;
      EXPECT_EQ(reply.body.find("no method"), std::string::npos) << reply.body;
      ExpectNoSql(reply.body);
    }
  }
  EXPECT_EQ(methods.size(), 30u);
  // Each one ran in RpcRunner: its audit entry names the HTTP client as peer. (A watch's entry
  // is written when it ends, after the edge cancelled it for the closed connection.)
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  int64_t audited = 0;
  while (std::chrono::steady_clock::now() < deadline) {
    std::set<std::string> audited_methods;
    for (const v1::AuditEntry& entry : AuditEntries("")) {
      if (entry.peer().starts_with("http:127.0.0.1:")) audited_methods.insert(entry.method());
    }
    audited = static_cast<int64_t>(audited_methods.size());
    if (audited == static_cast<int64_t>(methods.size())) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_EQ(audited, static_cast<int64_t>(methods.size()));
  if (audited != static_cast<int64_t>(methods.size())) {
    for (const std::string& method : methods) {
      EXPECT_EQ(AuditEntries(method).size(), 1u) << method;
    }
  }
}

TEST_F(HttpTest, SuccessAnswersInProto3JsonAndAcceptsBothFieldNameForms) {
  Reply created = Post("/sitrep.v1.RegistryService/CreateEnterprise",
                       Json{{"enterprise",
                             {{"name", "Shenzhen Grid"},
                              {"credit_code", NextCreditCode()},
                              {"province", 440000},
                              {"sector", "energy"},
                              {"type", "ENTERPRISE_TYPE_NETWORKED_INDUSTRIAL"},
                              {"size", "ENTERPRISE_SIZE_MEDIUM"}}}}
                           .dump(),
                       JsonAs(admin_token_));
  ASSERT_EQ(created.status, 200) << created.body;  // snake_case names in
  const Json enterprise = created.json();
  EXPECT_TRUE(enterprise.contains("creditCode")) << created.body;  // lowerCamel out
  const Reply got = Post("/sitrep.v1.RegistryService/GetEnterprise",
                         Json{{"id", enterprise["id"]}}.dump(), JsonAs(admin_token_));
  ASSERT_EQ(got.status, 200) << got.body;
  EXPECT_EQ(got.json()["name"], "Shenzhen Grid");
  // Push as a batch: the verdicts come back as PushAck JSON.
  const std::string collector = TokenFor(v1::ROLE_COLLECTOR, 440000);
  std::string incident;
  google::protobuf::util::MessageToJsonString(SampleIncident("http-1", 440000, clock_.Now()),
                                              &incident);
  const Reply pushed =
      Post("/sitrep.v1.IngestService/Push",
           R"({"batches":[{"sequence":"7","incidents":[)" + incident + "]}]}", JsonAs(collector));
  ASSERT_EQ(pushed.status, 200) << pushed.body;
  EXPECT_EQ(pushed.json()["acks"][0]["sequence"], "7");
  EXPECT_EQ(pushed.json()["acks"][0]["accepted"], 1);
}

TEST_F(HttpTest, MalformedOversizedAndMisdirectedRequestsAreRefusedPrecisely) {
  struct Case {
    std::string name, method, body;
    Headers headers;
    int status;
    std::string field;  // the first field violation's field; "-" for none expected
  };
  const Headers json = JsonAs(admin_token_);
  const std::vector<Case> cases = {
      {"bad enum value", "/sitrep.v1.FeedService/ListIncidents",
       R"({"filter":{"minSeverity":"NOPE"}})", json, 400, "filter.min_severity"},
      {"unknown field", "/sitrep.v1.FeedService/ListIncidents", R"({"filter":{"bogus":1}})", json,
       400, "filter.bogus"},
      {"wrong type", "/sitrep.v1.FeedService/ListIncidents", R"({"pageSize":"many"})", json, 400,
       "page_size"},
      {"truncated", "/sitrep.v1.FeedService/ListIncidents", R"({"filter":)", json, 400, ""},
      {"not an object", "/sitrep.v1.FeedService/ListIncidents", "[1,2]", json, 400, ""},
      {"push without batches", "/sitrep.v1.IngestService/Push", R"({"incidents":[]})", json, 400,
       "batches"},
      {"bad record in a batch", "/sitrep.v1.IngestService/Push",
       R"({"batches":[{"incidents":[{"severity":"HUGE"}]}]})", json, 400,
       "batches[0].incidents[0].severity"},
      {"service's own violations", "/sitrep.v1.RegistryService/CreateEnterprise",
       R"({"enterprise":{"name":"x"}})", json, 400, "enterprise.credit_code"},
      {"oversized", "/sitrep.v1.FeedService/ListIncidents",
       R"({"filter":{"text":")" + std::string(2 << 20, 'a') + R"("}})", json, 400, "-"},
      {"wrong content type",
       "/sitrep.v1.FeedService/ListIncidents",
       "{}",
       {{"Content-Type", "text/plain"}, {"Authorization", "Bearer " + admin_token_}},
       415,
       "-"},
      {"unknown method", "/sitrep.v1.FeedService/DropIncidents", "{}", json, 404, "-"},
      {"unknown service", "/sitrep.v1.SecretService/Get", "{}", json, 404, "-"},
      {"health is not exposed", "/grpc.health.v1.Health/Check", "{}", json, 404, "-"},
      {"no token",
       "/sitrep.v1.FeedService/ListIncidents",
       "{}",
       {{"Content-Type", "application/json"}},
       401,
       "-"},
      {"unknown token", "/sitrep.v1.FeedService/ListIncidents", "{}", JsonAs("nope"), 401, "-"},
      {"role refused", "/sitrep.v1.IngestService/Push", R"({"batches":[{}]})", json, 403, "-"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    const Reply reply = Post(c.method, c.body, c.headers);
    EXPECT_EQ(reply.status, c.status) << reply.body.substr(0, 500);
    const Json body = reply.json();
    ASSERT_TRUE(body.is_object()) << reply.body.substr(0, 500);
    EXPECT_TRUE(body.contains("code") && body.contains("message")) << reply.body;
    if (c.status == 400) {
      EXPECT_EQ(body["code"], "invalid_argument");
    }
    if (c.field != "-") {
      ASSERT_TRUE(body.contains("field_violations")) << reply.body;
      EXPECT_EQ(body["field_violations"][0]["field"], c.field) << reply.body;
    }
    ExpectNoSql(reply.body);
  }
  // A unary method is POST only.
  EXPECT_EQ(Send(port_, bhttp::verb::get, "/sitrep.v1.FeedService/ListIncidents").status, 405);
}

TEST_F(HttpTest, SessionsUseStrictHttpOnlyCookiesAndCsrfTokens) {
  const Reply signed_in = Post("/session", Json{{"token", admin_token_}}.dump(),
                               {{"Content-Type", "application/json"}});
  ASSERT_EQ(signed_in.status, 200) << signed_in.body;
  const std::string set_cookie = signed_in.header("set-cookie");
  EXPECT_EQ(set_cookie.rfind("sitrep_session=", 0), 0u) << set_cookie;
  for (const char* attribute : {"; HttpOnly", "; SameSite=Strict", "; Path=/", "; Max-Age="}) {
    EXPECT_NE(set_cookie.find(attribute), std::string::npos) << attribute;
  }
  EXPECT_EQ(set_cookie.find("Secure"), std::string::npos);  // plain HTTP here
  const Json session = signed_in.json();
  EXPECT_EQ(session["principal"]["role"], "ROLE_ADMIN");
  EXPECT_FALSE(session["expires_at"].get<std::string>().empty());
  const std::string cookie = set_cookie.substr(0, set_cookie.find(';'));
  const std::string csrf = session["csrf_token"];
  // The token itself appears nowhere in the answer.
  EXPECT_EQ(signed_in.body.find(admin_token_), std::string::npos);

  const Reply again = Send(port_, bhttp::verb::get, "/session", "", {{"Cookie", cookie}});
  ASSERT_EQ(again.status, 200);
  EXPECT_EQ(again.json()["csrf_token"], csrf);

  const std::string method = "/sitrep.v1.RegistryService/ListPrincipals";
  const Headers with_cookie = {{"Content-Type", "application/json"}, {"Cookie", cookie}};
  struct Case {
    std::string name;
    std::string csrf;  // "" : no header
    int status;
  };
  for (const Case& c :
       std::vector<Case>{{"no CSRF header", "", 403},
                         {"wrong CSRF token", std::string(64, 'a'), 403},
                         {"another session's token", SignIn(admin_token_).second, 403},
                         {"right CSRF token", csrf, 200}}) {
    SCOPED_TRACE(c.name);
    Headers headers = with_cookie;
    if (!c.csrf.empty()) headers.emplace_back("X-CSRF-Token", c.csrf);
    const Reply reply = Post(method, "{}", headers);
    EXPECT_EQ(reply.status, c.status) << reply.body;
    if (c.status == 403) {
      EXPECT_EQ(reply.json()["code"], "permission_denied");
      EXPECT_NE(reply.body.find("CSRF"), std::string::npos);
    }
  }
  // Sign-out also needs the CSRF token, then the session is gone server-side.
  EXPECT_EQ(Post("/session/end", "", {{"Cookie", cookie}}).status, 403);
  const Reply ended = Post("/session/end", "", {{"Cookie", cookie}, {"X-CSRF-Token", csrf}});
  EXPECT_EQ(ended.status, 200);
  EXPECT_NE(ended.header("set-cookie").find("Max-Age=0"), std::string::npos);
  EXPECT_EQ(Send(port_, bhttp::verb::get, "/session", "", {{"Cookie", cookie}}).status, 401);
  Headers after = with_cookie;
  after.emplace_back("X-CSRF-Token", csrf);
  EXPECT_EQ(Post(method, "{}", after).status, 401);

  // A session ends with its token.
  const std::string national = TokenFor(v1::ROLE_NATIONAL);
  const auto [national_cookie, national_csrf] = SignIn(national);
  const Headers national_headers = {{"Content-Type", "application/json"},
                                    {"Cookie", national_cookie},
                                    {"X-CSRF-Token", national_csrf}};
  EXPECT_EQ(Post("/sitrep.v1.FeedService/ListIncidents", "{}", national_headers).status, 200);
  const int64_t token_id = NewestTokenId();
  v1::RevokeTokenRequest revoke;
  revoke.set_token_id(token_id);
  v1::Token revoked;
  ASSERT_TRUE(registry_->RevokeToken(As(admin_token_).get(), revoke, &revoked).ok());
  const Reply refused = Post("/sitrep.v1.FeedService/ListIncidents", "{}", national_headers);
  EXPECT_EQ(refused.status, 401);
  EXPECT_EQ(refused.json()["code"], "unauthenticated");
  EXPECT_EQ(Send(port_, bhttp::verb::get, "/session", "", {{"Cookie", national_cookie}}).status,
            401);

  // Bad sign-ins.
  EXPECT_EQ(Post("/session", R"({"token":"wrong"})", {{"Content-Type", "application/json"}}).status,
            401);
  EXPECT_EQ(Post("/session", R"({"token":)", {{"Content-Type", "application/json"}}).status, 400);
  EXPECT_EQ(Post("/session", R"({"token":"x"})", {{"Content-Type", "text/plain"}}).status, 415);
  EXPECT_EQ(Send(port_, bhttp::verb::get, "/session").status, 401);
}

TEST_F(HttpTest, SignInAndSignOutAreAuditedLikeCalls) {
  const std::string national = TokenFor(v1::ROLE_NATIONAL);
  const Reply signed_in =
      Post("/session", Json{{"token", national}}.dump(), {{"Content-Type", "application/json"}});
  ASSERT_EQ(signed_in.status, 200) << signed_in.body;
  const int64_t principal_id = std::stoll(signed_in.json()["principal"].value("id", "0"));
  ASSERT_GT(principal_id, 0);
  const std::string set_cookie = signed_in.header("set-cookie");
  const std::string cookie = set_cookie.substr(0, set_cookie.find(';'));
  const std::string csrf = signed_in.json()["csrf_token"];
  const Headers json = {{"Content-Type", "application/json"}};
  EXPECT_EQ(Post("/session", R"({"token":"wrong"})", json).status, 401);
  EXPECT_EQ(Post("/session", R"({"token":)", json).status, 400);
  EXPECT_EQ(Post("/session/end", "", {{"Cookie", cookie}}).status, 403);
  EXPECT_EQ(Post("/session/end", "", {{"Cookie", cookie}, {"X-CSRF-Token", csrf}}).status, 200);
  EXPECT_EQ(Post("/session/end", "", {{"Cookie", cookie}, {"X-CSRF-Token", csrf}}).status, 401);

  struct Case {
    std::string method, status;
    int64_t principal_id;  // 0: not known
  };
  for (const Case& c : std::vector<Case>{
           {"/http/session/start", "OK", principal_id},
           {"/http/session/start", "UNAUTHENTICATED", 0},
           {"/http/session/start", "INVALID_ARGUMENT", 0},
           {"/http/session/end", "PERMISSION_DENIED", principal_id},
           {"/http/session/end", "OK", principal_id},
           {"/http/session/end", "UNAUTHENTICATED", 0},
       }) {
    SCOPED_TRACE(c.method + " " + c.status);
    const std::string query =
        "SELECT count(*) FROM audit_entries WHERE method = '" + c.method + "' AND status = '" +
        c.status + "' AND coalesce(principal_id, 0) = " + std::to_string(c.principal_id) +
        " AND peer LIKE 'http:127.0.0.1:%'";
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    int64_t found = 0;
    while ((found = QueryInt(server_->database_url(), query)) == 0 &&
           std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    EXPECT_EQ(found, 1);
  }
}

TEST_F(HttpTest, JsonReadsSeeExactlyWhatGrpcReadsSee) {
  const v1::Enterprise gd = RegisterEnterprise(440000, "energy");
  const v1::Enterprise bj = RegisterEnterprise(110000, "water");
  const std::string gd_collector = TokenFor(v1::ROLE_COLLECTOR, 440000);
  const std::string bj_collector = TokenFor(v1::ROLE_COLLECTOR, 110000);
  v1::PushBatch gd_batch, bj_batch;
  int n = 0;
  for (const v1::SharingScope scope :
       {v1::SHARING_SCOPE_PROVINCE, v1::SHARING_SCOPE_ALL_REGULATORS, v1::SHARING_SCOPE_PUBLIC}) {
    for (const v1::Tlp tlp : {v1::TLP_CLEAR, v1::TLP_AMBER_STRICT, v1::TLP_RED}) {
      v1::Incident gd_incident = SampleIncident("gd-" + std::to_string(++n), 440000, clock_.Now());
      gd_incident.set_enterprise_id(gd.id());
      gd_incident.set_sharing_scope(scope);
      gd_incident.set_tlp(tlp);
      *gd_batch.add_incidents() = gd_incident;
      v1::Incident bj_incident = SampleIncident("bj-" + std::to_string(n), 110000, clock_.Now());
      bj_incident.set_sector("water");
      bj_incident.set_enterprise_id(bj.id());
      bj_incident.set_sharing_scope(scope);
      bj_incident.set_tlp(tlp);
      *bj_batch.add_incidents() = bj_incident;
    }
  }
  ASSERT_EQ(PushAll(*channel_, gd_collector, {gd_batch}).acks.at(0).accepted(), 9u);
  ASSERT_EQ(PushAll(*channel_, bj_collector, {bj_batch}).acks.at(0).accepted(), 9u);

  auto feeds = v1::FeedService::NewStub(channel_);
  std::vector<int64_t> all_ids;
  {
    v1::ListIncidentsRequest list;
    list.set_page_size(100);
    v1::ListIncidentsResponse all;
    ASSERT_TRUE(feeds->ListIncidents(As(admin_token_).get(), list, &all).ok());
    for (const v1::Incident& incident : all.incidents()) all_ids.push_back(incident.id());
    ASSERT_EQ(all_ids.size(), 18u);
  }
  const std::vector<std::pair<std::string, std::string>> viewers = {
      {"national", TokenFor(v1::ROLE_NATIONAL)},
      {"guangdong", TokenFor(v1::ROLE_PROVINCIAL, 440000)},
      {"enterprise", TokenFor(v1::ROLE_ENTERPRISE, 0, gd.id())}};
  std::map<std::string, size_t> seen_counts;
  for (const auto& [name, token] : viewers) {
    SCOPED_TRACE(name);
    // Through a session cookie, as the console calls.
    const auto [cookie, csrf] = SignIn(token);
    const Headers headers = {
        {"Content-Type", "application/json"}, {"Cookie", cookie}, {"X-CSRF-Token", csrf}};
    v1::ListIncidentsRequest list;
    list.set_page_size(100);
    v1::ListIncidentsResponse over_grpc;
    ASSERT_TRUE(feeds->ListIncidents(As(token).get(), list, &over_grpc).ok());
    const Reply reply =
        Post("/sitrep.v1.FeedService/ListIncidents", R"({"pageSize":100})", headers);
    ASSERT_EQ(reply.status, 200) << reply.body;
    v1::ListIncidentsResponse over_http;
    ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(reply.body, &over_http).ok());
    EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(over_grpc, over_http));
    seen_counts[name] = over_http.incidents_size();
    for (const v1::Incident& incident : over_http.incidents()) {
      if (name == "guangdong" && incident.province() != 440000) {
        EXPECT_NE(incident.tlp(), v1::TLP_RED);
        EXPECT_NE(incident.tlp(), v1::TLP_AMBER_STRICT);
        EXPECT_NE(incident.sharing_scope(), v1::SHARING_SCOPE_PROVINCE);
      }
      if (name == "enterprise" && incident.enterprise_id() != gd.id()) {
        EXPECT_TRUE(incident.redacted());
      }
    }
    // Get of every record: the same answers as over gRPC (200 and 404 alike).
    for (const int64_t id : all_ids) {
      v1::GetIncidentRequest get;
      get.set_id(id);
      v1::Incident ignored;
      const grpc::Status status = feeds->GetIncident(As(token).get(), get, &ignored);
      const Reply got = Post("/sitrep.v1.FeedService/GetIncident",
                             Json{{"id", std::to_string(id)}}.dump(), headers);
      EXPECT_EQ(got.status, status.ok() ? 200 : 404) << id << " " << got.body;
    }
    // The situation: the same numbers.
    v1::Situation situation_grpc;
    ASSERT_TRUE(feeds->GetSituation(As(token).get(), {}, &situation_grpc).ok() ||
                name == "enterprise");
    const Reply situation = Post("/sitrep.v1.FeedService/GetSituation", "{}", headers);
    if (situation.status == 200) {
      v1::Situation situation_http;
      ASSERT_TRUE(
          google::protobuf::util::JsonStringToMessage(situation.body, &situation_http).ok());
      EXPECT_EQ(situation_http.total_incidents(), situation_grpc.total_incidents());
      EXPECT_EQ(situation_http.incidents_size(), situation_grpc.incidents_size());
      EXPECT_EQ(situation_http.totals_size(), situation_grpc.totals_size());
    }
  }
  EXPECT_EQ(seen_counts["national"], 18u);
  EXPECT_LT(seen_counts["guangdong"], 18u);
  EXPECT_LT(seen_counts["enterprise"], seen_counts["guangdong"]);
}

TEST_F(HttpTest, WatchesStreamAsServerSentEventsAndResumeFromLastEventId) {
  const std::string collector = TokenFor(v1::ROLE_COLLECTOR, 440000);
  const std::string national = TokenFor(v1::ROLE_NATIONAL);
  const int64_t national_token_id = NewestTokenId();
  const Headers auth = {{"Authorization", "Bearer " + national}};
  std::string cursor;
  {
    EventStream stream(port_, "/sitrep.v1.FeedService/WatchIncidents?message=%7B%7D", auth);
    ASSERT_EQ(stream.status(), 200);
    EXPECT_EQ(stream.content_type(), "text/event-stream");
    // The stream's head comes before the watch behind it has started ("from now on"), so a
    // record committed at once may precede it: push until one arrives.
    std::map<std::string, std::string> event;
    for (int attempt = 0; attempt < 6 && event["event"] != "incidents"; ++attempt) {
      v1::PushBatch first;
      *first.add_incidents() =
          SampleIncident("sse-1-" + std::to_string(attempt), 440000, clock_.Now());
      ASSERT_EQ(PushAll(*channel_, collector, {first}).acks.at(0).accepted(), 1u);
      event = stream.NextOf("incidents", std::chrono::seconds(10));
    }
    ASSERT_EQ(event["event"], "incidents");
    EXPECT_NE(event["data"].find("sse-1"), std::string::npos);
    cursor = event["id"];
    ASSERT_FALSE(cursor.empty());
  }
  v1::PushBatch second;
  *second.add_incidents() = SampleIncident("sse-2", 440000, clock_.Now());
  ASSERT_EQ(PushAll(*channel_, collector, {second}).acks.at(0).accepted(), 1u);
  Headers resume = auth;
  resume.emplace_back("Last-Event-ID", cursor);
  EventStream stream(port_, "/sitrep.v1.FeedService/WatchIncidents", resume);
  ASSERT_EQ(stream.status(), 200);
  auto event = stream.NextOf("incidents", std::chrono::seconds(10));
  ASSERT_EQ(event["event"], "incidents");
  EXPECT_NE(event["data"].find("sse-2"), std::string::npos);
  EXPECT_EQ(event["data"].find("sse-1"), std::string::npos);  // resumed after it

  // The stream ends when its credential does, as a gRPC watch does.
  v1::RevokeTokenRequest revoke;
  revoke.set_token_id(national_token_id);
  v1::Token revoked;
  ASSERT_TRUE(registry_->RevokeToken(As(admin_token_).get(), revoke, &revoked).ok());
  event = stream.NextOf("never", std::chrono::seconds(10));
  ASSERT_EQ(event["event"], "error");
  EXPECT_NE(event["data"].find("unauthenticated"), std::string::npos);
  EXPECT_TRUE(stream.Next(std::chrono::seconds(5)).empty());  // closed

  // A watch the service refuses ends with the error event at once.
  EventStream refused(port_, "/sitrep.v1.FeedService/WatchIncidents", auth);
  event = refused.Next(std::chrono::seconds(5));
  EXPECT_EQ(event["event"], "error");
  EXPECT_NE(event["data"].find("unauthenticated"), std::string::npos);
}

TEST_F(HttpTest, SlowAndIdleClientsAreCutOff) {
  net::io_context io;
  // Half a request, then nothing: closed after the request timeout (1 s here).
  {
    tcp::socket socket(io);
    socket.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), static_cast<uint16_t>(port_)));
    net::write(socket, net::buffer(std::string(
                           "POST /sitrep.v1.FeedService/ListIncidents HTTP/1.1\r\nHost: x\r\n")));
    const auto start = std::chrono::steady_clock::now();
    char byte;
    beast::error_code error;
    socket.read_some(net::buffer(&byte, 1), error);
    EXPECT_TRUE(error) << "the server kept a half-sent request open";
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
  }
  // Connected and silent: closed after the idle timeout (2 s here).
  {
    tcp::socket socket(io);
    socket.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), static_cast<uint16_t>(port_)));
    const auto start = std::chrono::steady_clock::now();
    char byte;
    beast::error_code error;
    socket.read_some(net::buffer(&byte, 1), error);
    EXPECT_TRUE(error);
    EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(1500));
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(6));
  }
  // Oversized headers: refused, not buffered.
  const Reply big =
      Send(port_, bhttp::verb::get, "/", "", {{"X-Filler", std::string(32 << 10, 'x')}});
  EXPECT_EQ(big.status, 431);
  // The server still answers.
  EXPECT_EQ(Send(port_, bhttp::verb::get, "/").status, 200);
}

TEST_F(HttpTest, ConsoleFilesAreServedWithTheirTypesAndNothingOutside) {
  const Reply index = Send(port_, bhttp::verb::get, "/");
  EXPECT_EQ(index.status, 200);
  EXPECT_EQ(index.header("content-type"), "text/html; charset=utf-8");
  EXPECT_NE(index.body.find("sitrep"), std::string::npos);
  EXPECT_NE(index.header("content-security-policy").find("default-src 'self'"), std::string::npos);
  EXPECT_EQ(index.header("x-content-type-options"), "nosniff");
  const Reply script = Send(port_, bhttp::verb::get, "/app.js");
  EXPECT_EQ(script.status, 200);
  EXPECT_EQ(script.header("content-type"), "text/javascript; charset=utf-8");
  EXPECT_EQ(Send(port_, bhttp::verb::get, "/incidents/42").body, index.body);  // console route
  // HEAD: the length a GET would get, without the body.
  for (const std::string path : {"/", "/app.js"}) {
    SCOPED_TRACE(path);
    const Reply got = Send(port_, bhttp::verb::get, path);
    const Reply head = Send(port_, bhttp::verb::head, path);
    EXPECT_EQ(head.status, 200);
    EXPECT_EQ(head.header("content-length"), std::to_string(got.body.size()));
    EXPECT_EQ(head.header("content-type"), got.header("content-type"));
    EXPECT_TRUE(head.body.empty());
  }
  for (const char* outside : {"/../admin.token", "/%2e%2e/admin.token", "/missing.js"}) {
    EXPECT_EQ(Send(port_, bhttp::verb::get, outside).status, 404) << outside;
  }
}

}  // namespace
}  // namespace sitrep::testing
