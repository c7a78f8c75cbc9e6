// Authentication, role gates and the audit log, through a real channel (issue #2).
#include <google/protobuf/descriptor.h>
#include <grpcpp/generic/generic_stub.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <functional>
#include <future>
#include <mutex>
#include <optional>
#include <set>
#include <thread>

#include "domain/page_token.h"
#include "domain/time_convert.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "sitrep/v1/feed.grpc.pb.h"
#include "sitrep/v1/ingest.grpc.pb.h"
#include "sitrep/v1/notification.grpc.pb.h"
#include "sitrep/v1/report.grpc.pb.h"
#include "tests/push_client.h"
#include "tests/record_samples.h"
#include "tests/server_fixture.h"
#include "tests/support/database_owner.h"

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

// How the audit log can fail a read after its rows were read (issue 16): the insert refused,
// or the connection lost in the middle of it (the backend ends, as when PostgreSQL goes away).
// An operator makes both behind the server's back.
struct AuditFailure {
  const char* name;
  const char* install;  // run as the database owner; undone by `remove`
  const char* remove;
};

constexpr AuditFailure kAuditFailures[] = {
    {"insert refused",
     "ALTER TABLE audit_entries ADD CONSTRAINT audit_refused CHECK (false) NOT VALID",
     "ALTER TABLE audit_entries DROP CONSTRAINT audit_refused"},
    {"connection lost",
     "CREATE FUNCTION audit_lost() RETURNS trigger LANGUAGE plpgsql AS "
     "$$BEGIN PERFORM pg_terminate_backend(pg_backend_pid()); RETURN NEW; END$$; "
     "CREATE TRIGGER audit_lost BEFORE INSERT ON audit_entries "
     "FOR EACH ROW EXECUTE FUNCTION audit_lost()",
     "DROP TRIGGER audit_lost ON audit_entries; DROP FUNCTION audit_lost()"},
};

// No read escapes the audit log: a reader whose audit entry cannot be made durable gets
// UNAVAILABLE and none of what was read; the entry of that refusal (no rows) reaches the log
// once it can be written, and no entry says the read succeeded.
TEST_F(AuthTest, AReadWhoseAuditEntryCannotBeWrittenGetsNoRows) {
  for (const AuditFailure& failure : kAuditFailures) {
    SCOPED_TRACE(failure.name);
    v1::ListPrincipalsResponse read;
    ASSERT_TRUE(registry_->ListPrincipals(As(admin_token_).get(), {}, &read).ok());
    ASSERT_GT(read.principals_size(), 0);  // the admin at least: a read that has rows
    const std::string method = "/sitrep.v1.RegistryService/ListPrincipals";
    const size_t before = AuditEntries(method).size();

    test::DatabaseOwner(server_->database_url()).Run(failure.install);
    v1::ListPrincipalsResponse refused;
    const grpc::Status status = registry_->ListPrincipals(As(admin_token_).get(), {}, &refused);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE) << status.error_message();
    google::rpc::Status details;
    ASSERT_TRUE(details.ParseFromString(status.error_details()));
    ASSERT_EQ(details.details_size(), 1);
    EXPECT_TRUE(details.details(0).Is<google::rpc::RetryInfo>());
    EXPECT_EQ(refused.principals_size(), 0);
    test::DatabaseOwner(server_->database_url()).Run(failure.remove);

    // Reads are answered again once the log takes entries again.
    grpc::Status again;
    for (int attempt = 0; attempt < 100; ++attempt) {
      again = registry_->ListPrincipals(As(admin_token_).get(), {}, &read);
      if (again.ok()) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    ASSERT_TRUE(again.ok()) << again.error_message();
    // The entries since `before`, newest first: the refused read's entry (and those of reads
    // refused while the log caught up), then the read that succeeded after it. No entry says a
    // refused read had rows or succeeded.
    std::vector<v1::AuditEntry> since = AuditEntries(method);
    ASSERT_GT(since.size(), before);
    since.resize(since.size() - before);
    const auto count = [&](const std::function<bool(const v1::AuditEntry&)>& which) {
      return std::count_if(since.begin(), since.end(), which);
    };
    const auto unavailable = count([](const auto& e) { return e.status() == "UNAVAILABLE"; });
    EXPECT_GE(unavailable, 1);
    EXPECT_EQ(count([](const auto& e) { return e.rows() == 0; }), unavailable);
    EXPECT_EQ(count([](const auto& e) { return e.status() == "OK"; }), 1);
  }
}

