// The write permission's two walls fed the same rows (issue 15, item 3): for each caller and
// record, what the C++ rule answers through the public API (Push and ReportIncident) and what
// the database's write policies (storage/migrations/0028_write_policies.sql) answer when the
// row is inserted under that caller's settings with the C++ check bypassed. The two must agree
// with the table's expected column.
#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

#include "sitrep/v1/report.grpc.pb.h"
#include "storage/asset_store.h"
#include "storage/incident_store.h"
#include "storage/pool.h"
#include "storage/tx.h"
#include "tests/push_client.h"
#include "tests/record_samples.h"
#include "tests/server_fixture.h"

namespace sitrep::testing {
namespace {

class WritePermissionTest : public ServerFixture {
 protected:
  // A caller as the API knows it (its token) and as the database's settings name it.
  struct Caller {
    std::string token;
    Principal principal;
  };

  Caller MakeCaller(v1::Role role, uint32_t province, int64_t enterprise_id = 0) {
    Caller caller;
    caller.token = TokenFor(role, role == v1::ROLE_ENTERPRISE ? 0 : province, enterprise_id);
    caller.principal.id = NewestPrincipalId();
    caller.principal.role = role;
    caller.principal.province = province;  // an enterprise's: its registration's
    caller.principal.enterprise_id = enterprise_id;
    return caller;
  }

