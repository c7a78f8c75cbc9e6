// The vulnerability base's tables at the SQL level (storage/schema/07_vulns.sql): who reads
// which advisory by its TLP marking, and which matches, under the real row-level security of
// the server's role.
#include <gtest/gtest.h>

#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "storage/asset_store.h"
#include "storage/transaction.h"
#include "storage/vuln_store.h"
#include "tests/support/test_cluster.h"

namespace sitrep::storage {
namespace {

constexpr uint32_t kGuangdong = 440000;
constexpr uint32_t kBeijing = 110000;

Principal Caller(int64_t id, v1::Role role, uint32_t province = 0, int64_t enterprise_id = 0) {
  Principal caller;
  caller.id = id;
  caller.name = "p" + std::to_string(id);
  caller.role = role;
  caller.province = province;
  caller.enterprise_id = enterprise_id;
  caller.sector = "energy";
  return caller;
}

const Principal kPusher = Caller(101, v1::ROLE_COLLECTOR, kGuangdong);

class VulnStorePgTest : public ::testing::Test {
 protected:
  // An advisory "T-<tlp>" of one product leaf (Acme / Widget, every version), as `kPusher`.
  int64_t InsertAdvisory(v1::Tlp tlp) {
    v1::Advisory advisory;
    advisory.set_tracking_id("T-" + v1::Tlp_Name(tlp).substr(4));
    advisory.set_csaf_document("{}");
    advisory.set_version("1");
    advisory.set_tlp(tlp);
    v1::AffectedProduct& product = *advisory.add_products_affected();
    product.set_branch_path("Acme/Widget/vers:all/*");
    product.set_vendor("Acme");
    product.set_product("Widget");
    product.set_version_expression("vers:all/*");
    product.set_is_range(true);
    AdvisoryWrite write{&advisory, kPusher.id, "", {"acme"}, {"widget"}};
    return InTransaction(pool_, kPusher, [&](Tx& tx) {
      return VulnStore::InsertAdvisory(tx, write, std::chrono::system_clock::now());
    });
  }

  // The tracking ids of the advisories `caller` reads, in order, joined by ','.
  std::string Visible(const Principal& caller, const std::string& table = "advisories") {
    return InTransaction(pool_, caller, [&](pqxx::work& tx) {
      const std::string sql =
          table == "advisories"
              ? "SELECT coalesce(string_agg(tracking_id, ',' ORDER BY tracking_id), '') "
                "FROM advisories"
              : "SELECT coalesce(string_agg(a.tracking_id, ',' ORDER BY a.tracking_id), '') "
                "FROM " +
                    table +
                    " t JOIN sitrep_advisory_versions(ARRAY['T-CLEAR', 'T-GREEN', 'T-AMBER', "
                    "'T-AMBER_STRICT', 'T-RED']) a ON a.id = t.advisory_id";
      return tx.exec1(sql)[0].as<std::string>();
    });
  }

