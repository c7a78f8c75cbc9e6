#include <gtest/gtest.h>

#include <pqxx/pqxx>
#include <string>

#include "storage/enterprise_store.h"
#include "storage/pool.h"
#include "tests/support/test_cluster.h"

namespace sitrep::storage {
namespace {

Principal Admin() {
  Principal admin;
  admin.id = 1;
  admin.name = "admin";
  admin.role = v1::ROLE_ADMIN;
  return admin;
}

EnterpriseQuery Query(uint32_t province, const std::string& sector, int64_t after_id = 0,
                      int limit = 100) {
  EnterpriseQuery query;
  query.province = province;
  query.sector = sector;
  query.after_id = after_id;
  query.limit = limit;
  return query;
}

class EnterpriseStorePgTest : public ::testing::Test {
 protected:
  static v1::Enterprise Sample(const std::string& credit_code, uint32_t province = 440000,
                               const std::string& sector = "energy") {
    v1::Enterprise enterprise;
    enterprise.set_credit_code(credit_code);
    enterprise.set_name("Shenzhen Grid Automation Co. " + credit_code.substr(14));
    enterprise.set_province(province);
    enterprise.set_sector(sector);
    enterprise.set_type(v1::ENTERPRISE_TYPE_NETWORKED_INDUSTRIAL);
    enterprise.set_size(v1::ENTERPRISE_SIZE_LARGE);
    enterprise.set_grade(3);
    enterprise.set_key_enterprise(true);
    return enterprise;
  }

  v1::Enterprise CreateOrDie(const v1::Enterprise& enterprise) {
    std::optional<v1::Enterprise> created = store_.Create(admin_, enterprise);
    EXPECT_TRUE(created.has_value()) << enterprise.credit_code();
    return created.value_or(v1::Enterprise{});
  }

  int64_t CountRows(const std::string& table) {
    pqxx::connection connection(url_);
    pqxx::nontransaction tx(connection);
    return tx.exec1("SELECT count(*) FROM " + tx.quote_name(table))[0].as<int64_t>();
  }