// Tokens are cached in memory (server/authenticator.h): a token that worked a moment ago must
// stop working at once when its credential ends through the API, and within the NOTIFY's
// delay (milliseconds; one second allowed) when it ends behind the server's back.
struct CachedTokenEnd {
  const char* name;
  bool through_api;
  std::string (*sql)(int64_t token_id, int64_t principal_id);  // behind the server's back
  const char* message;
};

const CachedTokenEnd kCachedTokenEnds[] = {
    {"revoked through the API", true, nullptr, "the token has been revoked"},
    {"revoked by an operator's UPDATE", false,
     +[](int64_t token, int64_t) {
       return "UPDATE tokens SET revoked_at = now() WHERE id = " + std::to_string(token);
     },
     "the token has been revoked"},
    {"its principal made a collector by an operator's UPDATE", false,
     +[](int64_t, int64_t principal) {
       return "UPDATE principals SET role = 'COLLECTOR' WHERE id = " + std::to_string(principal);
     },
     nullptr},
};

TEST_F(AuthTest, ACachedTokenEndsWithItsCredential) {
  for (const CachedTokenEnd& end : kCachedTokenEnds) {
    SCOPED_TRACE(end.name);
    const std::string token = TokenFor(v1::ROLE_NATIONAL);
    v1::ListEnterprisesResponse list;
    // Twice: the first call looks the token up, the second finds it cached.
    ASSERT_TRUE(registry_->ListEnterprises(As(token).get(), {}, &list).ok());
    ASSERT_TRUE(registry_->ListEnterprises(As(token).get(), {}, &list).ok());
    v1::ListTokensResponse tokens;
    ASSERT_TRUE(registry_->ListTokens(As(admin_token_).get(), {}, &tokens).ok());
    v1::Token newest;
    for (const v1::Token& t : tokens.tokens()) {
      if (t.id() > newest.id()) newest = t;
    }
    if (end.through_api) {
      v1::RevokeTokenRequest revoke;
      revoke.set_token_id(newest.id());
      v1::Token revoked;
      ASSERT_TRUE(registry_->RevokeToken(As(admin_token_).get(), revoke, &revoked).ok());
    } else {
      ASSERT_EQ(test::DatabaseOwner(server_->database_url())
                    .Run(end.sql(newest.id(), newest.principal_id())),
                1);
    }
    // The very next call is refused: the server's cache hears of a change made behind its back
    // only by NOTIFY, but every transaction re-checks the credential (UNAUTHENTICATED, "its
    // principal changed") until the cache learns it and answers as for the new credential.
    const auto answers_as_the_new_credential = [&](const grpc::Status& status) {
      return end.message != nullptr ? status.error_code() == grpc::StatusCode::UNAUTHENTICATED &&
                                          status.error_message() == end.message
                                    : status.error_code() == grpc::StatusCode::PERMISSION_DENIED;
    };
    const auto deadline =
        std::chrono::steady_clock::now() +
        (end.through_api ? std::chrono::milliseconds(0) : std::chrono::seconds(5));
    grpc::Status status;
    do {
      status = registry_->ListEnterprises(As(token).get(), {}, &list);
      ASSERT_FALSE(status.ok()) << "the cached token outlived its credential";
      if (!answers_as_the_new_credential(status)) {
        EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAUTHENTICATED) << status.error_message();
      }
    } while (!answers_as_the_new_credential(status) && std::chrono::steady_clock::now() < deadline);
    EXPECT_TRUE(answers_as_the_new_credential(status)) << status.error_message();
  }
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
    // The context must outlive the call: the callback API reads it until the callback runs.
    const std::unique_ptr<grpc::ClientContext> context = As(admin_token_);
    stub.UnaryCall(context.get(), method, grpc::StubOptions(), &request, &response,
                   [&](grpc::Status status) { done.set_value(std::move(status)); });
    return done.get_future().get();
  }
};

