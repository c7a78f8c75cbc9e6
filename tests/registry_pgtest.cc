// RegistryService through a real channel: validation, bindings, tokens (issue #2).
#include <gtest/gtest.h>

#include "tests/server_fixture.h"

namespace sitrep::testing {
namespace {

class RegistryTest : public ServerFixture {
 protected:
  v1::Enterprise ValidEnterprise() {
    v1::Enterprise enterprise;
    enterprise.set_credit_code(NextCreditCode());
    enterprise.set_name("广州某石化有限公司");
    enterprise.set_province(440000);
    enterprise.set_sector("petrochemical");
    enterprise.set_type(v1::ENTERPRISE_TYPE_NETWORKED_INDUSTRIAL);
    enterprise.set_size(v1::ENTERPRISE_SIZE_LARGE);
    enterprise.set_grade(3);
    enterprise.set_key_enterprise(true);
    return enterprise;
  }

  grpc::Status Create(const v1::Enterprise& enterprise, v1::Enterprise* out) {
    v1::CreateEnterpriseRequest request;
    *request.mutable_enterprise() = enterprise;
    return registry_->CreateEnterprise(As(admin_token_).get(), request, out);
  }
};

TEST_F(RegistryTest, CreatesAndReadsBackAnEnterprise) {
  v1::Enterprise created;
  ASSERT_TRUE(Create(ValidEnterprise(), &created).ok());
  EXPECT_GT(created.id(), 0);
  EXPECT_TRUE(created.has_create_time());
  v1::GetEnterpriseRequest get;
  get.set_id(created.id());
  v1::Enterprise read;
  ASSERT_TRUE(registry_->GetEnterprise(As(admin_token_).get(), get, &read).ok());
  EXPECT_EQ(read.name(), "广州某石化有限公司");
  EXPECT_EQ(read.grade(), 3u);
  EXPECT_TRUE(read.key_enterprise());
  EXPECT_EQ(read.sector(), "petrochemical");
}

TEST_F(RegistryTest, BadFieldsAreInvalidArgumentNamingTheField) {
  struct Row {
    void (*spoil)(v1::Enterprise&);
    std::string field;
  };
  const Row rows[] = {
      {[](v1::Enterprise& e) { e.set_credit_code("91440300708461136X"); },
       "enterprise.credit_code"},
      {[](v1::Enterprise& e) { e.set_credit_code("'; DROP TABLE enterprises; --"); },
       "enterprise.credit_code"},
      {[](v1::Enterprise& e) { e.set_province(810000); }, "enterprise.province"},  // Hong Kong
      {[](v1::Enterprise& e) { e.set_province(0); }, "enterprise.province"},
      {[](v1::Enterprise& e) { e.set_sector("nuclear"); }, "enterprise.sector"},
      {[](v1::Enterprise& e) { e.set_name(std::string(201, 'x')); }, "enterprise.name"},
      {[](v1::Enterprise& e) { e.set_grade(7); }, "enterprise.grade"},
      {[](v1::Enterprise& e) { e.set_type(v1::ENTERPRISE_TYPE_UNSPECIFIED); }, "enterprise.type"},
  };
  for (const Row& row : rows) {
    v1::Enterprise enterprise = ValidEnterprise();
    row.spoil(enterprise);
    v1::Enterprise out;
    const grpc::Status status = Create(enterprise, &out);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << row.field;
    EXPECT_EQ(ViolatedFields(status), std::vector<std::string>{row.field});
  }
}

// Protobuf's own parser refuses a proto3 string that is not UTF-8 before sitrep's checks run
// (gRPC answers INTERNAL "failed to parse"); what matters is that nothing is stored.
TEST_F(RegistryTest, InvalidUtf8NeverReachesTheDatabase) {
  v1::Enterprise enterprise = ValidEnterprise();
  enterprise.set_name("bad \xC3\x28 utf8");
  v1::Enterprise out;
  EXPECT_FALSE(Create(enterprise, &out).ok());
  v1::ListEnterprisesResponse list;
  ASSERT_TRUE(registry_->ListEnterprises(As(admin_token_).get(), {}, &list).ok());
  EXPECT_EQ(list.enterprises_size(), 0);
}

TEST_F(RegistryTest, SameCreditCodeTwiceIsAlreadyExists) {
  const v1::Enterprise enterprise = ValidEnterprise();
  v1::Enterprise out;
  ASSERT_TRUE(Create(enterprise, &out).ok());
  EXPECT_EQ(Create(enterprise, &out).error_code(), grpc::StatusCode::ALREADY_EXISTS);
}

TEST_F(RegistryTest, SqlInTextIsStoredAsText) {
  v1::Enterprise enterprise = ValidEnterprise();
  enterprise.set_name("x'); DROP TABLE enterprises; --");
  v1::Enterprise created;
  ASSERT_TRUE(Create(enterprise, &created).ok());
  EXPECT_EQ(created.name(), "x'); DROP TABLE enterprises; --");
  v1::ListEnterprisesResponse list;
  ASSERT_TRUE(registry_->ListEnterprises(As(admin_token_).get(), {}, &list).ok());
  EXPECT_EQ(list.enterprises_size(), 1);
}

TEST_F(RegistryTest, RegulatorsAndEnterprisesSeeOnlyWhatTheirBindingAllows) {
  const v1::Enterprise guangdong = RegisterEnterprise(440000);
  const v1::Enterprise beijing = RegisterEnterprise(110000);
  const std::string provincial = TokenFor(v1::ROLE_PROVINCIAL, 440000);
  const std::string enterprise = TokenFor(v1::ROLE_ENTERPRISE, 0, beijing.id());
  const std::string national = TokenFor(v1::ROLE_NATIONAL);

  const auto ids = [&](const std::string& token) {
    v1::ListEnterprisesResponse list;
    EXPECT_TRUE(registry_->ListEnterprises(As(token).get(), {}, &list).ok());
    std::set<int64_t> seen;
    for (const auto& e : list.enterprises()) seen.insert(e.id());
    return seen;
  };
  EXPECT_EQ(ids(national), (std::set<int64_t>{guangdong.id(), beijing.id()}));
  EXPECT_EQ(ids(provincial), (std::set<int64_t>{guangdong.id()}));
  EXPECT_EQ(ids(enterprise), (std::set<int64_t>{beijing.id()}));

  v1::GetEnterpriseRequest get;
  get.set_id(beijing.id());
  v1::Enterprise out;
  EXPECT_EQ(registry_->GetEnterprise(As(provincial).get(), get, &out).error_code(),
            grpc::StatusCode::NOT_FOUND);
  v1::ListEnterprisesRequest other_province;
  other_province.set_province(110000);
  v1::ListEnterprisesResponse list;
  EXPECT_EQ(registry_->ListEnterprises(As(provincial).get(), other_province, &list).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
}

TEST_F(RegistryTest, ListPagesFollowTheToken) {
  for (int i = 0; i < 5; ++i) RegisterEnterprise(320000, "steel");
  v1::ListEnterprisesRequest request;
  request.set_page_size(2);
  std::set<int64_t> seen;
  int pages = 0;
  do {
    v1::ListEnterprisesResponse page;
    ASSERT_TRUE(registry_->ListEnterprises(As(admin_token_).get(), request, &page).ok());
    for (const auto& e : page.enterprises()) EXPECT_TRUE(seen.insert(e.id()).second);
    request.set_page_token(page.next_page_token());
    ++pages;
  } while (!request.page_token().empty() && pages < 10);
  EXPECT_EQ(seen.size(), 5u);

  request.set_page_token("not-a-token");
  v1::ListEnterprisesResponse page;
  const grpc::Status status = registry_->ListEnterprises(As(admin_token_).get(), request, &page);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(ViolatedFields(status), std::vector<std::string>{"page_token"});
}

TEST_F(RegistryTest, UpdateChangesOnlyTheMaskedFields) {
  v1::Enterprise created;
  ASSERT_TRUE(Create(ValidEnterprise(), &created).ok());
  v1::UpdateEnterpriseRequest update;
  update.mutable_enterprise()->set_id(created.id());
  update.mutable_enterprise()->set_grade(2);
  update.mutable_enterprise()->set_name("ignored because not in the mask");
  update.mutable_update_mask()->add_paths("grade");
  v1::Enterprise updated;
  ASSERT_TRUE(registry_->UpdateEnterprise(As(admin_token_).get(), update, &updated).ok());
  EXPECT_EQ(updated.grade(), 2u);
  EXPECT_EQ(updated.name(), created.name());

  update.mutable_update_mask()->add_paths("id");
  EXPECT_EQ(registry_->UpdateEnterprise(As(admin_token_).get(), update, &updated).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_F(RegistryTest, PrincipalsAreBoundAsTheirRoleRequires) {
  const v1::Enterprise enterprise = RegisterEnterprise(440000);
  struct Row {
    v1::Role role;
    uint32_t province;
    int64_t enterprise_id;
    grpc::StatusCode code;
    std::string field;
  };
  const Row rows[] = {
      {v1::ROLE_PROVINCIAL, 440000, 0, grpc::StatusCode::OK, ""},
      {v1::ROLE_PROVINCIAL, 0, 0, grpc::StatusCode::INVALID_ARGUMENT, "principal.province"},
      {v1::ROLE_PROVINCIAL, 999999, 0, grpc::StatusCode::INVALID_ARGUMENT, "principal.province"},
      {v1::ROLE_COLLECTOR, 0, 0, grpc::StatusCode::OK, ""},
      {v1::ROLE_ENTERPRISE, 0, enterprise.id(), grpc::StatusCode::OK, ""},
      {v1::ROLE_ENTERPRISE, 0, 987654, grpc::StatusCode::INVALID_ARGUMENT,
       "principal.enterprise_id"},
      {v1::ROLE_NATIONAL, 110000, 0, grpc::StatusCode::INVALID_ARGUMENT, "principal.province"},
      {v1::ROLE_UNSPECIFIED, 0, 0, grpc::StatusCode::INVALID_ARGUMENT, "principal.role"},
  };
  int n = 0;
  for (const Row& row : rows) {
    v1::CreatePrincipalRequest request;
    request.mutable_principal()->set_name("p" + std::to_string(++n));
    request.mutable_principal()->set_role(row.role);
    request.mutable_principal()->set_province(row.province);
    request.mutable_principal()->set_enterprise_id(row.enterprise_id);
    v1::Principal created;
    const grpc::Status status =
        registry_->CreatePrincipal(As(admin_token_).get(), request, &created);
    EXPECT_EQ(status.error_code(), row.code) << n << " " << status.error_message();
    if (!row.field.empty()) {
      EXPECT_EQ(ViolatedFields(status), std::vector<std::string>{row.field});
    }
    if (row.role == v1::ROLE_ENTERPRISE && status.ok()) {
      EXPECT_EQ(created.province(), 440000u);
    }
  }
  v1::CreatePrincipalRequest again;
  again.mutable_principal()->set_name("p1");
  again.mutable_principal()->set_role(v1::ROLE_NATIONAL);
  v1::Principal out;
  EXPECT_EQ(registry_->CreatePrincipal(As(admin_token_).get(), again, &out).error_code(),
            grpc::StatusCode::ALREADY_EXISTS);
}

TEST_F(RegistryTest, TokensAreShownOnceAndListedWithoutSecret) {
  const std::string secret = TokenFor(v1::ROLE_NATIONAL);
  EXPECT_GE(secret.size(), 40u);
  v1::ListTokensResponse tokens;
  ASSERT_TRUE(registry_->ListTokens(As(admin_token_).get(), {}, &tokens).ok());
  EXPECT_EQ(tokens.tokens_size(), 2);  // the bootstrap admin's and the new one
  EXPECT_EQ(tokens.DebugString().find(secret), std::string::npos);
}

}  // namespace
}  // namespace sitrep::testing
