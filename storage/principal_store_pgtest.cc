#include <gtest/gtest.h>

#include <chrono>
#include <pqxx/pqxx>
#include <string>
#include <thread>

#include "domain/time_convert.h"
#include "storage/enterprise_store.h"
#include "storage/pool.h"
#include "storage/principal_store.h"
#include "tests/support/test_cluster.h"

namespace sitrep::storage {
namespace {

using std::chrono::hours;
using std::chrono::system_clock;

// Stand-ins for SHA-256 digests of token secrets.
std::string Hash(char digit) { return std::string(64, digit); }

Principal Admin() {
  Principal admin;
  admin.id = 1;
  admin.name = "admin";
  admin.role = v1::ROLE_ADMIN;
  return admin;
}

class PrincipalStorePgTest : public ::testing::Test {
 protected:
  static v1::Principal NewPrincipal(const std::string& name, v1::Role role, uint32_t province = 0,
                                    int64_t enterprise_id = 0) {
    v1::Principal principal;
    principal.set_name(name);
    principal.set_role(role);
    principal.set_province(province);
    principal.set_enterprise_id(enterprise_id);
    principal.set_description("test principal " + name);
    return principal;
  }

  v1::Principal CreateOrDie(const v1::Principal& principal) {
    v1::Principal created;
    EXPECT_EQ(store_.Create(admin_, principal, created), CreatePrincipalResult::kCreated)
        << principal.name();
    return created;
  }

  int64_t CreateEnterprise(uint32_t province, const std::string& sector) {
    v1::Enterprise enterprise;
    enterprise.set_credit_code("91440300MA5F00001A");
    enterprise.set_name("Guangzhou Petrochemical");
    enterprise.set_province(province);
    enterprise.set_sector(sector);
    enterprise.set_type(v1::ENTERPRISE_TYPE_NETWORKED_INDUSTRIAL);
    enterprise.set_size(v1::ENTERPRISE_SIZE_LARGE);
    return EnterpriseStore(pool_).Create(admin_, enterprise).value().id();
  }

  int64_t CountRows(const std::string& sql) {
    pqxx::connection connection(url_);
    pqxx::nontransaction tx(connection);
    return tx.exec1(sql)[0].as<int64_t>();
  }