// Every method whose request gRPC parses (all but Push, which parses its own batches): a
// body protobuf cannot parse is INVALID_ARGUMENT naming the field (or the request), audited
// under the caller and counted, and protobuf's complaint is a JSON log line.
TEST_F(UnparsedRequestTest, EveryMethodAnswersInvalidArgumentAndAuditsIt) {
  const int64_t admin_id = PrincipalId("admin");
  ASSERT_NE(admin_id, 0);
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
    const std::vector<v1::AuditEntry> entries = AuditEntries(method);
    EXPECT_EQ(std::count_if(entries.begin(), entries.end(),
                            [&](const v1::AuditEntry& entry) {
                              return entry.status() == "INVALID_ARGUMENT" &&
                                     entry.principal_id() == admin_id;
                            }),
              bodies);
    EXPECT_NE(metrics.find("code=\"INVALID_ARGUMENT\",method=\"" + method +
                           "\",transport=\"grpc\"} " + std::to_string(bodies)),
              std::string::npos);
  }
}

// Issue 14, item 5: every long-lived call ends within a second of its credential ending.
enum class LongCall { kWatchIncidents, kWatchAssets, kWatchNotifications, kPush };
enum class CredentialEnd { kRevoked, kExpired, kPrincipalRebound, kEnterpriseMoved };

constexpr uint32_t kGuangdong = 440000;
constexpr uint32_t kBeijing = 110000;
constexpr auto kTokenLifetime = std::chrono::seconds(2);

const char* Name(LongCall call) {
  switch (call) {
    case LongCall::kWatchIncidents:
      return "WatchIncidents";
    case LongCall::kWatchAssets:
      return "WatchAssets";
    case LongCall::kWatchNotifications:
      return "WatchNotifications";
    case LongCall::kPush:
      return "Push";
  }
  return "?";
}

const char* Name(CredentialEnd end) {
  switch (end) {
    case CredentialEnd::kRevoked:
      return "revoked";
    case CredentialEnd::kExpired:
      return "expired";
    case CredentialEnd::kPrincipalRebound:
      return "principal rebound";
    case CredentialEnd::kEnterpriseMoved:
      return "enterprise moved";
  }
  return "?";
}

// One open long-lived call, read on its own thread: the names of the records it delivered
// (external ids, asset keys, notice titles; acks for Push) and when and how it ended.
class OpenCall final {
 public:
  OpenCall(std::shared_ptr<grpc::Channel> channel, LongCall kind, const std::string& token) {
    context_.AddMetadata("authorization", "Bearer " + token);
    context_.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
    switch (kind) {
      case LongCall::kWatchIncidents: {
        feeds_ = v1::FeedService::NewStub(channel);
        v1::WatchIncidentsRequest request;
        request.set_cursor(EncodeFeedCursor("incidents", FeedPosition{}));
        auto stream = feeds_->WatchIncidents(&context_, request);
        Read<v1::WatchIncidentsResponse>(std::move(stream),
                                         [](const v1::WatchIncidentsResponse& response) {
                                           std::vector<std::string> names;
                                           for (const auto& incident : response.incidents())
                                             names.push_back(incident.external_id());
                                           return names;
                                         });
        break;
      }
      case LongCall::kWatchAssets: {
        feeds_ = v1::FeedService::NewStub(channel);
        v1::WatchAssetsRequest request;
        request.set_cursor(EncodeFeedCursor("assets", FeedPosition{}));
        auto stream = feeds_->WatchAssets(&context_, request);
        Read<v1::WatchAssetsResponse>(std::move(stream),
                                      [](const v1::WatchAssetsResponse& response) {
                                        std::vector<std::string> names;
                                        for (const auto& asset : response.assets())
                                          names.push_back(asset.asset_key());
                                        return names;
                                      });
        break;
      }
      case LongCall::kWatchNotifications: {
        notices_ = v1::NotificationService::NewStub(channel);
        v1::WatchNotificationsRequest request;
        request.set_cursor(EncodeFeedCursor("notification-inbox", FeedPosition{}));
        auto stream = notices_->WatchNotifications(&context_, request);
        Read<v1::WatchNotificationsResponse>(std::move(stream),
                                             [](const v1::WatchNotificationsResponse& response) {
                                               std::vector<std::string> names;
                                               for (const auto& notice : response.notifications())
                                                 names.push_back(notice.title());
                                               return names;
                                             });
        break;
      }
      case LongCall::kPush:
        ingest_ = v1::IngestService::NewStub(channel);
        push_ = ingest_->Push(&context_);
        thread_ = std::thread([this] {
          v1::PushAck ack;
          while (push_->Read(&ack)) Got({"ack-" + std::to_string(ack.sequence())});
          Ended(push_->Finish());
        });
        break;
    }
  }

