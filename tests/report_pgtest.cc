// ReportService through a real channel: reports, duplicates, amendments with every revision
// kept, and who may do what (issue #3).
#include <gtest/gtest.h>

#include <functional>

#include "sitrep/v1/report.grpc.pb.h"
#include "tests/push_client.h"
#include "tests/record_samples.h"
#include "tests/server_fixture.h"

namespace sitrep::testing {
namespace {

class ReportTest : public ServerFixture {
 protected:
  void SetUp() override {
    ServerFixture::SetUp();
    reports_ = v1::ReportService::NewStub(channel_);
    enterprise_ = RegisterEnterprise(440000, "energy", 3);
    enterprise_token_ = TokenFor(v1::ROLE_ENTERPRISE, 0, enterprise_.id());
  }

  v1::Incident Incident(const std::string& id) {
    v1::Incident incident = SampleIncident(id, 440000, clock_.Now());
    incident.set_enterprise_id(enterprise_.id());
    return incident;
  }

  grpc::Status Report(const v1::Incident& incident, v1::ReportIncidentResponse* response,
                      const std::string& token = "") {
    v1::ReportIncidentRequest request;
    *request.mutable_incident() = incident;
    return reports_->ReportIncident(As(token.empty() ? enterprise_token_ : token).get(), request,
                                    response);
  }

  grpc::Status Amend(int64_t id, v1::AmendmentKind kind, const v1::Incident& values,
                     std::vector<std::string> paths, v1::Incident* response,
                     const std::string& token = "") {
    v1::AmendIncidentRequest request;
    request.set_incident_id(id);
    request.set_kind(kind);
    *request.mutable_incident() = values;
    for (const std::string& path : paths) request.mutable_update_mask()->add_paths(path);
    request.set_note("follow-up from the plant");
    return reports_->AmendIncident(As(token.empty() ? enterprise_token_ : token).get(), request,
                                   response);
  }