  const std::string url_ = test::TestCluster::FreshDatabaseUrl();
  Pool pool_{url_, 4};
  EnterpriseStore store_{pool_};
  const Principal admin_ = Admin();
};

TEST_F(EnterpriseStorePgTest, CreateReturnsTheStoredEnterpriseWithIdAndTimes) {
  const v1::Enterprise created = CreateOrDie(Sample("91440300MA5F00001A"));

  EXPECT_GT(created.id(), 0);
  EXPECT_EQ(created.credit_code(), "91440300MA5F00001A");
  EXPECT_EQ(created.name(), "Shenzhen Grid Automation Co. 001A");
  EXPECT_EQ(created.province(), 440000u);
  EXPECT_EQ(created.sector(), "energy");
  EXPECT_EQ(created.type(), v1::ENTERPRISE_TYPE_NETWORKED_INDUSTRIAL);
  EXPECT_EQ(created.size(), v1::ENTERPRISE_SIZE_LARGE);
  EXPECT_EQ(created.grade(), 3u);
  EXPECT_TRUE(created.key_enterprise());
  EXPECT_FALSE(created.cii_operator());
  EXPECT_GT(created.create_time().seconds(), 1'700'000'000);
  EXPECT_EQ(created.update_time().seconds(), created.create_time().seconds());
}

TEST_F(EnterpriseStorePgTest, SameCreditCodeTwiceIsStoredOnce) {
  CreateOrDie(Sample("91440300MA5F00001A"));

  EXPECT_FALSE(store_.Create(admin_, Sample("91440300MA5F00001A", 110000, "steel")).has_value());
  EXPECT_EQ(CountRows("enterprises"), 1);
}

TEST_F(EnterpriseStorePgTest, GetReturnsTheCreatedEnterpriseAndNulloptForAnUnknownId) {
  const v1::Enterprise created = CreateOrDie(Sample("91440300MA5F00001A"));

  const std::optional<v1::Enterprise> found = store_.Get(admin_, created.id());
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->SerializeAsString(), created.SerializeAsString());
  EXPECT_FALSE(store_.Get(admin_, created.id() + 1000).has_value());
}

TEST_F(EnterpriseStorePgTest, ListFiltersByProvinceAndSectorInIdOrder) {
  const v1::Enterprise a = CreateOrDie(Sample("91440300MA5F00001A", 440000, "energy"));
  CreateOrDie(Sample("91440300MA5F00002B", 110000, "energy"));
  const v1::Enterprise c = CreateOrDie(Sample("91440300MA5F00003C", 440000, "energy"));
  CreateOrDie(Sample("91440300MA5F00004D", 440000, "steel"));

  const Page<v1::Enterprise> page = store_.List(admin_, Query(440000, "energy"));

  ASSERT_EQ(page.items.size(), 2u);
  EXPECT_EQ(page.items[0].id(), a.id());
  EXPECT_EQ(page.items[1].id(), c.id());
  EXPECT_EQ(page.last_key, 0);
  EXPECT_EQ(store_.List(admin_, {}).items.size(), 4u);
}

TEST_F(EnterpriseStorePgTest, ListPagesByKeyUntilTheLastPage) {
  for (const char* code : {"91440300MA5F00001A", "91440300MA5F00002B", "91440300MA5F00003C"}) {
    CreateOrDie(Sample(code));
  }

  const Page<v1::Enterprise> first = store_.List(admin_, Query(0, "", 0, 2));
  ASSERT_EQ(first.items.size(), 2u);
  EXPECT_EQ(first.last_key, first.items[1].id());

  const Page<v1::Enterprise> second = store_.List(admin_, Query(0, "", first.last_key, 2));
  ASSERT_EQ(second.items.size(), 1u);
  EXPECT_EQ(second.items[0].credit_code(), "91440300MA5F00003C");
  EXPECT_EQ(second.last_key, 0);
}

TEST_F(EnterpriseStorePgTest, UpdateReplacesEveryWritableField) {
  v1::Enterprise enterprise = CreateOrDie(Sample("91440300MA5F00001A"));
  enterprise.set_credit_code("91110000MA5F00009Z");
  enterprise.set_name("Beijing Rail Signals");
  enterprise.set_province(110000);
  enterprise.set_sector("rail_transit");
  enterprise.set_type(v1::ENTERPRISE_TYPE_PLATFORM);
  enterprise.set_size(v1::ENTERPRISE_SIZE_MICRO);
  enterprise.set_grade(0);
  enterprise.set_key_enterprise(false);
  enterprise.set_cii_operator(true);

  v1::Enterprise updated;
  ASSERT_EQ(store_.Update(admin_, enterprise, updated), UpdateEnterpriseResult::kUpdated);

  EXPECT_EQ(updated.id(), enterprise.id());
  EXPECT_EQ(updated.credit_code(), "91110000MA5F00009Z");
  EXPECT_EQ(updated.name(), "Beijing Rail Signals");
  EXPECT_EQ(updated.province(), 110000u);
  EXPECT_EQ(updated.sector(), "rail_transit");
  EXPECT_EQ(updated.type(), v1::ENTERPRISE_TYPE_PLATFORM);
  EXPECT_EQ(updated.size(), v1::ENTERPRISE_SIZE_MICRO);
  EXPECT_EQ(updated.grade(), 0u);
  EXPECT_FALSE(updated.key_enterprise());
  EXPECT_TRUE(updated.cii_operator());
  EXPECT_EQ(updated.create_time().SerializeAsString(),
            enterprise.create_time().SerializeAsString());
  EXPECT_GT(updated.update_time().seconds() * 1'000'000'000 + updated.update_time().nanos(),
            enterprise.update_time().seconds() * 1'000'000'000 + enterprise.update_time().nanos());
  EXPECT_EQ(store_.Get(admin_, enterprise.id())->SerializeAsString(), updated.SerializeAsString());
}

TEST_F(EnterpriseStorePgTest, UpdateKeepingItsOwnCreditCodeSucceeds) {
  v1::Enterprise enterprise = CreateOrDie(Sample("91440300MA5F00001A"));
  enterprise.set_grade(1);

  v1::Enterprise updated;
  EXPECT_EQ(store_.Update(admin_, enterprise, updated), UpdateEnterpriseResult::kUpdated);
  EXPECT_EQ(updated.grade(), 1u);
}

TEST_F(EnterpriseStorePgTest, UpdateOfAnUnknownIdIsNotFound) {
  v1::Enterprise enterprise = Sample("91440300MA5F00001A");
  enterprise.set_id(12345);

  v1::Enterprise updated;
  EXPECT_EQ(store_.Update(admin_, enterprise, updated), UpdateEnterpriseResult::kNotFound);
}

TEST_F(EnterpriseStorePgTest, UpdateToAnotherEnterprisesCreditCodeIsRefused) {
  CreateOrDie(Sample("91440300MA5F00001A"));
  v1::Enterprise second = CreateOrDie(Sample("91440300MA5F00002B"));
  second.set_credit_code("91440300MA5F00001A");

  v1::Enterprise updated;
  EXPECT_EQ(store_.Update(admin_, second, updated), UpdateEnterpriseResult::kCreditCodeTaken);
  EXPECT_EQ(store_.Get(admin_, second.id())->credit_code(), "91440300MA5F00002B");
}

}  // namespace
}  // namespace sitrep::storage