  const std::string url_ = test::TestCluster::FreshDatabaseUrl();
  Pool pool_{url_, 4};
  PrincipalStore store_{pool_};
  const Principal admin_ = Admin();
};

// Principals other than the escalation rules' own (migration 0007), which every database has.
constexpr const char* kPeopleCount = "SELECT count(*) FROM principals WHERE name <> 'sitrep-rules'";

TEST_F(PrincipalStorePgTest, CreateStoresThePrincipalWithItsBinding) {
  const v1::Principal created = CreateOrDie(NewPrincipal("gd-cac", v1::ROLE_PROVINCIAL, 440000));

  EXPECT_GT(created.id(), 0);
  EXPECT_EQ(created.name(), "gd-cac");
  EXPECT_EQ(created.role(), v1::ROLE_PROVINCIAL);
  EXPECT_EQ(created.province(), 440000u);
  EXPECT_EQ(created.enterprise_id(), 0);
  EXPECT_EQ(created.description(), "test principal gd-cac");
  EXPECT_GT(created.create_time().seconds(), 1'700'000'000);
  EXPECT_EQ(store_.Get(admin_, created.id())->SerializeAsString(), created.SerializeAsString());
}

TEST_F(PrincipalStorePgTest, NameTakenIsReportedAndNothingIsStored) {
  CreateOrDie(NewPrincipal("probe-1", v1::ROLE_COLLECTOR, 440000));

  v1::Principal created;
  EXPECT_EQ(store_.Create(admin_, NewPrincipal("probe-1", v1::ROLE_NATIONAL), created),
            CreatePrincipalResult::kNameTaken);
  EXPECT_EQ(CountRows(kPeopleCount), 1);
}

TEST_F(PrincipalStorePgTest, UnknownEnterpriseIsReported) {
  v1::Principal created;
  EXPECT_EQ(store_.Create(admin_, NewPrincipal("plant", v1::ROLE_ENTERPRISE, 0, 999), created),
            CreatePrincipalResult::kNoSuchEnterprise);
  EXPECT_EQ(CountRows(kPeopleCount), 0);
}

TEST_F(PrincipalStorePgTest, EnterprisePrincipalTakesItsEnterprisesProvinceAndSector) {
  const int64_t enterprise_id = CreateEnterprise(440000, "petrochemical");
  const v1::Principal created =
      CreateOrDie(NewPrincipal("plant", v1::ROLE_ENTERPRISE, 0, enterprise_id));
  EXPECT_EQ(created.province(), 440000u);
  EXPECT_EQ(created.enterprise_id(), enterprise_id);
  ASSERT_TRUE(store_.InsertToken(admin_, created.id(), Hash('e'), "", std::nullopt));

  const TokenLookup lookup = store_.FindByTokenHash(Hash('e'), system_clock::now());

  ASSERT_EQ(lookup.state, TokenState::kValid);
  EXPECT_EQ(lookup.principal.id, created.id());
  EXPECT_EQ(lookup.principal.name, "plant");
  EXPECT_EQ(lookup.principal.role, v1::ROLE_ENTERPRISE);
  EXPECT_EQ(lookup.principal.province, 440000u);
  EXPECT_EQ(lookup.principal.enterprise_id, enterprise_id);
  EXPECT_EQ(lookup.principal.sector, "petrochemical");
}

TEST_F(PrincipalStorePgTest, ListFiltersByRoleAndPages) {
  const v1::Principal a = CreateOrDie(NewPrincipal("a", v1::ROLE_COLLECTOR, 440000));
  CreateOrDie(NewPrincipal("b", v1::ROLE_NATIONAL));
  const v1::Principal c = CreateOrDie(NewPrincipal("c", v1::ROLE_COLLECTOR));

  const Page<v1::Principal> first = store_.List(admin_, {.role = v1::ROLE_COLLECTOR, .limit = 1});
  ASSERT_EQ(first.items.size(), 1u);
  EXPECT_EQ(first.items[0].id(), a.id());
  EXPECT_EQ(first.last_key, a.id());
  const Page<v1::Principal> second =
      store_.List(admin_, {.role = v1::ROLE_COLLECTOR, .after_id = first.last_key, .limit = 1});
  ASSERT_EQ(second.items.size(), 1u);
  EXPECT_EQ(second.items[0].id(), c.id());
  EXPECT_EQ(second.items[0].province(), 0u);  // a national collector
  EXPECT_EQ(second.last_key, 0);
  // The three, and the escalation rules' own principal that migration 0007 creates.
  EXPECT_EQ(store_.List(admin_, {}).items.size(), 4u);
}

TEST_F(PrincipalStorePgTest, GetOfAnUnknownIdIsNullopt) {
  EXPECT_FALSE(store_.Get(admin_, 4242).has_value());
}

TEST_F(PrincipalStorePgTest, TokenOfAnUnknownPrincipalIsNotStored) {
  EXPECT_FALSE(store_.InsertToken(admin_, 4242, Hash('a'), "", std::nullopt).has_value());
  EXPECT_EQ(CountRows("SELECT count(*) FROM tokens"), 0);
}

TEST_F(PrincipalStorePgTest, TokenKeepsItsMetadataToTheMicrosecond) {
  const v1::Principal probe = CreateOrDie(NewPrincipal("probe", v1::ROLE_COLLECTOR, 440000));
  const system_clock::time_point expiry =
      system_clock::time_point(std::chrono::microseconds(1'893'456'000'123'456));

  const std::optional<v1::Token> token =
      store_.InsertToken(admin_, probe.id(), Hash('a'), "probe key", ToTimestamp(expiry));

  ASSERT_TRUE(token.has_value());
  EXPECT_EQ(token->principal_id(), probe.id());
  EXPECT_EQ(token->description(), "probe key");
  EXPECT_EQ(token->expire_time().seconds(), 1'893'456'000);
  EXPECT_EQ(token->expire_time().nanos(), 123'456'000);
  EXPECT_FALSE(token->has_revoke_time());
  EXPECT_TRUE(token->has_create_time());
}

struct TokenCase {
  const char* name;
  std::optional<system_clock::duration> expires_in;  // from now; nullopt: never
  bool revoked;
  std::string presented;  // the hash presented
  TokenState expected;
};

class TokenStatePgTest : public PrincipalStorePgTest,
                         public ::testing::WithParamInterface<TokenCase> {};

TEST_P(TokenStatePgTest, FindByTokenHashJudgesTheToken) {
  const TokenCase& c = GetParam();
  const system_clock::time_point now = system_clock::now();
  const v1::Principal probe = CreateOrDie(NewPrincipal("probe", v1::ROLE_COLLECTOR, 440000));
  std::optional<google::protobuf::Timestamp> expiry;
  if (c.expires_in) expiry = ToTimestamp(now + *c.expires_in);
  const std::optional<v1::Token> token =
      store_.InsertToken(admin_, probe.id(), Hash('a'), "", expiry);
  ASSERT_TRUE(token.has_value());
  if (c.revoked) {
    ASSERT_TRUE(store_.RevokeToken(admin_, token->id()).has_value());
  }

  const TokenLookup lookup = store_.FindByTokenHash(c.presented, now);

  EXPECT_EQ(lookup.state, c.expected);
  if (c.expected == TokenState::kValid) {
    EXPECT_EQ(lookup.principal.id, probe.id());
    EXPECT_EQ(lookup.principal.role, v1::ROLE_COLLECTOR);
    EXPECT_EQ(lookup.principal.province, 440000u);
    EXPECT_EQ(lookup.principal.sector, "");
  } else {
    EXPECT_EQ(lookup.principal.id, 0);
  }
}

INSTANTIATE_TEST_SUITE_P(
    States, TokenStatePgTest,
    ::testing::Values(
        TokenCase{"NeverExpiring", std::nullopt, false, Hash('a'), TokenState::kValid},
        TokenCase{"NotYetExpired", hours(1), false, Hash('a'), TokenState::kValid},
        TokenCase{"UpperCaseHex", std::nullopt, false, Hash('A'), TokenState::kValid},
        TokenCase{"Unknown", std::nullopt, false, Hash('b'), TokenState::kUnknown},
        TokenCase{"NotAHash", std::nullopt, false, "Bearer nonsense", TokenState::kUnknown},
        TokenCase{"Revoked", std::nullopt, true, Hash('a'), TokenState::kRevoked},
        TokenCase{"RevokedAndExpired", -hours(1), true, Hash('a'), TokenState::kRevoked},
        TokenCase{"Expired", -hours(1), false, Hash('a'), TokenState::kExpired},
        TokenCase{"ExpiringThisInstant", system_clock::duration::zero(), false, Hash('a'),
                  TokenState::kExpired}),
    [](const ::testing::TestParamInfo<TokenCase>& info) { return info.param.name; });

TEST_F(PrincipalStorePgTest, RevokingTwiceKeepsTheFirstTime) {
  const v1::Principal probe = CreateOrDie(NewPrincipal("probe", v1::ROLE_COLLECTOR, 440000));
  const int64_t token_id =
      store_.InsertToken(admin_, probe.id(), Hash('a'), "", std::nullopt).value().id();

  const std::optional<v1::Token> first = store_.RevokeToken(admin_, token_id);
  const std::optional<v1::Token> second = store_.RevokeToken(admin_, token_id);

  ASSERT_TRUE(first.has_value() && second.has_value());
  EXPECT_TRUE(first->has_revoke_time());
  EXPECT_EQ(second->revoke_time().SerializeAsString(), first->revoke_time().SerializeAsString());
  EXPECT_FALSE(store_.RevokeToken(admin_, token_id + 100).has_value());
}

TEST_F(PrincipalStorePgTest, ListTokensFiltersByPrincipal) {
  const v1::Principal a = CreateOrDie(NewPrincipal("a", v1::ROLE_NATIONAL));
  const v1::Principal b = CreateOrDie(NewPrincipal("b", v1::ROLE_NATIONAL));
  ASSERT_TRUE(store_.InsertToken(admin_, a.id(), Hash('1'), "", std::nullopt));
  ASSERT_TRUE(store_.InsertToken(admin_, b.id(), Hash('2'), "", std::nullopt));
  ASSERT_TRUE(store_.InsertToken(admin_, a.id(), Hash('3'), "", std::nullopt));

  const Page<v1::Token> page = store_.ListTokens(admin_, {.principal_id = a.id()});

  ASSERT_EQ(page.items.size(), 2u);
  EXPECT_EQ(page.items[0].principal_id(), a.id());
  EXPECT_EQ(page.items[1].principal_id(), a.id());
  EXPECT_LT(page.items[0].id(), page.items[1].id());
  EXPECT_EQ(store_.ListTokens(admin_, {}).items.size(), 3u);
}

TEST_F(PrincipalStorePgTest, BootstrapAdminTwiceCreatesOneAdmin) {
  EXPECT_TRUE(store_.BootstrapAdmin("admin", Hash('f')));
  EXPECT_FALSE(store_.BootstrapAdmin("admin", Hash('e')));

  EXPECT_EQ(CountRows("SELECT count(*) FROM principals WHERE role = 'ADMIN'"), 1);
  const TokenLookup lookup = store_.FindByTokenHash(Hash('f'), system_clock::now());
  ASSERT_EQ(lookup.state, TokenState::kValid);
  EXPECT_EQ(lookup.principal.name, "admin");
  EXPECT_EQ(lookup.principal.role, v1::ROLE_ADMIN);
  EXPECT_EQ(store_.FindByTokenHash(Hash('e'), system_clock::now()).state, TokenState::kUnknown);
}

TEST_F(PrincipalStorePgTest, BootstrapAdminFromTwoServersAtOnceCreatesOneAdmin) {
  Pool other_pool(url_, 2);
  PrincipalStore other_server(other_pool);
  bool first_created = false;
  bool second_created = false;

  std::thread first([&] { first_created = store_.BootstrapAdmin("admin", Hash('f')); });
  std::thread second([&] { second_created = other_server.BootstrapAdmin("admin", Hash('e')); });
  first.join();
  second.join();

  EXPECT_NE(first_created, second_created);
  EXPECT_EQ(CountRows("SELECT count(*) FROM principals WHERE role = 'ADMIN'"), 1);
  EXPECT_EQ(CountRows("SELECT count(*) FROM tokens"), 1);
}

}  // namespace
}  // namespace sitrep::storage
