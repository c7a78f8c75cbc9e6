// SPEC §3 as a matrix: principals of every role and province × incidents of every sharing scope
// and TLP × every read path (List, Get, Watch). Each principal sees exactly what an
// independent statement of the rules allows, and row-level security holds even for SQL that
// bypasses the C++ filters entirely (issue #4).
#include <gtest/gtest.h>

#include <set>

#include "domain/page_token.h"
#include "sitrep/v1/feed.grpc.pb.h"
#include "storage/pool.h"
#include "storage/transaction.h"
#include "tests/push_client.h"
#include "tests/record_samples.h"
#include "tests/server_fixture.h"

namespace sitrep::testing {
namespace {

struct Viewer {
  std::string name;
  v1::Role role;
  uint32_t province = 0;
  int64_t enterprise_id = 0;
  std::string sector;
  int64_t principal_id = 0;
  std::string token;
};

struct Record {
  std::string external_id;
  uint32_t province;
  int64_t enterprise_id;
  std::string sector;
  v1::SharingScope scope;
  v1::Tlp tlp;
  int64_t reporter_id;
};

// SPEC §3, written out independently of the SQL policies.
bool MaySee(const Viewer& viewer, const Record& record) {
  const bool sharable_to_regulators = record.scope != v1::SHARING_SCOPE_PROVINCE &&
                                      record.tlp != v1::TLP_RED &&
                                      record.tlp != v1::TLP_AMBER_STRICT;
  const bool shared_to_enterprise =
      (record.tlp == v1::TLP_CLEAR || record.tlp == v1::TLP_GREEN) &&
      (record.scope == v1::SHARING_SCOPE_PUBLIC ||
       (record.scope == v1::SHARING_SCOPE_SECTOR && record.sector == viewer.sector));
  switch (viewer.role) {
    case v1::ROLE_ADMIN:
    case v1::ROLE_NATIONAL:
      return true;
    case v1::ROLE_PROVINCIAL:
      return record.province == viewer.province || sharable_to_regulators;
    case v1::ROLE_ENTERPRISE:
      return record.enterprise_id == viewer.enterprise_id || shared_to_enterprise;
    case v1::ROLE_COLLECTOR:
      return record.reporter_id == viewer.principal_id;
    default:
      return false;
  }
}

class VisibilityTest : public ServerFixture {
 protected:
  Viewer Make(const std::string& name, v1::Role role, uint32_t province = 0,
              const v1::Enterprise* enterprise = nullptr) {
    Viewer viewer;
    viewer.name = name;
    viewer.role = role;
    viewer.province = province;
    if (enterprise) {
      viewer.enterprise_id = enterprise->id();
      viewer.sector = enterprise->sector();
    }
    viewer.token = TokenFor(role, province, viewer.enterprise_id);
    viewer.principal_id = QueryInt(server_->database_url(), "SELECT max(id) FROM principals");
    return viewer;
  }
};

TEST_F(VisibilityTest, EveryPrincipalSeesExactlyWhatSpecSection3Allows) {
  const v1::Enterprise gd_energy = RegisterEnterprise(440000, "energy");
  const v1::Enterprise gd_energy_peer = RegisterEnterprise(440000, "energy");
  const v1::Enterprise bj_water = RegisterEnterprise(110000, "water");
  std::vector<Viewer> viewers = {
      Make("admin", v1::ROLE_ADMIN),
      Make("national", v1::ROLE_NATIONAL),
      Make("guangdong", v1::ROLE_PROVINCIAL, 440000),
      Make("beijing", v1::ROLE_PROVINCIAL, 110000),
      Make("victim", v1::ROLE_ENTERPRISE, 0, &gd_energy),
      Make("energy-peer", v1::ROLE_ENTERPRISE, 0, &gd_energy_peer),
      Make("water-firm", v1::ROLE_ENTERPRISE, 0, &bj_water),
      Make("gd-collector", v1::ROLE_COLLECTOR, 440000),
      Make("bj-collector", v1::ROLE_COLLECTOR, 110000),
  };
  viewers[0].token = admin_token_;  // the bootstrap admin
  const Viewer& gd_collector = viewers[7];
  const Viewer& bj_collector = viewers[8];

  // Every scope × TLP, reported by the Guangdong collector about the Guangdong energy firm,
  // plus one Beijing record of the Beijing collector.
  std::vector<Record> records;
  v1::PushBatch gd_batch, bj_batch;
  for (const v1::SharingScope scope : {v1::SHARING_SCOPE_PROVINCE, v1::SHARING_SCOPE_ALL_REGULATORS,
                                       v1::SHARING_SCOPE_SECTOR, v1::SHARING_SCOPE_PUBLIC}) {
    for (const v1::Tlp tlp :
         {v1::TLP_CLEAR, v1::TLP_GREEN, v1::TLP_AMBER, v1::TLP_AMBER_STRICT, v1::TLP_RED}) {
      Record record{v1::SharingScope_Name(scope) + "/" + v1::Tlp_Name(tlp),
                    440000,
                    gd_energy.id(),
                    "energy",
                    scope,
                    tlp,
                    gd_collector.principal_id};
      v1::Incident incident = SampleIncident(record.external_id, 440000, clock_.Now());
      incident.set_enterprise_id(gd_energy.id());
      incident.set_sharing_scope(scope);
      incident.set_tlp(tlp);
      *gd_batch.add_incidents() = incident;
      records.push_back(record);
    }
  }
  Record beijing{
      "beijing-public",         110000, 0, "water", v1::SHARING_SCOPE_PUBLIC, v1::TLP_CLEAR,
      bj_collector.principal_id};
  v1::Incident incident = SampleIncident(beijing.external_id, 110000, clock_.Now());
  incident.set_sector("water");
  incident.set_sharing_scope(beijing.scope);
  incident.set_tlp(beijing.tlp);
  *bj_batch.add_incidents() = incident;
  records.push_back(beijing);
  ASSERT_EQ(PushAll(*channel_, gd_collector.token, {gd_batch}).acks.at(0).accepted(), 20u);
  ASSERT_EQ(PushAll(*channel_, bj_collector.token, {bj_batch}).acks.at(0).accepted(), 1u);

  auto feeds = v1::FeedService::NewStub(channel_);
  const std::map<std::string, int64_t> ids = [&] {
    std::map<std::string, int64_t> ids;
    pqxx::connection connection(server_->database_url());
    pqxx::nontransaction tx(connection);
    for (const auto& row : tx.exec("SELECT external_id, id FROM incidents")) {
      ids[row[0].as<std::string>()] = row[1].as<int64_t>();
    }
    return ids;
  }();

  for (const Viewer& viewer : viewers) {
    SCOPED_TRACE(viewer.name);
    std::set<std::string> allowed;
    for (const Record& record : records) {
      if (MaySee(viewer, record)) allowed.insert(record.external_id);
    }
    // List, following every page.
    std::set<std::string> listed;
    std::string token;
    for (;;) {
      v1::ListIncidentsRequest request;
      request.set_page_size(7);
      request.set_page_token(token);
      v1::ListIncidentsResponse response;
      ASSERT_TRUE(feeds->ListIncidents(As(viewer.token).get(), request, &response).ok());
      token = response.next_page_token();
      if (response.incidents().empty()) break;
      for (const v1::Incident& seen : response.incidents()) {
        listed.insert(seen.external_id());
        // The victim's identity never reaches another enterprise.
        if (viewer.role == v1::ROLE_ENTERPRISE && seen.enterprise_id() != viewer.enterprise_id) {
          EXPECT_EQ(seen.enterprise_id(), 0) << seen.external_id();
          EXPECT_TRUE(seen.redacted()) << seen.external_id();
          EXPECT_EQ(seen.affected_asset_keys_size(), 0);
        }
      }
    }
    EXPECT_EQ(listed, allowed);
    // Get, record by record.
    std::set<std::string> got;
    for (const auto& [external_id, id] : ids) {
      v1::GetIncidentRequest request;
      request.set_id(id);
      v1::Incident seen;
      const grpc::Status status = feeds->GetIncident(As(viewer.token).get(), request, &seen);
      if (status.ok()) {
        got.insert(external_id);
      } else {
        EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND);
      }
    }
    EXPECT_EQ(got, allowed);
    // Watch from the start: the same set. The stream is read until it has delivered as many
    // records as allowed and then a heartbeat (an empty message): nothing more is coming.
    std::set<std::string> watched;
    grpc::ClientContext context;
    context.AddMetadata("authorization", "Bearer " + viewer.token);
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
    v1::WatchIncidentsRequest request;
    request.set_cursor(EncodeFeedCursor("incidents", FeedPosition{}));
    auto stream = feeds->WatchIncidents(&context, request);
    v1::WatchIncidentsResponse response;
    while (stream->Read(&response)) {
      for (const v1::Incident& seen : response.incidents()) watched.insert(seen.external_id());
      if (response.incidents().empty()) break;
    }
    context.TryCancel();
    EXPECT_EQ(watched, allowed);
  }

