#include "tests/server_fixture.h"

#include <arpa/inet.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <fstream>
#include <sstream>

#include "domain/credit_code.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "tests/support/database_owner.h"
#include "tests/support/test_cluster.h"

namespace sitrep::testing {

using test::TestCluster;

std::filesystem::path MakeTempDir(const std::string& prefix) {
  std::string pattern = (std::filesystem::temp_directory_path() / (prefix + "XXXXXX")).string();
  if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  return pattern;
}

std::string ReadText(const std::filesystem::path& path) {
  std::ifstream file(path);
  std::ostringstream text;
  text << file.rdbuf();
  return text.str();
}

void ServerFixture::SetUp() {
  data_dir_ = MakeTempDir("sitrep-test-");
  config_.listen = "127.0.0.1:0";
  config_.metrics_listen = with_metrics_ ? "127.0.0.1:0" : "";
  config_.data_dir = data_dir_;
  config_.database_url = TestCluster::FreshDatabaseUrl();
  config_.db_pool_size = 4;
  config_.health_interval = std::chrono::milliseconds(100);
  config_.log_level = LogLevel::kWarn;
  SetLogLevel(LogLevel::kWarn);
  if (start_in_setup_) StartServer();
}

void ServerFixture::StartServer() {
  server_ = Server::Start(config_, &clock_);
  channel_ = grpc::CreateChannel("127.0.0.1:" + std::to_string(server_->port()),
                                 grpc::InsecureChannelCredentials());
  registry_ = v1::RegistryService::NewStub(channel_);
  admin_token_ = ReadText(data_dir_ / "admin.token");
  while (!admin_token_.empty() && admin_token_.back() == '\n') admin_token_.pop_back();
}

void ServerFixture::TearDown() {
  if (server_) server_->Shutdown();
  server_.reset();
  std::error_code ignored;
  std::filesystem::remove_all(data_dir_, ignored);
}

std::unique_ptr<grpc::ClientContext> ServerFixture::As(const std::string& token) {
  auto context = std::make_unique<grpc::ClientContext>();
  context->AddMetadata("authorization", "Bearer " + token);
  context->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  return context;
}

std::string ServerFixture::NextCreditCode() {
  static std::atomic<int> counter{0};
  // 91 (enterprise, company) + 440300 (a region code) + 9 digits, then the check character.
  char first17[18];
  std::snprintf(first17, sizeof first17, "91440300%09d", ++counter + getpid() % 1000 * 100000);
  return std::string(first17) + *CreditCodeCheckCharacter(first17);
}

v1::Enterprise ServerFixture::RegisterEnterprise(uint32_t province, const std::string& sector,
                                                 uint32_t grade) {
  v1::CreateEnterpriseRequest request;
  v1::Enterprise* enterprise = request.mutable_enterprise();
  enterprise->set_credit_code(NextCreditCode());
  enterprise->set_name("测试企业 " + enterprise->credit_code());
  enterprise->set_province(province);
  enterprise->set_sector(sector);
  enterprise->set_type(v1::ENTERPRISE_TYPE_NETWORKED_INDUSTRIAL);
  enterprise->set_size(v1::ENTERPRISE_SIZE_MEDIUM);
  enterprise->set_grade(grade);
  v1::Enterprise created;
  const grpc::Status status =
      registry_->CreateEnterprise(As(admin_token_).get(), request, &created);
  EXPECT_TRUE(status.ok()) << status.error_message();
  return created;
}

std::string ServerFixture::TokenFor(v1::Role role, uint32_t province, int64_t enterprise_id) {
  static std::atomic<int> counter{0};
  v1::CreatePrincipalRequest create;
  create.mutable_principal()->set_name(v1::Role_Name(role) + "-" + std::to_string(++counter));
  create.mutable_principal()->set_role(role);
  create.mutable_principal()->set_province(province);
  create.mutable_principal()->set_enterprise_id(enterprise_id);
  v1::Principal principal;
  grpc::Status status = registry_->CreatePrincipal(As(admin_token_).get(), create, &principal);
  EXPECT_TRUE(status.ok()) << status.error_message();
  v1::IssueTokenRequest issue;
  issue.set_principal_id(principal.id());
  v1::IssueTokenResponse token;
  status = registry_->IssueToken(As(admin_token_).get(), issue, &token);
  EXPECT_TRUE(status.ok()) << status.error_message();
  return token.secret();
}

namespace {

// Every item of a paged registry list, read page by page with `call(request, response)` until
// the list says it has no more; `items(response)` names the page's repeated field.
template <class Request, class Response, class Call, class Items>
auto ReadAllPages(Request request, const Call& call, const Items& items) {
  std::vector<typename std::decay_t<decltype(items(Response()))>::value_type> all;
  request.set_page_size(1000);
  do {
    Response response;
    const grpc::Status status = call(request, response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    if (!status.ok()) break;
    all.insert(all.end(), items(response).begin(), items(response).end());
    request.set_page_token(response.next_page_token());
  } while (!request.page_token().empty());
  return all;
}

}  // namespace

std::vector<v1::AuditEntry> ServerFixture::AuditEntries(const std::string& method) {
  v1::ListAuditEntriesRequest request;
  request.set_method(method);
  return ReadAllPages<v1::ListAuditEntriesRequest, v1::ListAuditEntriesResponse>(
      request,
      [&](const auto& page, auto& response) {
        return registry_->ListAuditEntries(As(admin_token_).get(), page, &response);
      },
      [](const v1::ListAuditEntriesResponse& response) -> const auto& {
        return response.entries();
      });
}

std::vector<v1::Principal> ServerFixture::AllPrincipals() {
  return ReadAllPages<v1::ListPrincipalsRequest, v1::ListPrincipalsResponse>(
      {},
      [&](const auto& page, auto& response) {
        return registry_->ListPrincipals(As(admin_token_).get(), page, &response);
      },
      [](const v1::ListPrincipalsResponse& response) -> const auto& {
        return response.principals();
      });
}

std::vector<v1::Token> ServerFixture::AllTokens() {
  return ReadAllPages<v1::ListTokensRequest, v1::ListTokensResponse>(
      {},
      [&](const auto& page, auto& response) {
        return registry_->ListTokens(As(admin_token_).get(), page, &response);
      },
      [](const v1::ListTokensResponse& response) -> const auto& { return response.tokens(); });
}

std::vector<v1::Incident> ServerFixture::AllIncidents(const v1::IncidentFilter& filter) {
  const std::unique_ptr<v1::FeedService::Stub> feeds = v1::FeedService::NewStub(channel_);
  std::vector<v1::Incident> incidents;
  v1::ListIncidentsRequest request;
  *request.mutable_filter() = filter;
  request.set_page_size(1000);
  // The feed never ends: an empty page means every stored incident has been read.
  for (;;) {
    v1::ListIncidentsResponse response;
    const grpc::Status status = feeds->ListIncidents(As(admin_token_).get(), request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    if (!status.ok() || response.incidents().empty()) break;
    incidents.insert(incidents.end(), response.incidents().begin(), response.incidents().end());
    request.set_page_token(response.next_page_token());
  }
  return incidents;
}

int64_t ServerFixture::PrincipalId(const std::string& name) {
  for (const v1::Principal& principal : AllPrincipals()) {
    if (principal.name() == name) return principal.id();
  }
  return 0;
}

int64_t ServerFixture::NewestPrincipalId() {
  int64_t newest = 0;
  for (const v1::Principal& principal : AllPrincipals()) newest = std::max(newest, principal.id());
  return newest;
}

int64_t ServerFixture::NewestTokenId() {
  int64_t newest = 0;
  for (const v1::Token& token : AllTokens()) newest = std::max(newest, token.id());
  return newest;
}

int64_t ServerFixture::StoredRevision(int64_t id) {
  const std::unique_ptr<v1::FeedService::Stub> feeds = v1::FeedService::NewStub(channel_);
  v1::GetIncidentRequest request;
  request.set_id(id);
  v1::Incident incident;
  const grpc::Status status = feeds->GetIncident(As(admin_token_).get(), request, &incident);
  EXPECT_TRUE(status.ok()) << status.error_message();
  return status.ok() ? incident.revision() : 0;
}

std::vector<std::string> ViolatedFields(const grpc::Status& status) {
  google::rpc::Status details;
  std::vector<std::string> fields;
  if (!details.ParseFromString(status.error_details())) return fields;
  for (const auto& any : details.details()) {
    google::rpc::BadRequest bad_request;
    if (!any.UnpackTo(&bad_request)) continue;
    for (const auto& violation : bad_request.field_violations()) {
      fields.push_back(violation.field());
    }
  }
  return fields;
}

std::string FetchMetrics(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    ::close(fd);
    return "";
  }
  const std::string request =
      "GET /metrics HTTP/1.0\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
  if (::write(fd, request.data(), request.size()) != static_cast<ssize_t>(request.size())) {
    ::close(fd);
    return "";
  }
  std::string response;
  char buffer[4096];
  for (ssize_t n; (n = ::read(fd, buffer, sizeof buffer)) > 0;) response.append(buffer, n);
  ::close(fd);
  const size_t body = response.find("\r\n\r\n");
  return body == std::string::npos ? "" : response.substr(body + 4);
}

int64_t QueryInt(const std::string& database_url, const std::string& sql) {
  return test::QueryIntAsOwner(database_url, sql);
}

}  // namespace sitrep::testing