  const std::string url_ = test::TestCluster::FreshDatabaseUrl();
  Pool pool_{url_, 1};
};

// Issue 18: TLP CLEAR advisories are every role's; others follow SPEC §3 as a record shared
// PUBLIC: NATIONAL and ADMIN all, PROVINCIAL up to AMBER, ENTERPRISE up to GREEN, a collector
// what it pushed. The product leaves follow their advisory.
TEST_F(VulnStorePgTest, AdvisoriesAreReadByTlpAsSpecSection3Says) {
  for (const v1::Tlp tlp :
       {v1::TLP_CLEAR, v1::TLP_GREEN, v1::TLP_AMBER, v1::TLP_AMBER_STRICT, v1::TLP_RED}) {
    InsertAdvisory(tlp);
  }
  const std::string all = "T-AMBER,T-AMBER_STRICT,T-CLEAR,T-GREEN,T-RED";
  struct Case {
    const char* who;
    Principal caller;
    std::string expected;
  };
  const std::vector<Case> cases = {
      {"national", Caller(201, v1::ROLE_NATIONAL), all},
      {"admin", Caller(202, v1::ROLE_ADMIN), all},
      {"provincial of the pusher's province", Caller(203, v1::ROLE_PROVINCIAL, kGuangdong),
       "T-AMBER,T-CLEAR,T-GREEN"},
      {"provincial of another province", Caller(204, v1::ROLE_PROVINCIAL, kBeijing),
       "T-AMBER,T-CLEAR,T-GREEN"},
      {"enterprise", Caller(205, v1::ROLE_ENTERPRISE, kGuangdong, 7), "T-CLEAR,T-GREEN"},
      {"the pushing collector", kPusher, all},
      {"another collector", Caller(206, v1::ROLE_COLLECTOR, kGuangdong), "T-CLEAR"},
      {"a transaction without a caller", Principal{}, ""},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(Visible(c.caller), c.expected) << c.who;
    EXPECT_EQ(Visible(c.caller, "advisory_products"), c.expected) << c.who << ", product leaves";
  }
}

// A match is visible when its asset is and its advisory is.
TEST_F(VulnStorePgTest, AMatchIsVisibleWhenItsAssetAndItsAdvisoryAre) {
  const int64_t clear = InsertAdvisory(v1::TLP_CLEAR);
  const int64_t red = InsertAdvisory(v1::TLP_RED);
  v1::Asset asset;
  asset.set_province(kGuangdong);
  asset.set_asset_key("widget-1");
  asset.set_vendor("Acme");
  asset.set_product("Widget");
  asset.set_version("2.0");
  asset.set_sector("energy");
  asset.set_type(v1::ASSET_TYPE_PLC);
  const auto now = std::chrono::system_clock::now();
  const int64_t asset_id = InTransaction(pool_, kPusher, [&](Tx& tx) {
    const AssetWrite write{kPusher.id, &asset, now, &kPusher, "acme", "widget"};
    const int64_t id = AssetStore::Upsert(tx, {&write, 1}, now)[0].id;
    const std::vector<MatchRow> rows = {
        {id, clear, "Acme/Widget/vers:all/*", "vers:all/*", "2.0", "MATCH", "every version"},
        {id, red, "Acme/Widget/vers:all/*", "vers:all/*", "2.0", "MATCH", "every version"}};
    EXPECT_EQ(VulnStore::ReplaceMatches(tx, {id}, {}, rows, now), 2);
    return id;
  });
  ASSERT_GT(asset_id, 0);
  struct Case {
    const char* who;
    Principal caller;
    std::string expected;
  };
  const std::vector<Case> cases = {
      {"national", Caller(201, v1::ROLE_NATIONAL), "T-CLEAR,T-RED"},
      {"provincial of the asset's province", Caller(203, v1::ROLE_PROVINCIAL, kGuangdong),
       "T-CLEAR"},
      {"provincial of another province", Caller(204, v1::ROLE_PROVINCIAL, kBeijing), ""},
      {"the collector that saw the asset (and pushed both)", kPusher, "T-CLEAR,T-RED"},
      {"another collector", Caller(206, v1::ROLE_COLLECTOR, kGuangdong), ""},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(Visible(c.caller, "asset_advisory_matches"), c.expected) << c.who;
  }
  // Nobody writes matches but the server's rule (sitrep_replace_matches).
  EXPECT_THROW(InTransaction(pool_, Caller(202, v1::ROLE_ADMIN),
                             [&](pqxx::work& tx) {
                               tx.exec_params0(
                                   "INSERT INTO asset_advisory_matches (asset_id, advisory_id, "
                                   "province, reporter_id, branch_path, expression, asset_version, "
                                   "verdict, reason) VALUES ($1, $2, 440000, 101, '', '', '', "
                                   "'MATCH', '')",
                                   asset_id, clear);
                             }),
               std::exception);
}

// Matching fetches the assets of a leaf's (vendor, product key) pairs, not every asset of the
// vendor; an asset without a key yet (stored before keys existed) is listed for keying, keyed
// once, and found by its key from then on.
TEST_F(VulnStorePgTest, CandidateAssetsAreFoundByVendorAndProductKey) {
  const auto now = std::chrono::system_clock::now();
  struct Stored {
    const char* key;
    const char* product;
    const char* product_key;
  };
  const std::vector<Stored> stored = {
      {"widget-1", "Widget", "widget"},
      {"gadget-1", "Gadget", "gadget"},
      {"widget-old", "Widget", ""},  // stored before keys: keyed below
  };
  std::vector<v1::Asset> assets(stored.size());
  InTransaction(pool_, kPusher, [&](Tx& tx) {
    for (size_t i = 0; i < stored.size(); ++i) {
      assets[i].set_province(kGuangdong);
      assets[i].set_asset_key(stored[i].key);
      assets[i].set_vendor("Acme");
      assets[i].set_product(stored[i].product);
      assets[i].set_sector("energy");
      assets[i].set_type(v1::ASSET_TYPE_PLC);
      const AssetWrite write{kPusher.id, &assets[i], now, &kPusher, "acme", stored[i].product_key};
      ASSERT_GT(AssetStore::Upsert(tx, {&write, 1}, now)[0].id, 0);
    }
  });
  InTransaction(pool_, kPusher, [&](pqxx::work& tx) {
    tx.exec0(
        "UPDATE assets SET vendor_norm = '', product_key = NULL WHERE asset_key = 'widget-old'");
  });
  const Principal admin = Caller(202, v1::ROLE_ADMIN);
  auto keys_of = [&](std::vector<ProductKeyRef> refs) {
    return InTransaction(pool_, admin,
                         [&](Tx& tx) { return VulnStore::CandidateAssets(tx, refs, {}).size(); });
  };
  EXPECT_EQ(keys_of({{"acme", "widget"}}), 1u);
  EXPECT_EQ(keys_of({{"acme", "gadget"}}), 1u);
  EXPECT_EQ(keys_of({{"acme", "widget"}, {"acme", "gadget"}}), 2u);
  EXPECT_EQ(keys_of({{"acme", "sprocket"}, {"other", "widget"}}), 0u);

  const std::vector<UnkeyedAsset> unkeyed =
      InTransaction(pool_, admin, [&](Tx& tx) { return VulnStore::UnkeyedAssets(tx, 0, 10); });
  ASSERT_EQ(unkeyed.size(), 1u);
  EXPECT_EQ(unkeyed[0].vendor, "Acme");
  EXPECT_EQ(unkeyed[0].product, "Widget");
  for (const char* key : {"widget", "not-again"}) {  // a keyed asset keeps its key
    InTransaction(pool_, admin, [&](Tx& tx) {
      const std::vector<AssetKeys> keys = {{unkeyed[0].id, "acme", key}};
      VulnStore::KeyAssets(tx, keys);
    });
  }
  EXPECT_TRUE(InTransaction(pool_, admin, [&](Tx& tx) {
                return VulnStore::UnkeyedAssets(tx, 0, 10);
              }).empty());
  EXPECT_EQ(keys_of({{"acme", "widget"}}), 2u);
  EXPECT_EQ(keys_of({{"acme", "not-again"}}), 0u);
}

}  // namespace
}  // namespace sitrep::storage