  // Whether the write policies admit `incident` and `asset` (each alone) inserted as `caller`.
  // The transaction starts as nobody, as the ingest writer's does.
  std::pair<bool, bool> PolicyAdmits(const Principal& caller, const v1::Incident& incident,
                                     const v1::Asset& asset) {
    storage::Pool pool(server_->database_url(), 1);
    const auto admits = [&](auto write) {
      try {
        storage::InTransaction(pool, Principal{}, write);
        return true;
      } catch (const std::exception& error) {
        EXPECT_NE(std::string(error.what()).find("row-level security"), std::string::npos)
            << error.what();
        return false;
      }
    };
    const bool incident_admitted = admits([&](storage::Tx& tx) {
      const storage::IncidentWrite write{caller.id, &incident, &caller, false};
      (void)storage::IncidentStore::Insert(tx, {&write, 1}, clock_.Now());
    });
    const bool asset_admitted = admits([&](storage::Tx& tx) {
      const storage::AssetWrite write{caller.id, &asset, clock_.Now(), &caller, "", ""};
      (void)storage::AssetStore::Upsert(tx, {&write, 1}, clock_.Now());
    });
    return {incident_admitted, asset_admitted};
  }
};

TEST_F(WritePermissionTest, TheApiAndTheWritePoliciesAdmitTheSameRecords) {
  const v1::Enterprise plant = RegisterEnterprise(440000);
  const v1::Enterprise other_plant = RegisterEnterprise(440000);
  const v1::Enterprise beijing_plant = RegisterEnterprise(110000);
  const Caller guangdong_collector = MakeCaller(v1::ROLE_COLLECTOR, 440000);
  const Caller national_collector = MakeCaller(v1::ROLE_COLLECTOR, 0);
  const Caller enterprise = MakeCaller(v1::ROLE_ENTERPRISE, 440000, plant.id());
  struct Row {
    const char* rule;
    const Caller& caller;
    uint32_t province;
    int64_t enterprise_id;
    bool permitted;            // the write permission: both walls admit the record
    std::string denied_field;  // the field the API names when it is not permitted
  };
  const Row rows[] = {
      {"collector, own province", guangdong_collector, 440000, plant.id(), true, ""},
      {"collector, own province, no enterprise", guangdong_collector, 440000, 0, true, ""},
      {"collector, other province", guangdong_collector, 110000, 0, false, "province"},
      {"collector, other province about its enterprise", guangdong_collector, 110000,
       beijing_plant.id(), false, "province"},
      {"national collector, any province", national_collector, 110000, beijing_plant.id(), true,
       ""},
      {"national collector, no enterprise", national_collector, 440000, 0, true, ""},
      {"enterprise, about itself", enterprise, 440000, plant.id(), true, ""},
      {"enterprise, naming no enterprise", enterprise, 440000, 0, true, ""},
      {"enterprise, about another", enterprise, 440000, other_plant.id(), false, "enterprise_id"},
      {"enterprise, itself in another province", enterprise, 110000, plant.id(), false, "province"},
  };
  auto reports = v1::ReportService::NewStub(channel_);
  int n = 0;
  for (const Row& row : rows) {
    SCOPED_TRACE(row.rule);
    ++n;
    v1::Incident incident = SampleIncident("wp-" + std::to_string(n), row.province, clock_.Now());
    incident.set_enterprise_id(row.enterprise_id);
    v1::Asset asset = SampleAsset("wp-asset-" + std::to_string(n), row.province, clock_.Now());
    asset.set_enterprise_id(row.enterprise_id);

    // The C++ wall, through Push (one ack per record) and ReportIncident.
    v1::PushBatch batch;
    *batch.add_incidents() = incident;
    *batch.add_assets() = asset;
    const PushResult pushed = PushAll(*channel_, row.caller.token, {batch});
    ASSERT_TRUE(pushed.status.ok()) << pushed.status.error_message();
    ASSERT_EQ(pushed.acks.size(), 1u);
    if (row.permitted) {
      EXPECT_EQ(pushed.acks[0].accepted(), 2u) << pushed.acks[0].ShortDebugString();
    } else {
      ASSERT_EQ(pushed.acks[0].rejections_size(), 2) << pushed.acks[0].ShortDebugString();
      for (const v1::Rejection& rejection : pushed.acks[0].rejections()) {
        EXPECT_EQ(rejection.reason(), "PERMISSION_DENIED");
        EXPECT_EQ(rejection.field(), row.denied_field);
      }
    }
    v1::ReportIncidentRequest request;
    *request.mutable_incident() = incident;
    request.mutable_incident()->set_external_id("wp-report-" + std::to_string(n));
    v1::ReportIncidentResponse response;
    const grpc::Status status =
        reports->ReportIncident(As(row.caller.token).get(), request, &response);
    EXPECT_EQ(status.error_code(),
              row.permitted ? grpc::StatusCode::OK : grpc::StatusCode::PERMISSION_DENIED)
        << status.error_message();

    // The database's wall, the C++ check bypassed: the record as the writer would store it
    // (an enterprise's own id filled in where it names none).
    v1::Incident stored = incident;
    stored.set_external_id("wp-db-" + std::to_string(n));
    stored.set_status(v1::INCIDENT_STATUS_REPORTED);
    v1::Asset stored_asset = asset;
    stored_asset.set_asset_key("wp-db-asset-" + std::to_string(n));
    if (row.caller.principal.role == v1::ROLE_ENTERPRISE && row.enterprise_id == 0) {
      stored.set_enterprise_id(plant.id());
      stored_asset.set_enterprise_id(plant.id());
    }
    const auto [incident_admitted, asset_admitted] =
        PolicyAdmits(row.caller.principal, stored, stored_asset);
    EXPECT_EQ(incident_admitted, row.permitted);
    EXPECT_EQ(asset_admitted, row.permitted);
  }
}

// Amendments (AmendIncident; the UPDATE policy): who may amend, and into which record. The
// loosening rule (TLP, sharing scope) compares old and new and stays with the C++ check alone,
// as does the registry's province of an enterprise; neither is in this table.
TEST_F(WritePermissionTest, TheApiAndTheAmendPolicyAdmitTheSameAmendments) {
  const v1::Enterprise plant = RegisterEnterprise(440000);
  const v1::Enterprise other_plant = RegisterEnterprise(440000);
  const Caller reporter = MakeCaller(v1::ROLE_COLLECTOR, 440000);
  const Caller victim = MakeCaller(v1::ROLE_ENTERPRISE, 440000, plant.id());
  const Caller national = MakeCaller(v1::ROLE_NATIONAL, 0);
  const Caller other_collector = MakeCaller(v1::ROLE_COLLECTOR, 440000);
  const Caller provincial = MakeCaller(v1::ROLE_PROVINCIAL, 440000);
  const auto move_near = [&](v1::Incident& i) { i.set_enterprise_id(other_plant.id()); };
  const auto tighten = [](v1::Incident& i) { i.set_tlp(v1::TLP_RED); };
  struct Row {
    const char* rule;
    const Caller& actor;
    std::function<void(v1::Incident&)> change;
    std::vector<std::string> paths;
    grpc::StatusCode code;  // the API's answer; the policy admits exactly the OK rows
  };
  const Row rows[] = {
      {"reporter, to another enterprise of its province",
       reporter,
       move_near,
       {"enterprise_id"},
       grpc::StatusCode::OK},
      {"victim, to another enterprise",
       victim,
       move_near,
       {"enterprise_id"},
       grpc::StatusCode::PERMISSION_DENIED},
      {"national, to another enterprise",
       national,
       move_near,
       {"enterprise_id"},
       grpc::StatusCode::OK},
      {"victim, tighten", victim, tighten, {"tlp"}, grpc::StatusCode::OK},
      {"another collector, tighten",
       other_collector,
       tighten,
       {"tlp"},
       grpc::StatusCode::NOT_FOUND},
      {"provincial, tighten", provincial, tighten, {"tlp"}, grpc::StatusCode::PERMISSION_DENIED},
  };
  auto reports = v1::ReportService::NewStub(channel_);
  storage::Pool pool(server_->database_url(), 1);
  int n = 0;
  for (const Row& row : rows) {
    SCOPED_TRACE(row.rule);
    std::vector<v1::Incident> stored;
    for (const char* wall : {"api", "db"}) {
      v1::ReportIncidentRequest request;
      *request.mutable_incident() = SampleIncident(
          std::string("amend-") + wall + "-" + std::to_string(++n), 440000, clock_.Now());
      request.mutable_incident()->set_enterprise_id(plant.id());
      request.mutable_incident()->set_tlp(v1::TLP_AMBER);
      v1::ReportIncidentResponse response;
      ASSERT_TRUE(reports->ReportIncident(As(reporter.token).get(), request, &response).ok());
      stored.push_back(response.incident());
    }

    v1::AmendIncidentRequest amend;
    amend.set_incident_id(stored[0].id());
    amend.set_kind(v1::AMENDMENT_KIND_FOLLOW_UP);
    *amend.mutable_incident() = stored[0];
    row.change(*amend.mutable_incident());
    for (const std::string& path : row.paths) amend.mutable_update_mask()->add_paths(path);
    v1::Incident amended;
    const grpc::Status status = reports->AmendIncident(As(row.actor.token).get(), amend, &amended);
    EXPECT_EQ(status.error_code(), row.code) << status.error_message();

    // The C++ check bypassed: the same amendment stored under the actor's settings.
    v1::Incident changed = stored[1];
    row.change(changed);
    bool admitted = true;
    try {
      storage::InTransaction(pool, row.actor.principal, [&](storage::Tx& tx) {
        (void)storage::IncidentStore::Amend(tx, changed, v1::AMENDMENT_KIND_FOLLOW_UP, "",
                                            row.actor.principal.id, clock_.Now());
      });
    } catch (const std::exception&) {
      admitted = false;  // refused by a policy, or no row the actor may update
    }
    EXPECT_EQ(admitted, row.code == grpc::StatusCode::OK);
    EXPECT_EQ(StoredRevision(stored[1].id()), admitted ? 2 : 1);
  }
}

// Rows are written as their reporter, never as someone else: the policies refuse a row whose
// reporter is not the caller even where its province and enterprise would be the caller's.
TEST_F(WritePermissionTest, TheWritePoliciesRefuseARowInAnotherReportersName) {
  const Caller collector = MakeCaller(v1::ROLE_COLLECTOR, 440000);
  Principal impostor = collector.principal;
  impostor.id = collector.principal.id - 1;  // the bootstrap admin, or whoever came before
  v1::Incident incident = SampleIncident("impostor", 440000, clock_.Now());
  incident.set_status(v1::INCIDENT_STATUS_REPORTED);
  const v1::Asset asset = SampleAsset("impostor-asset", 440000, clock_.Now());
  storage::Pool pool(server_->database_url(), 1);
  EXPECT_THROW(
      storage::InTransaction(
          pool, Principal{},
          [&](storage::Tx& tx) {
            const storage::IncidentWrite write{collector.principal.id, &incident, &impostor, false};
            (void)storage::IncidentStore::Insert(tx, {&write, 1}, clock_.Now());
          }),
      std::exception);
}

}  // namespace
}  // namespace sitrep::testing