  ~OpenCall() {
    context_.TryCancel();
    thread_.join();
  }

  // Push only: sends one batch of `incident` (false when the stream is already closed).
  bool Write(uint64_t sequence, const v1::Incident& incident) {
    std::lock_guard lock(write_mu_);
    v1::PushBatch batch;
    batch.set_sequence(sequence);
    *batch.add_incidents() = incident;
    return push_->Write(batch);
  }

  // Waits up to `timeout` for a record named `name`.
  bool WaitDelivered(const std::string& name, std::chrono::milliseconds timeout) {
    std::unique_lock lock(mu_);
    return changed_.wait_for(lock, timeout, [&] { return delivered_.contains(name); });
  }
  [[nodiscard]] bool Delivered(const std::string& name) {
    std::lock_guard lock(mu_);
    return delivered_.contains(name);
  }
  // Waits up to `timeout` for the call to end; its status and when it ended.
  std::optional<std::pair<grpc::Status, std::chrono::steady_clock::time_point>> WaitEnded(
      std::chrono::milliseconds timeout) {
    std::unique_lock lock(mu_);
    if (!changed_.wait_for(lock, timeout, [&] { return ended_.has_value(); })) return std::nullopt;
    return ended_;
  }

 private:
  template <class Response>
  void Read(std::unique_ptr<grpc::ClientReader<Response>> stream,
            std::function<std::vector<std::string>(const Response&)> names) {
    thread_ = std::thread([this, stream = std::move(stream), names = std::move(names)] {
      Response response;
      while (stream->Read(&response)) Got(names(response));
      Ended(stream->Finish());
    });
  }

  void Got(std::vector<std::string> names) {
    std::lock_guard lock(mu_);
    for (std::string& name : names) delivered_.insert(std::move(name));
    changed_.notify_all();
  }
  void Ended(grpc::Status status) {
    std::lock_guard lock(mu_);
    ended_ = std::pair{std::move(status), std::chrono::steady_clock::now()};
    changed_.notify_all();
  }

  grpc::ClientContext context_;
  std::unique_ptr<v1::FeedService::Stub> feeds_;
  std::unique_ptr<v1::NotificationService::Stub> notices_;
  std::unique_ptr<v1::IngestService::Stub> ingest_;
  std::unique_ptr<grpc::ClientReaderWriter<v1::PushBatch, v1::PushAck>> push_;
  std::mutex write_mu_;
  std::mutex mu_;
  std::condition_variable changed_;
  std::set<std::string> delivered_;  // guarded by mu_
  std::optional<std::pair<grpc::Status, std::chrono::steady_clock::time_point>>
      ended_;  // guarded by mu_
  std::thread thread_;
};

