// Row-level security on the incidents table on its own: SQL that applies no filter at all,
// run on the server's role under a caller's settings, returns only what SPEC §3 lets that caller
// read. The C++ read filters are query filters, not the rule (tests/visibility_pgtest.cc checks
// every read path of the API against the rule).
#include <gtest/gtest.h>

#include <chrono>
#include <pqxx/pqxx>
#include <set>
#include <string>
#include <vector>

#include "domain/time_convert.h"
#include "storage/enterprise_store.h"
#include "storage/incident_store.h"
#include "storage/pool.h"
#include "storage/principal_store.h"
#include "storage/transaction.h"
#include "storage/tx.h"
#include "tests/support/test_cluster.h"

namespace sitrep::storage {
namespace {

constexpr uint32_t kGuangdong = 440000;
constexpr uint32_t kBeijing = 110000;

class IncidentStorePgTest : public ::testing::Test {
 protected:
  IncidentStorePgTest() {
    admin_.id = 1;
    admin_.name = "admin";
    admin_.role = v1::ROLE_ADMIN;
  }

  Principal Create(const std::string& name, v1::Role role, uint32_t province) {
    v1::Principal principal;
    principal.set_name(name);
    principal.set_role(role);
    principal.set_province(province);
    v1::Principal created;
    EXPECT_EQ(PrincipalStore(pool_).Create(admin_, principal, created),
              CreatePrincipalResult::kCreated)
        << name;
    Principal caller;
    caller.id = created.id();
    caller.name = name;
    caller.role = role;
    caller.province = province;
    return caller;
  }

  // Stores `incidents` as reported by `collector`, as the write path does.
  void Store(const Principal& collector, const std::vector<v1::Incident>& incidents) {
    std::vector<IncidentWrite> writes;
    for (const v1::Incident& incident : incidents) {
      writes.push_back({collector.id, &incident, &collector, false});
    }
    const auto results = storage::InTransaction(
        pool_, collector, [&](Tx& tx) { return IncidentStore::Insert(tx, writes, now_); });
    for (const WriteResult& result : results) EXPECT_EQ(result.outcome, WriteResult::kStored);
  }

  // The external ids `caller` reads with a bare SELECT under its settings.
  std::set<std::string> Visible(const Principal& caller) {
    return storage::InTransaction(pool_, caller, [](pqxx::work& tx) {
      std::set<std::string> seen;
      for (const auto& row : tx.exec("SELECT external_id FROM incidents")) {
        seen.insert(row[0].as<std::string>());
      }
      return seen;
    });
  }

  v1::Incident Incident(const std::string& external_id, uint32_t province, v1::SharingScope scope,
                        v1::Tlp tlp) const {
    v1::Incident incident;
    incident.set_external_id(external_id);
    incident.set_province(province);
    incident.set_sector("energy");
    incident.set_category(v1::CATEGORY_MALWARE);
    incident.set_severity(v1::SEVERITY_III);
    incident.set_status(v1::INCIDENT_STATUS_REPORTED);
    incident.set_tlp(tlp);
    incident.set_sharing_scope(scope);
    incident.set_title("ransomware on a DCS workstation");
    *incident.mutable_occur_time() = ToTimestamp(now_ - std::chrono::hours(2));
    return incident;
  }

  const std::string url_ = test::TestCluster::FreshDatabaseUrl();
  Pool pool_{url_, 2};
  Principal admin_;
  const std::chrono::system_clock::time_point now_ = std::chrono::system_clock::now();
};

TEST_F(IncidentStorePgTest, RowLevelSecurityAloneHoldsForSqlWithoutAnyFilter) {
  const Principal gd_collector = Create("gd-collector", v1::ROLE_COLLECTOR, kGuangdong);
  const Principal bj_collector = Create("bj-collector", v1::ROLE_COLLECTOR, kBeijing);
  const Principal beijing = Create("beijing", v1::ROLE_PROVINCIAL, kBeijing);
  const Principal national = Create("national", v1::ROLE_NATIONAL, 0);

  // Every scope × TLP in Guangdong, and one Beijing record. A province reads its own, and
  // another's only when shared beyond the province at a TLP that may leave it (SPEC §3).
  std::vector<v1::Incident> guangdong;
  std::set<std::string> all = {"beijing-own"};
  std::set<std::string> beijing_may_read = {"beijing-own"};
  for (const v1::SharingScope scope : {v1::SHARING_SCOPE_PROVINCE, v1::SHARING_SCOPE_ALL_REGULATORS,
                                       v1::SHARING_SCOPE_SECTOR, v1::SHARING_SCOPE_PUBLIC}) {
    for (const v1::Tlp tlp :
         {v1::TLP_CLEAR, v1::TLP_GREEN, v1::TLP_AMBER, v1::TLP_AMBER_STRICT, v1::TLP_RED}) {
      const std::string id = v1::SharingScope_Name(scope) + "/" + v1::Tlp_Name(tlp);
      guangdong.push_back(Incident(id, kGuangdong, scope, tlp));
      all.insert(id);
      if (scope != v1::SHARING_SCOPE_PROVINCE && tlp != v1::TLP_RED &&
          tlp != v1::TLP_AMBER_STRICT) {
        beijing_may_read.insert(id);
      }
    }
  }
  Store(gd_collector, guangdong);
  Store(bj_collector, {Incident("beijing-own", kBeijing, v1::SHARING_SCOPE_PROVINCE, v1::TLP_RED)});

  EXPECT_EQ(Visible(beijing), beijing_may_read);
  EXPECT_LT(beijing_may_read.size(), all.size());
  EXPECT_EQ(Visible(national), all);
  EXPECT_EQ(Visible(bj_collector), std::set<std::string>{"beijing-own"});
  // Without any caller settings the server's role reads nothing.
  pqxx::connection raw(url_);
  pqxx::work tx(raw);
  tx.exec(std::string("SET LOCAL ROLE ") + kAppRole);
  EXPECT_EQ(tx.exec1("SELECT count(*) FROM incidents")[0].as<int64_t>(), 0);
}

}  // namespace
}  // namespace sitrep::storage