  // The second wall: SQL that applies no filter at all, on the server's own role with a
  // provincial principal's settings, returns only what that province may see.
  storage::Pool pool(server_->database_url(), 1);
  Principal beijing_regulator;
  beijing_regulator.id = viewers[3].principal_id;
  beijing_regulator.role = v1::ROLE_PROVINCIAL;
  beijing_regulator.province = 110000;
  const auto visible = storage::InTransaction(pool, beijing_regulator, [](pqxx::work& tx) {
    std::set<std::string> seen;
    for (const auto& row : tx.exec("SELECT * FROM incidents")) {
      seen.insert(row["external_id"].as<std::string>());
    }
    return seen;
  });
  std::set<std::string> allowed;
  for (const Record& record : records) {
    if (MaySee(viewers[3], record)) allowed.insert(record.external_id);
  }
  EXPECT_EQ(visible, allowed);
  EXPECT_LT(visible.size(), records.size());
  // Without any caller settings the server's role sees nothing.
  pqxx::connection raw(server_->database_url());
  pqxx::work tx(raw);
  tx.exec("SET LOCAL ROLE sitrep_app");
  EXPECT_EQ(tx.exec1("SELECT count(*) FROM incidents")[0].as<int64_t>(), 0);
}

}  // namespace
}  // namespace sitrep::testing