// A fresh enterprise of Guangdong with one ENTERPRISE principal, and the token a row's call
// runs on (expiring after kTokenLifetime when the row says so).
struct Holder {
  v1::Enterprise enterprise;
  int64_t principal_id = 0;
  int64_t token_id = 0;
  std::string token;
};

class LongCallTest : public ServerFixture {
 protected:
  void SetUp() override {
    ServerFixture::SetUp();
    collector_ = TokenFor(v1::ROLE_COLLECTOR, kGuangdong);
    provincial_ = TokenFor(v1::ROLE_PROVINCIAL, kGuangdong);
    notices_ = v1::NotificationService::NewStub(channel_);
  }

  Holder NewHolder(bool expiring) {
    static int counter = 0;
    Holder holder;
    holder.enterprise = RegisterEnterprise(kGuangdong);
    v1::CreatePrincipalRequest create;
    create.mutable_principal()->set_name("holder-" + std::to_string(++counter));
    create.mutable_principal()->set_role(v1::ROLE_ENTERPRISE);
    create.mutable_principal()->set_enterprise_id(holder.enterprise.id());
    v1::Principal principal;
    EXPECT_TRUE(registry_->CreatePrincipal(As(admin_token_).get(), create, &principal).ok());
    holder.principal_id = principal.id();
    v1::IssueTokenRequest issue;
    issue.set_principal_id(principal.id());
    if (expiring) *issue.mutable_expire_time() = ToTimestamp(clock_.Now() + kTokenLifetime);
    v1::IssueTokenResponse token;
    EXPECT_TRUE(registry_->IssueToken(As(admin_token_).get(), issue, &token).ok());
    holder.token_id = token.token().id();
    holder.token = token.secret();
    return holder;
  }

  // A TLP RED incident about the holder's enterprise, as the holder's own Push writes it.
  v1::Incident RedIncident(const std::string& name, const Holder& holder) {
    v1::Incident incident = SampleIncident(name, kGuangdong, clock_.Now());
    incident.set_enterprise_id(holder.enterprise.id());
    incident.set_tlp(v1::TLP_RED);
    incident.set_sharing_scope(v1::SHARING_SCOPE_PROVINCE);
    return incident;
  }

  // Makes the server offer `call` one record named `name` that its holder may see.
  void Offer(LongCall call, OpenCall& open, const Holder& holder, const std::string& name,
             uint64_t sequence) {
    v1::PushBatch batch;
    switch (call) {
      case LongCall::kWatchIncidents:
        *batch.add_incidents() = RedIncident(name, holder);
        break;
      case LongCall::kWatchAssets: {
        v1::Asset asset = SampleAsset(name, kGuangdong, clock_.Now());
        asset.set_enterprise_id(holder.enterprise.id());
        *batch.add_assets() = asset;
        break;
      }
      case LongCall::kWatchNotifications: {
        v1::IssueNotificationRequest request;
        v1::Notification* notice = request.mutable_notification();
        notice->set_title(name);
        notice->set_body("Block the listed addresses.");
        notice->set_required_action("Check every HMI.");
        notice->set_priority(v1::SEVERITY_II);
        notice->set_tlp(v1::TLP_AMBER);
        notice->add_targets()->set_enterprise_id(holder.enterprise.id());
        v1::Notification out;
        static_cast<void>(notices_->IssueNotification(As(provincial_).get(), request, &out));
        return;
      }
      case LongCall::kPush:
        static_cast<void>(open.Write(sequence, RedIncident(name, holder)));
        return;
    }
    static_cast<void>(PushAll(*channel_, collector_, {batch}));
  }

