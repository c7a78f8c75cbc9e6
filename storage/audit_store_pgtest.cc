#include <gtest/gtest.h>

#include <chrono>
#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "storage/audit_store.h"
#include "storage/pool_lease.h"
#include "tests/support/test_cluster.h"

namespace sitrep::storage {
namespace {

using std::chrono::microseconds;
using std::chrono::system_clock;

constexpr const char* kGetEnterprise = "/sitrep.v1.RegistryService/GetEnterprise";
constexpr const char* kPush = "/sitrep.v1.IngestService/Push";

// 2025-01-01T00:00:00Z plus `offset_us` microseconds.
system_clock::time_point At(int64_t offset_us) {
  return system_clock::time_point(microseconds(1'735'689'600'000'000 + offset_us));
}

AuditRecord Record(int64_t offset_us, int64_t principal_id, const std::string& method) {
  return {.time = At(offset_us),
          .principal_id = principal_id,
          .method = method,
          .target = "id=7",
          .rows = 1,
          .status = "OK",
          .peer = "unix:/run/sitrep.sock"};
}

std::vector<int64_t> PrincipalIds(const Page<v1::AuditEntry>& page) {
  std::vector<int64_t> ids;
  for (const v1::AuditEntry& entry : page.items) ids.push_back(entry.principal_id());
  return ids;
}

Principal National() {
  Principal national;
  national.id = 2;
  national.name = "ncc";
  national.role = v1::ROLE_NATIONAL;
  return national;
}

AuditQuery Query(int64_t principal_id, const std::string& method,
                 std::optional<system_clock::time_point> start_time = std::nullopt,
                 std::optional<system_clock::time_point> end_time = std::nullopt,
                 int64_t before_id = 0, int limit = 100) {
  AuditQuery query;
  query.principal_id = principal_id;
  query.method = method;
  query.start_time = start_time;
  query.end_time = end_time;
  query.before_id = before_id;
  query.limit = limit;
  return query;
}

class AuditStorePgTest : public ::testing::Test {
 protected:
  Page<v1::AuditEntry> List(const AuditQuery& query) { return store_.List(national_, query); }

  const std::string url_ = test::TestCluster::FreshDatabaseUrl();
  Pool pool_{url_, 2};
  AuditStore store_{pool_};
  const Principal national_ = National();
};

TEST_F(AuditStorePgTest, AppendedEntriesListNewestFirstWithEveryField) {
  store_.Append({Record(0, 11, kGetEnterprise), Record(1, 12, kPush)});
  store_.Append({{.time = At(2),
                  .principal_id = 0,
                  .method = kPush,
                  .target = "batch of 500",
                  .rows = 500,
                  .status = "UNAUTHENTICATED",
                  .peer = "ipv4:10.0.0.7:5123"}});

  const Page<v1::AuditEntry> page = List(Query(0, ""));

  ASSERT_EQ(page.items.size(), 3u);
  EXPECT_EQ(PrincipalIds(page), (std::vector<int64_t>{0, 12, 11}));
  EXPECT_EQ(page.last_key, 0);
  const v1::AuditEntry& newest = page.items[0];
  EXPECT_GT(newest.id(), page.items[1].id());
  EXPECT_EQ(newest.time().seconds(), 1'735'689'600);
  EXPECT_EQ(newest.time().nanos(), 2'000);  // microseconds survive the round trip
  EXPECT_EQ(newest.method(), kPush);
  EXPECT_EQ(newest.target(), "batch of 500");
  EXPECT_EQ(newest.rows(), 500);
  EXPECT_EQ(newest.status(), "UNAUTHENTICATED");
  EXPECT_EQ(newest.peer(), "ipv4:10.0.0.7:5123");
}

TEST_F(AuditStorePgTest, SeveralRecordsAreStoredAllOrNone) {
  // The entries kept while the database was away are retried as a batch: a failure part-way
  // must leave none of them stored, or the retry would store the first ones twice.
  AuditRecord bad = Record(1, 12, kPush);
  bad.target = "\xff not UTF-8";
  EXPECT_ANY_THROW(store_.Append({Record(0, 11, kGetEnterprise), bad}));
  EXPECT_TRUE(List(Query(0, "")).items.empty());
}

TEST_F(AuditStorePgTest, AppendingNothingIsANoOp) {
  store_.Append({});
  EXPECT_TRUE(List(Query(0, "")).items.empty());
}

struct FilterCase {
  const char* name;
  AuditQuery query;
  std::vector<int64_t> principal_ids;  // expected, newest first
};

class AuditFilterPgTest : public AuditStorePgTest,
                          public ::testing::WithParamInterface<FilterCase> {};

TEST_P(AuditFilterPgTest, ListReturnsOnlyMatchingEntries) {
  // Principal id doubles as a label: entry i is at At(i * 1000).
  store_.Append({Record(1000, 1, kGetEnterprise), Record(2000, 2, kPush),
                 Record(3000, 3, kGetEnterprise), Record(4000, 1, kPush)});

  EXPECT_EQ(PrincipalIds(List(GetParam().query)), GetParam().principal_ids);
}

INSTANTIATE_TEST_SUITE_P(
    Filters, AuditFilterPgTest,
    ::testing::Values(FilterCase{"None", Query(0, ""), {1, 3, 2, 1}},
                      FilterCase{"ByPrincipal", Query(1, ""), {1, 1}},
                      FilterCase{"ByMethod", Query(0, kGetEnterprise), {3, 1}},
                      FilterCase{"ByPrincipalAndMethod", Query(1, kPush), {1}},
                      FilterCase{"StartIsInclusive", Query(0, "", At(3000)), {1, 3}},
                      FilterCase{"EndIsExclusive", Query(0, "", std::nullopt, At(3000)), {2, 1}},
                      FilterCase{"Range", Query(0, "", At(2000), At(3001)), {3, 2}},
                      FilterCase{"UnknownMethod", Query(0, "/nope"), {}}),
    [](const ::testing::TestParamInfo<FilterCase>& info) { return info.param.name; });

TEST_F(AuditStorePgTest, ListPagesBackwardsByKey) {
  store_.Append({Record(1, 1, kPush), Record(2, 2, kPush), Record(3, 3, kPush)});

  const Page<v1::AuditEntry> first = List(Query(0, "", std::nullopt, std::nullopt, 0, 2));
  ASSERT_EQ(PrincipalIds(first), (std::vector<int64_t>{3, 2}));
  EXPECT_EQ(first.last_key, first.items[1].id());

  const Page<v1::AuditEntry> second =
      List(Query(0, "", std::nullopt, std::nullopt, first.last_key, 2));
  EXPECT_EQ(PrincipalIds(second), (std::vector<int64_t>{1}));
  EXPECT_EQ(second.last_key, 0);
}

TEST_F(AuditStorePgTest, ServerRoleCannotUpdateOrDeleteTheLog) {
  store_.Append({Record(0, 1, kPush)});

  for (const char* sql : {"UPDATE audit_entries SET status = 'OK'", "DELETE FROM audit_entries",
                          "TRUNCATE audit_entries"}) {
    Pool::Lease connection = pool_.Acquire();
    pqxx::work tx(*connection);
    EXPECT_THROW(tx.exec(sql), pqxx::insufficient_privilege) << sql;
  }
  EXPECT_EQ(List(Query(0, "")).items.size(), 1u);
}

}  // namespace
}  // namespace sitrep::storage
