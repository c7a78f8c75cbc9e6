// Authentication, role gates and the audit log, through a real channel (issue #2).
#include <google/protobuf/descriptor.h>
#include <grpcpp/generic/generic_stub.h>
#include <gtest/gtest.h>

#include <future>
#include <optional>

#include "domain/time_convert.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "sitrep/v1/feed.grpc.pb.h"
#include "sitrep/v1/ingest.grpc.pb.h"
#include "sitrep/v1/notification.grpc.pb.h"
#include "sitrep/v1/report.grpc.pb.h"
#include "tests/server_fixture.h"

namespace sitrep::testing {
namespace {

class AuthTest : public ServerFixture {
 protected:
  grpc::Status ListPrincipals(grpc::ClientContext* context) {
    v1::ListPrincipalsResponse response;
    return registry_->ListPrincipals(context, v1::ListPrincipalsRequest(), &response);
  }
};

TEST_F(AuthTest, AdminTokenFromFirstStartWorks) {
  grpc::ClientContext context;
  EXPECT_TRUE(ListPrincipals(As(admin_token_).get()).ok());
  const auto mode = std::filesystem::status(data_dir_ / "admin.token").permissions();
  EXPECT_EQ(mode & std::filesystem::perms::all,
            std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
}

TEST_F(AuthTest, MissingMalformedAndUnknownTokensAreUnauthenticated) {
  grpc::ClientContext no_header;
  EXPECT_EQ(ListPrincipals(&no_header).error_code(), grpc::StatusCode::UNAUTHENTICATED);

  grpc::ClientContext basic;
  basic.AddMetadata("authorization", "Basic YWRtaW46YWRtaW4=");
  EXPECT_EQ(ListPrincipals(&basic).error_code(), grpc::StatusCode::UNAUTHENTICATED);

  const grpc::Status unknown = ListPrincipals(As("srp_not-a-token").get());
  EXPECT_EQ(unknown.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(unknown.error_message(), "unknown token");

  const grpc::Status injected = ListPrincipals(As("' OR 1=1 --").get());
  EXPECT_EQ(injected.error_code(), grpc::StatusCode::UNAUTHENTICATED);
}

TEST_F(AuthTest, RevokedTokenIsUnauthenticated) {
  const std::string token = TokenFor(v1::ROLE_NATIONAL);
  v1::ListTokensResponse tokens;
  ASSERT_TRUE(registry_->ListTokens(As(admin_token_).get(), v1::ListTokensRequest(), &tokens).ok());
  int64_t newest = 0;
  for (const v1::Token& t : tokens.tokens()) newest = std::max(newest, t.id());

  v1::RevokeTokenRequest revoke;
  revoke.set_token_id(newest);
  v1::Token revoked;
  ASSERT_TRUE(registry_->RevokeToken(As(admin_token_).get(), revoke, &revoked).ok());
  EXPECT_TRUE(revoked.has_revoke_time());

  v1::GetEnterpriseRequest get;
  v1::Enterprise ignored;
  const grpc::Status status = registry_->GetEnterprise(As(token).get(), get, &ignored);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(status.error_message(), "the token has been revoked");
}

TEST_F(AuthTest, ExpiredTokenIsUnauthenticated) {
  v1::CreatePrincipalRequest create;
  create.mutable_principal()->set_name("short-lived");
  create.mutable_principal()->set_role(v1::ROLE_NATIONAL);
  v1::Principal principal;
  ASSERT_TRUE(registry_->CreatePrincipal(As(admin_token_).get(), create, &principal).ok());
  v1::IssueTokenRequest issue;
  issue.set_principal_id(principal.id());
  *issue.mutable_expire_time() = ToTimestamp(clock_.Now() + std::chrono::hours(1));
  v1::IssueTokenResponse token;
  ASSERT_TRUE(registry_->IssueToken(As(admin_token_).get(), issue, &token).ok());

  v1::ListEnterprisesResponse list;
  EXPECT_TRUE(registry_->ListEnterprises(As(token.secret()).get(), {}, &list).ok());
  clock_.Advance(std::chrono::hours(2));
  const grpc::Status status = registry_->ListEnterprises(As(token.secret()).get(), {}, &list);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(status.error_message(), "the token has expired");
}

TEST_F(AuthTest, TokenExpiringInThePastIsRefused) {
  v1::IssueTokenRequest issue;
  issue.set_principal_id(1);
  *issue.mutable_expire_time() = ToTimestamp(clock_.Now() - std::chrono::minutes(1));
  v1::IssueTokenResponse token;
  const grpc::Status status = registry_->IssueToken(As(admin_token_).get(), issue, &token);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_F(AuthTest, EachRoleIsDeniedTheCallsItMayNotMake) {
  const v1::Enterprise enterprise = RegisterEnterprise(440000);
  const std::map<std::string, std::string> tokens = {
      {"NATIONAL", TokenFor(v1::ROLE_NATIONAL)},
      {"PROVINCIAL", TokenFor(v1::ROLE_PROVINCIAL, 440000)},
      {"ENTERPRISE", TokenFor(v1::ROLE_ENTERPRISE, 0, enterprise.id())},
      {"COLLECTOR", TokenFor(v1::ROLE_COLLECTOR, 440000)},
  };
  auto feeds = v1::FeedService::NewStub(channel_);
  auto reports = v1::ReportService::NewStub(channel_);
  auto notices = v1::NotificationService::NewStub(channel_);

  using Call = std::function<grpc::Status(grpc::ClientContext*)>;
  const std::map<std::string, Call> calls = {
      {"CreateEnterprise",
       [&](grpc::ClientContext* c) {
         v1::Enterprise out;
         return registry_->CreateEnterprise(c, {}, &out);
       }},
      {"CreatePrincipal",
       [&](grpc::ClientContext* c) {
         v1::Principal out;
         return registry_->CreatePrincipal(c, {}, &out);
       }},
      {"IssueToken",
       [&](grpc::ClientContext* c) {
         v1::IssueTokenResponse out;
         return registry_->IssueToken(c, {}, &out);
       }},
      {"RevokeToken",
       [&](grpc::ClientContext* c) {
         v1::Token out;
         return registry_->RevokeToken(c, {}, &out);
       }},
      {"ListPrincipals",
       [&](grpc::ClientContext* c) {
         v1::ListPrincipalsResponse out;
         return registry_->ListPrincipals(c, {}, &out);
       }},
      {"ListAuditEntries",
       [&](grpc::ClientContext* c) {
         v1::ListAuditEntriesResponse out;
         return registry_->ListAuditEntries(c, {}, &out);
       }},
      {"ListEnterprises",
       [&](grpc::ClientContext* c) {
         v1::ListEnterprisesResponse out;
         return registry_->ListEnterprises(c, {}, &out);
       }},
      {"FeedListIncidents",
       [&](grpc::ClientContext* c) {
         v1::ListIncidentsResponse out;
         return feeds->ListIncidents(c, {}, &out);
       }},
      {"ReportIncident",
       [&](grpc::ClientContext* c) {
         v1::ReportIncidentResponse out;
         return reports->ReportIncident(c, {}, &out);
       }},
      {"IssueNotification",
       [&](grpc::ClientContext* c) {
         v1::Notification out;
         return notices->IssueNotification(c, {}, &out);
       }},
  };
  // role → calls it may not make; every other call of the table must not be PERMISSION_DENIED.
  // Every role may read feeds (row-level security decides what it sees, SPEC §3), and
  // collectors may report through ReportService as well as Push.
  const std::map<std::string, std::set<std::string>> denied = {
      {"NATIONAL",
       {"CreateEnterprise", "CreatePrincipal", "IssueToken", "RevokeToken", "ListPrincipals",
        "ReportIncident"}},
      {"PROVINCIAL",
       {"CreateEnterprise", "CreatePrincipal", "IssueToken", "RevokeToken", "ListPrincipals",
        "ListAuditEntries", "ReportIncident"}},
      {"ENTERPRISE",
       {"CreateEnterprise", "CreatePrincipal", "IssueToken", "RevokeToken", "ListPrincipals",
        "ListAuditEntries", "IssueNotification"}},
      {"COLLECTOR",
       {"CreateEnterprise", "CreatePrincipal", "IssueToken", "RevokeToken", "ListPrincipals",
        "ListAuditEntries", "ListEnterprises", "IssueNotification"}},
  };
  for (const auto& [role, token] : tokens) {
    for (const auto& [name, call] : calls) {
      const grpc::Status status = call(As(token).get());
      if (denied.at(role).contains(name)) {
        EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED) << role << " " << name;
      } else {
        EXPECT_NE(status.error_code(), grpc::StatusCode::PERMISSION_DENIED)
            << role << " " << name << ": " << status.error_message();
      }
    }
  }
}

TEST_F(AuthTest, SituationNeedsATokenOfARegulatorOrEnterprise) {
  auto feeds = v1::FeedService::NewStub(channel_);
  v1::Situation out;
  grpc::ClientContext anonymous;
  EXPECT_EQ(feeds->GetSituation(&anonymous, {}, &out).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_TRUE(feeds->GetSituation(As(TokenFor(v1::ROLE_NATIONAL)).get(), {}, &out).ok());
  EXPECT_EQ(feeds->GetSituation(As(TokenFor(v1::ROLE_COLLECTOR)).get(), {}, &out).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
}

TEST_F(AuthTest, EveryCallIsAudited) {
  const std::string national = TokenFor(v1::ROLE_NATIONAL);
  v1::ListEnterprisesResponse list;
  ASSERT_TRUE(registry_->ListEnterprises(As(national).get(), {}, &list).ok());
  v1::Principal out;
  ASSERT_EQ(registry_->CreatePrincipal(As(national).get(), {}, &out).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  grpc::ClientContext anonymous;
  ASSERT_FALSE(registry_->ListEnterprises(&anonymous, {}, &list).ok());

  v1::ListAuditEntriesResponse audit;
  ASSERT_TRUE(registry_->ListAuditEntries(As(admin_token_).get(), {}, &audit).ok());
  bool saw_list = false, saw_denied = false, saw_anonymous = false;
  for (const v1::AuditEntry& entry : audit.entries()) {
    if (entry.method() == "/sitrep.v1.RegistryService/ListEnterprises" && entry.status() == "OK") {
      saw_list = entry.principal_id() != 0 && entry.rows() == 0;
    }
    if (entry.method() == "/sitrep.v1.RegistryService/CreatePrincipal" &&
        entry.status() == "PERMISSION_DENIED") {
      saw_denied = true;
    }
    if (entry.status() == "UNAUTHENTICATED" && entry.principal_id() == 0) saw_anonymous = true;
    EXPECT_FALSE(entry.peer().empty());
  }
  EXPECT_TRUE(saw_list);
  EXPECT_TRUE(saw_denied);
  EXPECT_TRUE(saw_anonymous);
}

// Hand-made request bodies that protobuf cannot parse (issue 14 item 12).
std::string Varint(uint64_t value) {
  std::string bytes;
  for (; value >= 0x80; value >>= 7) bytes += static_cast<char>(value | 0x80);
  return bytes + static_cast<char>(value);
}

std::string LengthDelimited(int number, const std::string& bytes) {
  return Varint(static_cast<uint64_t>(number) << 3 | 2) + Varint(bytes.size()) + bytes;
}

// The nearest string field of `type` (its own first, then its messages'), as its path and a
// body setting it to bytes that are not UTF-8; nullopt when `type` holds no string.
std::optional<std::pair<std::string, std::string>> InvalidUtf8Body(
    const google::protobuf::Descriptor* type, int depth = 0) {
  if (depth > 3) return std::nullopt;
  for (int i = 0; i < type->field_count(); ++i) {
    const google::protobuf::FieldDescriptor* field = type->field(i);
    if (field->type() == google::protobuf::FieldDescriptor::TYPE_STRING) {
      return std::pair{field->name(), LengthDelimited(field->number(), "bad \xC3\x28")};
    }
  }
  for (int i = 0; i < type->field_count(); ++i) {
    const google::protobuf::FieldDescriptor* field = type->field(i);
    if (field->message_type() == nullptr) continue;
    if (auto inner = InvalidUtf8Body(field->message_type(), depth + 1)) {
      return std::pair{field->name() + "." + inner->first,
                       LengthDelimited(field->number(), inner->second)};
    }
  }
  return std::nullopt;
}

struct UnparsableBody {
  std::string name;
  std::string bytes;
  std::string field;   // the violation's field path
  std::string reason;  // and its reason code
};

// Every way a body can fail to parse, for a request of `type`.
std::vector<UnparsableBody> UnparsableBodies(const google::protobuf::Descriptor* type) {
  std::vector<UnparsableBody> bodies = {
      {"truncated varint", "\x08\x80", "request", "MALFORMED_REQUEST"},
      {"invalid wire type", "\x0F", "request", "MALFORMED_REQUEST"},
      {"length beyond the end",
       "\x0A\x64"
       "abc",
       "request", "MALFORMED_REQUEST"},
  };
  if (auto utf8 = InvalidUtf8Body(type)) {
    bodies.push_back({"invalid UTF-8", utf8->second, utf8->first, "INVALID_UTF8"});
  }
  return bodies;
}

class UnparsedRequestTest : public ServerFixture {
 protected:
  UnparsedRequestTest() { with_metrics_ = true; }

  grpc::Status Send(const std::string& method, const std::string& body) {
    grpc::GenericStub stub(channel_);
    grpc::Slice slice(body);
    grpc::ByteBuffer request(&slice, 1), response;
    std::promise<grpc::Status> done;
    stub.UnaryCall(As(admin_token_).get(), method, grpc::StubOptions(), &request, &response,
                   [&](grpc::Status status) { done.set_value(std::move(status)); });
    return done.get_future().get();
  }
};

// Every method whose request gRPC parses (all but Push, which parses its own batches): a
// body protobuf cannot parse is INVALID_ARGUMENT naming the field (or the request), audited
// under the caller and counted, and protobuf's complaint is a JSON log line.
TEST_F(UnparsedRequestTest, EveryMethodAnswersInvalidArgumentAndAuditsIt) {
  const int64_t admin_id =
      QueryInt(server_->database_url(), "SELECT id FROM principals WHERE name = 'admin'");
  const google::protobuf::DescriptorPool* pool = google::protobuf::DescriptorPool::generated_pool();
  ::testing::internal::CaptureStderr();
  std::vector<std::pair<std::string, int>> sent;  // method, bodies
  for (const char* service_name :
       {"sitrep.v1.RegistryService", "sitrep.v1.ReportService", "sitrep.v1.FeedService",
        "sitrep.v1.NotificationService", "sitrep.v1.IngestService"}) {
    const google::protobuf::ServiceDescriptor* service = pool->FindServiceByName(service_name);
    ASSERT_NE(service, nullptr) << service_name;
    for (int m = 0; m < service->method_count(); ++m) {
      const google::protobuf::MethodDescriptor* method = service->method(m);
      if (method->client_streaming()) continue;
      const std::string path = "/" + service->full_name() + "/" + method->name();
      const std::vector<UnparsableBody> bodies = UnparsableBodies(method->input_type());
      for (const UnparsableBody& body : bodies) {
        SCOPED_TRACE(path + " with " + body.name);
        const grpc::Status status = Send(path, body.bytes);
        EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT)
            << status.error_message();
        google::rpc::Status details;
        google::rpc::BadRequest bad_request;
        ASSERT_TRUE(details.ParseFromString(status.error_details()));
        ASSERT_EQ(details.details_size(), 1);
        ASSERT_TRUE(details.details(0).UnpackTo(&bad_request));
        ASSERT_EQ(bad_request.field_violations_size(), 1);
        EXPECT_EQ(bad_request.field_violations(0).field(), body.field);
        EXPECT_EQ(bad_request.field_violations(0).reason(), body.reason);
        EXPECT_EQ(status.error_message(),
                  body.field + ": " + bad_request.field_violations(0).description());
      }
      sent.emplace_back(path, static_cast<int>(bodies.size()));
    }
  }
  const std::string log = ::testing::internal::GetCapturedStderr();
  EXPECT_EQ(log.find("[libprotobuf"), std::string::npos) << log;
  EXPECT_EQ(sent.size(), 29u);  // every unary and server-streaming method of the API

  const std::string metrics = FetchMetrics(server_->metrics_port());
  for (const auto& [method, bodies] : sent) {
    SCOPED_TRACE(method);
    EXPECT_EQ(QueryInt(server_->database_url(),
                       "SELECT count(*) FROM audit_entries WHERE method = '" + method +
                           "' AND status = 'INVALID_ARGUMENT' AND principal_id = " +
                           std::to_string(admin_id)),
              bodies);
    EXPECT_NE(metrics.find("code=\"INVALID_ARGUMENT\",method=\"" + method + "\"} " +
                           std::to_string(bodies)),
              std::string::npos);
  }
}

}  // namespace
}  // namespace sitrep::testing