  // Ends the holder's credential the way the row says; returns when it ended. Changes made
  // through the API end the calls before the API answers.
  std::chrono::steady_clock::time_point EndCredential(
      CredentialEnd end, const Holder& holder, std::chrono::steady_clock::time_point opened) {
    switch (end) {
      case CredentialEnd::kRevoked: {
        v1::RevokeTokenRequest revoke;
        revoke.set_token_id(holder.token_id);
        v1::Token revoked;
        EXPECT_TRUE(registry_->RevokeToken(As(admin_token_).get(), revoke, &revoked).ok());
        break;
      }
      case CredentialEnd::kExpired:
        // The server counts the lifetime from when it admitted the call, a little after
        // `opened`; a short margin keeps "after" clear of that instant.
        std::this_thread::sleep_until(opened + kTokenLifetime + std::chrono::milliseconds(100));
        break;
      case CredentialEnd::kPrincipalRebound: {
        // No API rebinds a principal: an operator's UPDATE must end its calls all the same.
        const v1::Enterprise other = RegisterEnterprise(kGuangdong);
        EXPECT_EQ(test::DatabaseOwner(server_->database_url())
                      .Run("UPDATE principals SET enterprise_id = " + std::to_string(other.id()) +
                           " WHERE id = " + std::to_string(holder.principal_id)),
                  1);
        // Made behind the server's back, the change reaches the server's cache only as a NOTIFY,
        // but every transaction re-checks the binding: "after" is offered at once.
        break;
      }
      case CredentialEnd::kEnterpriseMoved: {
        v1::UpdateEnterpriseRequest update;
        update.mutable_enterprise()->set_id(holder.enterprise.id());
        update.mutable_enterprise()->set_province(kBeijing);
        update.mutable_update_mask()->add_paths("province");
        v1::Enterprise moved;
        const grpc::Status status =
            registry_->UpdateEnterprise(As(admin_token_).get(), update, &moved);
        EXPECT_TRUE(status.ok()) << status.error_message();
        break;
      }
    }
    return std::chrono::steady_clock::now();
  }

  std::string collector_;
  std::string provincial_;
  std::unique_ptr<v1::NotificationService::Stub> notices_;
};

TEST_F(LongCallTest, EveryLongLivedCallEndsWithinASecondOfItsCredential) {
  using std::chrono::milliseconds;
  const LongCall calls[] = {LongCall::kWatchIncidents, LongCall::kWatchAssets,
                            LongCall::kWatchNotifications, LongCall::kPush};
  const CredentialEnd ends[] = {CredentialEnd::kRevoked, CredentialEnd::kExpired,
                                CredentialEnd::kPrincipalRebound, CredentialEnd::kEnterpriseMoved};
  int row = 0;
  for (const LongCall call : calls) {
    for (const CredentialEnd end : ends) {
      SCOPED_TRACE(std::string(Name(call)) + " x " + Name(end));
      ++row;
      const Holder holder = NewHolder(end == CredentialEnd::kExpired);
      const auto opened = std::chrono::steady_clock::now();
      OpenCall open(channel_, call, holder.token);
      const std::string before = "before-" + std::to_string(row);
      const std::string after = "after-" + std::to_string(row);
      Offer(call, open, holder, before, 1);
      ASSERT_TRUE(
          open.WaitDelivered(call == LongCall::kPush ? "ack-1" : before, milliseconds(5000)));

      const auto ended_credential = EndCredential(end, holder, opened);
      Offer(call, open, holder, after, 2);  // at once: nothing may get through from here on
      const auto ended = open.WaitEnded(milliseconds(3000));
      EXPECT_TRUE(ended.has_value()) << "the call outlived its credential";
      if (!ended) continue;
      EXPECT_EQ(ended->first.error_code(), grpc::StatusCode::UNAUTHENTICATED)
          << ended->first.error_message();
      EXPECT_LT(ended->second - ended_credential, milliseconds(1000));
      if (call == LongCall::kPush) {
        EXPECT_FALSE(open.Delivered("ack-2"));
        const std::vector<v1::Incident> stored = AllIncidents();
        EXPECT_EQ(std::count_if(stored.begin(), stored.end(),
                                [&](const v1::Incident& incident) {
                                  return incident.external_id() == after;
                                }),
                  0);
      } else {
        EXPECT_FALSE(open.WaitDelivered(after, milliseconds(200)));
      }
    }
  }
}

}  // namespace
}  // namespace sitrep::testing