  std::unique_ptr<v1::ReportService::Stub> reports_;
  v1::Enterprise enterprise_;
  std::string enterprise_token_;
};

TEST_F(ReportTest, ReportsAnIncidentAndReturnsTheStoredRecord) {
  v1::ReportIncidentResponse response;
  const grpc::Status status = Report(Incident("inc-1"), &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_FALSE(response.duplicate());
  EXPECT_GT(response.incident().id(), 0);
  EXPECT_EQ(response.incident().revision(), 1);
  EXPECT_EQ(response.incident().status(), v1::INCIDENT_STATUS_REPORTED);
  EXPECT_TRUE(response.incident().has_receive_time());
  EXPECT_EQ(response.incident().indicators_size(), 2);
  EXPECT_EQ(response.incident().attributes().at("plant"), "2号机组 \"unit 2\"\t{a,b}");
}

TEST_F(ReportTest, TheSameExternalIdTwiceReturnsTheFirstReport) {
  v1::ReportIncidentResponse first, second;
  ASSERT_TRUE(Report(Incident("inc-1"), &first).ok());
  v1::Incident changed = Incident("inc-1");
  changed.set_title("a different title");
  ASSERT_TRUE(Report(changed, &second).ok());
  EXPECT_TRUE(second.duplicate());
  EXPECT_EQ(second.incident().id(), first.incident().id());
  EXPECT_EQ(second.incident().title(), first.incident().title());
}

TEST_F(ReportTest, AnEnterpriseReportsOnlyAboutItself) {
  const v1::Enterprise other = RegisterEnterprise(440000);
  v1::Incident incident = Incident("inc-1");
  incident.set_enterprise_id(other.id());
  v1::ReportIncidentResponse response;
  EXPECT_EQ(Report(incident, &response).error_code(), grpc::StatusCode::PERMISSION_DENIED);
  // Without an enterprise id the record is its own.
  incident.set_enterprise_id(0);
  ASSERT_TRUE(Report(incident, &response).ok());
  EXPECT_EQ(response.incident().enterprise_id(), enterprise_.id());
}

TEST_F(ReportTest, BadFieldsAreNamed) {
  v1::Incident incident = Incident("inc-1");
  incident.set_title("");
  incident.add_cve_ids("CVE-1");
  v1::ReportIncidentResponse response;
  const grpc::Status status = Report(incident, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  const std::vector<std::string> fields = ViolatedFields(status);
  EXPECT_NE(std::find(fields.begin(), fields.end(), "incident.title"), fields.end());
  EXPECT_NE(std::find(fields.begin(), fields.end(), "incident.cve_ids[1]"), fields.end());
}

TEST_F(ReportTest, AmendmentsKeepEveryRevision) {
  v1::ReportIncidentResponse reported;
  ASSERT_TRUE(Report(Incident("inc-1"), &reported).ok());
  const int64_t id = reported.incident().id();

  v1::Incident values;
  values.set_severity(v1::SEVERITY_II);
  v1::Incident regraded;
  ASSERT_TRUE(Amend(id, v1::AMENDMENT_KIND_REGRADE, values, {"severity"}, &regraded).ok());
  EXPECT_EQ(regraded.revision(), 2);
  EXPECT_EQ(regraded.severity(), v1::SEVERITY_II);
  EXPECT_EQ(regraded.title(), reported.incident().title());  // untouched fields stay

  values.set_status(v1::INCIDENT_STATUS_RESOLVED);
  values.set_description("Restored from backups; root cause a USB stick.");
  v1::Incident final_report;
  ASSERT_TRUE(
      Amend(id, v1::AMENDMENT_KIND_FINAL, values, {"status", "description"}, &final_report).ok());
  EXPECT_EQ(final_report.revision(), 3);
  EXPECT_EQ(final_report.severity(), v1::SEVERITY_II);

  v1::ListIncidentRevisionsRequest request;
  request.set_incident_id(id);
  v1::ListIncidentRevisionsResponse revisions;
  ASSERT_TRUE(
      reports_->ListIncidentRevisions(As(enterprise_token_).get(), request, &revisions).ok());
  ASSERT_EQ(revisions.revisions_size(), 3);
  EXPECT_EQ(revisions.revisions(0).severity(), v1::SEVERITY_III);
  EXPECT_EQ(revisions.revisions(1).severity(), v1::SEVERITY_II);
  EXPECT_EQ(revisions.revisions(1).status(), v1::INCIDENT_STATUS_REPORTED);
  EXPECT_EQ(revisions.revisions(2).status(), v1::INCIDENT_STATUS_RESOLVED);
}

TEST_F(ReportTest, IdentityFieldsCannotBeAmended) {
  v1::ReportIncidentResponse reported;
  ASSERT_TRUE(Report(Incident("inc-1"), &reported).ok());
  v1::Incident values;
  values.set_province(110000);
  v1::Incident amended;
  const grpc::Status status =
      Amend(reported.incident().id(), v1::AMENDMENT_KIND_FOLLOW_UP, values, {"province"}, &amended);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(ViolatedFields(status), std::vector<std::string>{"update_mask.paths[0]"});
}

TEST_F(ReportTest, OthersCannotAmendButTheNationalCentreCan) {
  v1::ReportIncidentResponse reported;
  ASSERT_TRUE(Report(Incident("inc-1"), &reported).ok());
  const int64_t id = reported.incident().id();
  const v1::Enterprise other = RegisterEnterprise(440000);
  v1::Incident values;
  values.set_status(v1::INCIDENT_STATUS_CLOSED);
  v1::Incident amended;
  EXPECT_EQ(Amend(id, v1::AMENDMENT_KIND_STATUS, values, {"status"}, &amended,
                  TokenFor(v1::ROLE_ENTERPRISE, 0, other.id()))
                .error_code(),
            grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(Amend(id, v1::AMENDMENT_KIND_STATUS, values, {"status"}, &amended,
                  TokenFor(v1::ROLE_PROVINCIAL, 440000))
                .error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  ASSERT_TRUE(Amend(id, v1::AMENDMENT_KIND_STATUS, values, {"status"}, &amended,
                    TokenFor(v1::ROLE_NATIONAL))
                  .ok());
  EXPECT_EQ(amended.status(), v1::INCIDENT_STATUS_CLOSED);
}

TEST_F(ReportTest, ListsMyIncidentsNewestFirstInPages) {
  for (int i = 0; i < 5; ++i) {
    v1::ReportIncidentResponse response;
    ASSERT_TRUE(Report(Incident("inc-" + std::to_string(i)), &response).ok());
  }
  v1::ListMyIncidentsRequest request;
  request.set_page_size(3);
  v1::ListMyIncidentsResponse first, second;
  ASSERT_TRUE(reports_->ListMyIncidents(As(enterprise_token_).get(), request, &first).ok());
  ASSERT_EQ(first.incidents_size(), 3);
  EXPECT_EQ(first.incidents(0).external_id(), "inc-4");
  request.set_page_token(first.next_page_token());
  ASSERT_TRUE(reports_->ListMyIncidents(As(enterprise_token_).get(), request, &second).ok());
  ASSERT_EQ(second.incidents_size(), 2);
  EXPECT_EQ(second.incidents(1).external_id(), "inc-0");
  EXPECT_TRUE(second.next_page_token().empty());
  // Another enterprise sees none of them.
  const v1::Enterprise other = RegisterEnterprise(440000);
  v1::ListMyIncidentsResponse theirs;
  request.clear_page_token();
  ASSERT_TRUE(reports_
                  ->ListMyIncidents(As(TokenFor(v1::ROLE_ENTERPRISE, 0, other.id())).get(), request,
                                    &theirs)
                  .ok());
  EXPECT_EQ(theirs.incidents_size(), 0);
}

// Issue 14, item 6: every write path runs the same write-permission rules. New records
// (Push, ReportIncident): the writer's province, an enterprise writing about itself only, the
// enterprise lying in the record's province.
TEST_F(ReportTest, EveryNewRecordPathRunsTheSameWritePermissionRules) {
  const v1::Enterprise beijing_plant = RegisterEnterprise(110000);
  const v1::Enterprise other_plant = RegisterEnterprise(440000);
  const std::string guangdong_collector = TokenFor(v1::ROLE_COLLECTOR, 440000);
  const std::string national_collector = TokenFor(v1::ROLE_COLLECTOR, 0);
  struct Row {
    const char* rule;
    std::string token;
    uint32_t province;
    int64_t enterprise_id;
    grpc::StatusCode report_code;  // ReportIncident's answer
    std::string field;             // the field named ("" when accepted), without "incident."
    std::string reason;
  };
  const Row rows[] = {
      {"collector, own province", guangdong_collector, 440000, enterprise_.id(),
       grpc::StatusCode::OK, "", ""},
      {"collector, other province", guangdong_collector, 110000, 0,
       grpc::StatusCode::PERMISSION_DENIED, "province", "PERMISSION_DENIED"},
      {"collector, enterprise of another province", guangdong_collector, 440000, beijing_plant.id(),
       grpc::StatusCode::INVALID_ARGUMENT, "province", "ENTERPRISE_NOT_IN_PROVINCE"},
      {"national collector, enterprise of another province", national_collector, 440000,
       beijing_plant.id(), grpc::StatusCode::INVALID_ARGUMENT, "province",
       "ENTERPRISE_NOT_IN_PROVINCE"},
      {"national collector, any province", national_collector, 110000, beijing_plant.id(),
       grpc::StatusCode::OK, "", ""},
      {"enterprise, about itself", enterprise_token_, 440000, enterprise_.id(),
       grpc::StatusCode::OK, "", ""},
      {"enterprise, about another", enterprise_token_, 440000, other_plant.id(),
       grpc::StatusCode::PERMISSION_DENIED, "enterprise_id", "PERMISSION_DENIED"},
      {"enterprise, itself in another province", enterprise_token_, 110000, enterprise_.id(),
       grpc::StatusCode::PERMISSION_DENIED, "province", "PERMISSION_DENIED"},
  };
  int n = 0;
  for (const Row& row : rows) {
    SCOPED_TRACE(row.rule);
    v1::Incident incident =
        SampleIncident("new-" + std::to_string(++n), row.province, clock_.Now());
    incident.set_enterprise_id(row.enterprise_id);

    v1::PushBatch batch;
    *batch.add_incidents() = incident;
    const PushResult pushed = PushAll(*channel_, row.token, {batch});
    ASSERT_TRUE(pushed.status.ok()) << pushed.status.error_message();
    ASSERT_EQ(pushed.acks.size(), 1u);
    if (row.field.empty()) {
      EXPECT_EQ(pushed.acks[0].accepted(), 1);
    } else {
      ASSERT_EQ(pushed.acks[0].rejections_size(), 1);
      EXPECT_EQ(pushed.acks[0].rejections(0).field(), row.field);
      EXPECT_EQ(pushed.acks[0].rejections(0).reason(), row.reason);
    }

    incident.set_external_id("report-" + std::to_string(n));
    v1::ReportIncidentResponse reported;
    const grpc::Status status = Report(incident, &reported, row.token);
    EXPECT_EQ(status.error_code(), row.report_code) << status.error_message();
    if (!row.field.empty()) {
      EXPECT_EQ(ViolatedFields(status), std::vector<std::string>{"incident." + row.field});
    }
  }
}

// Amendments: the resulting record passes the rules of a new one, and TLP or sharing scope
// is loosened only by the reporter or NATIONAL; anyone who may amend may tighten.
TEST_F(ReportTest, AmendmentsRunTheWriteRulesOnTheResultingRecord) {
  const v1::Enterprise beijing_plant = RegisterEnterprise(110000);
  const v1::Enterprise other_plant = RegisterEnterprise(440000);
  const std::string reporter = TokenFor(v1::ROLE_COLLECTOR, 440000);
  const std::map<std::string, std::string> tokens = {
      {"reporter collector", reporter},
      {"victim enterprise", enterprise_token_},
      {"national", TokenFor(v1::ROLE_NATIONAL)},
      {"other collector", TokenFor(v1::ROLE_COLLECTOR, 440000)},
      {"provincial", TokenFor(v1::ROLE_PROVINCIAL, 440000)},
  };
  struct Rule {
    const char* name;
    std::vector<std::string> paths;
    std::function<void(v1::Incident&)> change;
  };
  const Rule move_away{"move to an enterprise of another province",
                       {"enterprise_id"},
                       [&](v1::Incident& i) { i.set_enterprise_id(beijing_plant.id()); }};
  const Rule move_near{"move to another enterprise of the province",
                       {"enterprise_id"},
                       [&](v1::Incident& i) { i.set_enterprise_id(other_plant.id()); }};
  const Rule loosen_tlp{"loosen tlp", {"tlp"}, [](v1::Incident& i) { i.set_tlp(v1::TLP_CLEAR); }};
  const Rule loosen_scope{"loosen sharing_scope", {"sharing_scope"}, [](v1::Incident& i) {
                            i.set_sharing_scope(v1::SHARING_SCOPE_PUBLIC);
                          }};
  const Rule tighten{
      "tighten tlp and sharing_scope", {"tlp", "sharing_scope"}, [](v1::Incident& i) {
        i.set_tlp(v1::TLP_RED);
        i.set_sharing_scope(v1::SHARING_SCOPE_PROVINCE);
      }};
  using grpc::StatusCode;
  struct Row {
    std::string actor;
    const Rule& rule;
    StatusCode code;
    std::string field;  // named by the refusal
  };
  const Row rows[] = {
      {"reporter collector", move_away, StatusCode::INVALID_ARGUMENT, "incident.province"},
      {"victim enterprise", move_away, StatusCode::PERMISSION_DENIED, "incident.enterprise_id"},
      {"national", move_away, StatusCode::INVALID_ARGUMENT, "incident.province"},
      {"reporter collector", move_near, StatusCode::OK, ""},
      {"victim enterprise", move_near, StatusCode::PERMISSION_DENIED, "incident.enterprise_id"},
      {"national", move_near, StatusCode::OK, ""},
      {"reporter collector", loosen_tlp, StatusCode::OK, ""},
      {"victim enterprise", loosen_tlp, StatusCode::PERMISSION_DENIED, "incident.tlp"},
      {"national", loosen_tlp, StatusCode::OK, ""},
      {"reporter collector", loosen_scope, StatusCode::OK, ""},
      {"victim enterprise", loosen_scope, StatusCode::PERMISSION_DENIED, "incident.sharing_scope"},
      {"national", loosen_scope, StatusCode::OK, ""},
      {"reporter collector", tighten, StatusCode::OK, ""},
      {"victim enterprise", tighten, StatusCode::OK, ""},
      {"national", tighten, StatusCode::OK, ""},
      {"other collector", loosen_tlp, StatusCode::NOT_FOUND, ""},
      {"other collector", tighten, StatusCode::NOT_FOUND, ""},
      {"provincial", tighten, StatusCode::PERMISSION_DENIED, ""},
  };
  int n = 0;
  for (const Row& row : rows) {
    SCOPED_TRACE(row.actor + ": " + row.rule.name);
    v1::Incident base = Incident("amend-" + std::to_string(++n));
    base.set_tlp(v1::TLP_AMBER);
    base.set_sharing_scope(v1::SHARING_SCOPE_ALL_REGULATORS);
    v1::ReportIncidentResponse reported;
    ASSERT_TRUE(Report(base, &reported, reporter).ok());
    const int64_t id = reported.incident().id();

    v1::Incident values = reported.incident();
    row.rule.change(values);
    v1::Incident amended;
    const grpc::Status status = Amend(id, v1::AMENDMENT_KIND_FOLLOW_UP, values, row.rule.paths,
                                      &amended, tokens.at(row.actor));
    EXPECT_EQ(status.error_code(), row.code) << status.error_message();
    if (!row.field.empty()) {
      EXPECT_EQ(ViolatedFields(status), std::vector<std::string>{row.field});
    }
    EXPECT_EQ(StoredRevision(id), row.code == StatusCode::OK ? 2 : 1);
  }
}

// An enterprise that reported its own incident is its reporter: it may loosen it.
TEST_F(ReportTest, AnEnterpriseLoosensTheIncidentItReported) {
  v1::Incident base = Incident("own");
  base.set_tlp(v1::TLP_RED);
  v1::ReportIncidentResponse reported;
  ASSERT_TRUE(Report(base, &reported).ok());
  v1::Incident values;
  values.set_tlp(v1::TLP_CLEAR);
  values.set_sharing_scope(v1::SHARING_SCOPE_PUBLIC);
  v1::Incident amended;
  const grpc::Status status = Amend(reported.incident().id(), v1::AMENDMENT_KIND_FOLLOW_UP, values,
                                    {"tlp", "sharing_scope"}, &amended);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(amended.tlp(), v1::TLP_CLEAR);
}

}  // namespace
}  // namespace sitrep::testing
