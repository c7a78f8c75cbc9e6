// FeedService.GetSituation through real gRPC (SPEC §3, §4; issue #5): every count equals a
// brute-force count over the incidents the same principal reads through ListIncidents, for
// national, two provincial and an enterprise caller, before and after the revisions past the
// rollups' cursor are compacted, across amendments that move incidents between cells and periods;
// bad requests name their field.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <set>
#include <thread>
#include <tuple>

#include "domain/time_convert.h"
#include "sitrep/v1/feed.grpc.pb.h"
#include "sitrep/v1/notification.grpc.pb.h"
#include "sitrep/v1/report.grpc.pb.h"
#include "storage/feed_horizon.h"
#include "storage/pool.h"
#include "storage/situation_store.h"
#include "tests/push_client.h"
#include "tests/record_samples.h"
#include "tests/server_fixture.h"

namespace sitrep::testing {
namespace {

using std::chrono::hours;

// (dimension, value, severity) → count, over one period.
using Totals = std::map<std::tuple<std::string, std::string, int>, int64_t>;

Totals TotalsOf(const google::protobuf::RepeatedPtrField<v1::IncidentCount>& counts) {
  Totals totals;
  for (const v1::IncidentCount& count : counts) {
    if (count.province() != 0) {
      totals[{"province", std::to_string(count.province()), count.severity()}] += count.count();
    } else if (!count.sector().empty()) {
      totals[{"sector", count.sector(), count.severity()}] += count.count();
    } else {
      totals[{"category", v1::Category_Name(count.category()).substr(9), count.severity()}] +=
          count.count();
    }
  }
  return totals;
}

class SituationTest : public ServerFixture {
 protected:
  // Folds every revision and asset write into the rollups, step by step,
  // waiting while the server's own compactor holds the lock. Small steps, so that a test run
  // also crosses step boundaries.
  void CompactAll() {
    storage::Pool pool(server_->database_url(), 1);
    storage::FeedHorizon horizon;
    storage::SituationStore store(pool, horizon);
    const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    for (int64_t moved = store.Compact(7); moved != 0; moved = store.Compact(7)) {
      ASSERT_LT(std::chrono::steady_clock::now(), give_up) << "compaction did not finish";
      if (moved < 0) std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  }

  struct Caller {
    std::string name;
    Principal principal;
    std::string token;
  };

  Caller Make(const std::string& name, v1::Role role, uint32_t province = 0,
              const v1::Enterprise* enterprise = nullptr) {
    Caller caller;
    caller.name = name;
    caller.principal.role = role;
    caller.principal.province = province;
    if (enterprise) {
      caller.principal.enterprise_id = enterprise->id();
      caller.principal.sector = enterprise->sector();
    }
    caller.token = TokenFor(role, province, caller.principal.enterprise_id);
    caller.principal.id = NewestPrincipalId();
    return caller;
  }

  // Every incident `caller` reads, through ListIncidents (row-level security decides which;
  // a redacted incident keeps its province, sector, category, severity and times).
  std::vector<v1::Incident> Readable(const Caller& caller) {
    auto feeds = v1::FeedService::NewStub(channel_);
    std::vector<v1::Incident> incidents;
    v1::ListIncidentsRequest request;
    request.set_page_size(1000);
    for (;;) {
      v1::ListIncidentsResponse response;
      const grpc::Status status = feeds->ListIncidents(As(caller.token).get(), request, &response);
      EXPECT_TRUE(status.ok()) << caller.name << ": " << status.error_message();
      if (!status.ok() || response.incidents().empty()) return incidents;
      incidents.insert(incidents.end(), response.incidents().begin(), response.incidents().end());
      request.set_page_token(response.next_page_token());
    }
  }

  // The brute force: of `incidents` (one caller's), those whose time (occurred, else detected,
  // else received) falls in [start, end), counted by each dimension × severity.
  static Totals BruteForce(const std::vector<v1::Incident>& incidents, const v1::TimeRange& range) {
    Totals totals;
    for (const v1::Incident& incident : incidents) {
      const int64_t time = incident.has_occur_time()    ? incident.occur_time().seconds()
                           : incident.has_detect_time() ? incident.detect_time().seconds()
                                                        : incident.receive_time().seconds();
      if (time < range.start_time().seconds() || time >= range.end_time().seconds()) continue;
      const int severity = incident.severity();
      ++totals[{"province", std::to_string(incident.province()), severity}];
      ++totals[{"sector", incident.sector(), severity}];
      ++totals[{"category", v1::Category_Name(incident.category()).substr(9), severity}];
    }
    return totals;
  }

  v1::Incident Incident(const std::string& id, uint32_t province, const std::string& sector,
                        v1::Category category, v1::Severity severity, v1::Tlp tlp,
                        v1::SharingScope scope, hours ago, int64_t enterprise_id = 0) {
    v1::Incident incident = SampleIncident(id, province, clock_.Now());
    incident.set_sector(sector);
    incident.set_category(category);
    incident.set_severity(severity);
    incident.set_tlp(tlp);
    incident.set_sharing_scope(scope);
    incident.set_enterprise_id(enterprise_id);
    *incident.mutable_occur_time() = ToTimestamp(clock_.Now() - ago);
    *incident.mutable_detect_time() = ToTimestamp(clock_.Now() - ago + std::chrono::minutes(5));
    return incident;
  }

  v1::Situation Get(const Caller& caller, const v1::GetSituationRequest& request = {}) {
    auto feeds = v1::FeedService::NewStub(channel_);
    v1::Situation situation;
    const grpc::Status status = feeds->GetSituation(As(caller.token).get(), request, &situation);
    EXPECT_TRUE(status.ok()) << caller.name << ": " << status.error_message();
    return situation;
  }

  void ExpectMatchesBruteForce(const std::vector<Caller>& callers) {
    for (const Caller& caller : callers) {
      SCOPED_TRACE(caller.name);
      const v1::Situation situation = Get(caller);
      const v1::TimeRange current = situation.time_range();
      v1::TimeRange previous;
      *previous.mutable_end_time() = current.start_time();
      previous.mutable_start_time()->set_seconds(
          current.start_time().seconds() -
          (current.end_time().seconds() - current.start_time().seconds()));
      const std::vector<v1::Incident> readable = Readable(caller);
      const Totals expected = BruteForce(readable, current);
      EXPECT_EQ(TotalsOf(situation.totals()), expected);
      EXPECT_EQ(TotalsOf(situation.incidents()), expected);  // the buckets add up
      EXPECT_EQ(TotalsOf(situation.previous_period_totals()), BruteForce(readable, previous));
      int64_t total = 0;
      for (const auto& [key, count] : expected) {
        if (std::get<0>(key) == "category") total += count;
      }
      EXPECT_EQ(situation.total_incidents(), total);
      int64_t previous_total = 0;
      for (const v1::IncidentCount& count : situation.previous_period_by_severity()) {
        previous_total += count.count();
      }
      EXPECT_EQ(situation.previous_period_total_incidents(), previous_total);
    }
  }
};

TEST_F(SituationTest, CountsEqualBruteForceOverWhatEachPrincipalMaySee) {
  const v1::Enterprise gd_energy = RegisterEnterprise(440000, "energy");
  const v1::Enterprise bj_water = RegisterEnterprise(110000, "water");
  const std::string gd_collector = TokenFor(v1::ROLE_COLLECTOR, 440000);
  const std::string bj_collector = TokenFor(v1::ROLE_COLLECTOR, 110000);
  const std::string sh_collector = TokenFor(v1::ROLE_COLLECTOR, 310000);
  const std::vector<Caller> callers = {
      Make("national", v1::ROLE_NATIONAL),
      Make("guangdong", v1::ROLE_PROVINCIAL, 440000),
      Make("beijing", v1::ROLE_PROVINCIAL, 110000),
      Make("gd-energy-firm", v1::ROLE_ENTERPRISE, 0, &gd_energy),
      Make("bj-water-firm", v1::ROLE_ENTERPRISE, 0, &bj_water),
  };

  // Every scope × TLP in three provinces and two sectors, in this period (2 and 9 days ago),
  // the previous one (40 days ago) and before both (80 days ago).
  std::map<std::string, v1::PushBatch> batches;
  const std::vector<std::tuple<uint32_t, std::string, std::string, int64_t>> provinces = {
      {440000, "energy", gd_collector, gd_energy.id()},
      {110000, "water", bj_collector, bj_water.id()},
      {310000, "energy", sh_collector, 0}};
  const std::vector<v1::Category> categories = {v1::CATEGORY_MALWARE, v1::CATEGORY_NETWORK_ATTACK,
                                                v1::CATEGORY_FACILITY_FAULT};
  int n = 0;
  for (const auto& [province, sector, token, enterprise] : provinces) {
    for (const v1::SharingScope scope :
         {v1::SHARING_SCOPE_PROVINCE, v1::SHARING_SCOPE_ALL_REGULATORS, v1::SHARING_SCOPE_SECTOR,
          v1::SHARING_SCOPE_PUBLIC}) {
      for (const v1::Tlp tlp :
           {v1::TLP_CLEAR, v1::TLP_GREEN, v1::TLP_AMBER, v1::TLP_AMBER_STRICT, v1::TLP_RED}) {
        for (const hours ago : {hours(48), hours(9 * 24), hours(40 * 24), hours(80 * 24)}) {
          ++n;
          *batches[token].add_incidents() = Incident(
              "i" + std::to_string(n), province, n % 3 ? sector : "steel", categories[n % 3],
              static_cast<v1::Severity>(1 + n % 4), tlp, scope, ago, n % 2 ? enterprise : 0);
        }
      }
    }
  }
  for (const auto& [token, batch] : batches) {
    const PushResult pushed = PushAll(*channel_, token, {batch});
    ASSERT_TRUE(pushed.status.ok()) << pushed.status.error_message();
    ASSERT_EQ(pushed.acks.at(0).accepted(), static_cast<uint32_t>(batch.incidents_size()));
  }
  // Everything of this period is past the rollups' cursor or compacted, depending on the background
  // compactor's timing: both paths must agree, so compare, compact by hand, compare again.
  ExpectMatchesBruteForce(callers);
  CompactAll();
  ExpectMatchesBruteForce(callers);

  // Amendments move counts: regrade, reshare (into and out of others' view), move in time from
  // the previous period into this one.
  auto reports = v1::ReportService::NewStub(channel_);
  const std::string national = callers[0].token;
  std::vector<int64_t> ids;
  for (const v1::Incident& incident : AllIncidents()) {
    if (incident.id() % 5 == 0) ids.push_back(incident.id());
  }
  std::sort(ids.begin(), ids.end());
  if (ids.size() > 30) ids.resize(30);
  int amended = 0;
  for (const int64_t id : ids) {
    v1::AmendIncidentRequest request;
    request.set_incident_id(id);
    request.set_kind(v1::AMENDMENT_KIND_FOLLOW_UP);
    request.mutable_incident()->set_severity(v1::SEVERITY_I);
    request.mutable_incident()->set_tlp(amended % 2 ? v1::TLP_GREEN : v1::TLP_RED);
    request.mutable_incident()->set_sharing_scope(amended % 3 ? v1::SHARING_SCOPE_PUBLIC
                                                              : v1::SHARING_SCOPE_PROVINCE);
    *request.mutable_incident()->mutable_occur_time() = ToTimestamp(clock_.Now() - hours(30));
    *request.mutable_incident()->mutable_detect_time() = ToTimestamp(clock_.Now() - hours(29));
    for (const char* path : {"severity", "tlp", "sharing_scope", "occur_time", "detect_time"}) {
      request.mutable_update_mask()->add_paths(path);
    }
    request.set_note("situation test");
    v1::Incident out;
    const grpc::Status status = reports->AmendIncident(As(national).get(), request, &out);
    ASSERT_TRUE(status.ok()) << status.error_message();
    ++amended;
  }
  ASSERT_EQ(amended, 30);
  ExpectMatchesBruteForce(callers);
  CompactAll();
  ExpectMatchesBruteForce(callers);

  // The national overview holds every incident of the period; a province only what it may see.
  const v1::Situation all = Get(callers[0]);
  v1::IncidentFilter last_20_days;
  *last_20_days.mutable_occur_time()->mutable_start_time() =
      ToTimestamp(std::chrono::system_clock::now() - hours(20 * 24));
  EXPECT_EQ(all.total_incidents(), static_cast<int64_t>(AllIncidents(last_20_days).size()));
  EXPECT_LT(Get(callers[1]).total_incidents(), all.total_incidents());
  EXPECT_GT(all.previous_period_total_incidents(), 0);
}

TEST_F(SituationTest, ProvinceFilterAndHourBucketsCountTheSameIncidents) {
  const std::string gd_collector = TokenFor(v1::ROLE_COLLECTOR, 440000);
  const std::string bj_collector = TokenFor(v1::ROLE_COLLECTOR, 110000);
  v1::PushBatch gd, bj;
  for (int i = 0; i < 12; ++i) {
    *gd.add_incidents() =
        Incident("gd" + std::to_string(i), 440000, "energy", v1::CATEGORY_MALWARE, v1::SEVERITY_II,
                 v1::TLP_GREEN, v1::SHARING_SCOPE_ALL_REGULATORS, hours(2 + i));
  }
  for (int i = 0; i < 5; ++i) {
    *bj.add_incidents() =
        Incident("bj" + std::to_string(i), 110000, "water", v1::CATEGORY_OTHER, v1::SEVERITY_IV,
                 v1::TLP_AMBER, v1::SHARING_SCOPE_PROVINCE, hours(3 + i));
  }
  ASSERT_EQ(PushAll(*channel_, gd_collector, {gd}).acks.at(0).accepted(), 12u);
  ASSERT_EQ(PushAll(*channel_, bj_collector, {bj}).acks.at(0).accepted(), 5u);
  const Caller national = Make("national", v1::ROLE_NATIONAL);
  const Caller guangdong = Make("guangdong", v1::ROLE_PROVINCIAL, 440000);
  for (const bool compacted : {false, true}) {
    SCOPED_TRACE(compacted ? "compacted" : "past the cursor");
    if (compacted) {
      CompactAll();
    }
    v1::GetSituationRequest request;
    request.add_provinces(110000);
    EXPECT_EQ(Get(national, request).total_incidents(), 5);
    EXPECT_EQ(Get(guangdong, request).total_incidents(), 0);  // Beijing's are not shared
    request.clear_provinces();
    request.add_provinces(440000);
    request.set_bucket(v1::BUCKET_HOUR);
    *request.mutable_time_range()->mutable_start_time() = ToTimestamp(clock_.Now() - hours(48));
    const v1::Situation hourly = Get(guangdong, request);
    EXPECT_EQ(hourly.total_incidents(), 12);
    EXPECT_EQ(hourly.bucket(), v1::BUCKET_HOUR);
    std::set<int64_t> buckets;
    for (const v1::IncidentCount& count : hourly.incidents()) {
      EXPECT_EQ(count.bucket_start().seconds() % 3600, 0);
      buckets.insert(count.bucket_start().seconds());
    }
    EXPECT_EQ(buckets.size(), 12u);  // one incident per hour
    EXPECT_EQ(hourly.time_range().start_time().seconds() % 3600, 0);
  }
}

// The notice backlog by province: open (delivered or acknowledged), overdue (open past the
// deadline), and the median delays to acknowledge and to feed back, each over the targets the
// caller may read: a province its own, an enterprise its own, the national centre all.
TEST_F(SituationTest, NoticeBacklogCountsTheTargetsEachPrincipalMaySee) {
  const v1::Enterprise plant = RegisterEnterprise(440000, "energy");
  const Caller national = Make("national", v1::ROLE_NATIONAL);
  const Caller guangdong = Make("guangdong", v1::ROLE_PROVINCIAL, 440000);
  const Caller beijing = Make("beijing", v1::ROLE_PROVINCIAL, 110000);
  const Caller firm = Make("firm", v1::ROLE_ENTERPRISE, 0, &plant);
  auto notices = v1::NotificationService::NewStub(channel_);
  const auto issue = [&](const Caller& issuer, uint32_t province, int64_t enterprise_id) {
    v1::IssueNotificationRequest request;
    v1::Notification& notice = *request.mutable_notification();
    notice.set_title("SCADA ransomware");
    notice.set_body("Block the listed addresses.");
    notice.set_priority(v1::SEVERITY_II);  // due in 2 h
    notice.set_tlp(v1::TLP_AMBER);
    v1::NotificationTarget& target = *notice.add_targets();
    target.set_province(province);
    target.set_enterprise_id(enterprise_id);
    v1::Notification issued;
    const grpc::Status status =
        notices->IssueNotification(As(issuer.token).get(), request, &issued);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return issued.id();
  };
  const auto acknowledge = [&](const Caller& recipient, int64_t id) {
    v1::AcknowledgeRequest request;
    request.set_notification_id(id);
    v1::Notification out;
    const grpc::Status status = notices->Acknowledge(As(recipient.token).get(), request, &out);
    EXPECT_TRUE(status.ok()) << status.error_message();
  };
  const int64_t to_guangdong = issue(national, 440000, 0);
  issue(national, 110000, 0);
  const int64_t to_plant = issue(guangdong, 0, plant.id());
  clock_.Advance(std::chrono::minutes(30));
  acknowledge(guangdong, to_guangdong);
  clock_.Advance(std::chrono::minutes(30));
  v1::SubmitFeedbackRequest feedback;
  feedback.set_notification_id(to_guangdong);
  feedback.set_text("Blocked at the provincial gateway.");
  feedback.set_outcome(v1::FEEDBACK_OUTCOME_MITIGATED);
  v1::Notification out;
  ASSERT_TRUE(notices->SubmitFeedback(As(guangdong.token).get(), feedback, &out).ok());
  clock_.Advance(std::chrono::minutes(30));
  acknowledge(firm, to_plant);
  const auto backlog = [&](const Caller& caller) {
    std::vector<std::string> rows;
    const v1::Situation situation = Get(caller);
    for (const v1::NoticeBacklog& row : situation.notice_backlog()) {
      rows.push_back(row.ShortDebugString());
    }
    return rows;
  };
  // Guangdong: its bulletin target (acknowledged after 30 min, fed back after 60, so closed to
  // the backlog) and its notice to the plant (acknowledged after 90 min, still open).
  const std::string guangdong_row =
      "province: 440000 open: 1 median_seconds_to_acknowledge: 3600 "
      "median_seconds_to_feedback: 3600";
  const std::string beijing_row = "province: 110000 open: 1";
  EXPECT_EQ(backlog(national), (std::vector<std::string>{beijing_row, guangdong_row}));
  EXPECT_EQ(backlog(guangdong), std::vector<std::string>{guangdong_row});
  EXPECT_EQ(backlog(beijing), std::vector<std::string>{beijing_row});
  EXPECT_EQ(backlog(firm), std::vector<std::string>{"province: 440000 open: 1 "
                                                    "median_seconds_to_acknowledge: 5400"});
  clock_.Advance(std::chrono::hours(1));  // past both deadlines: what is open is overdue
  EXPECT_EQ(backlog(national),
            (std::vector<std::string>{
                "province: 110000 open: 1 overdue: 1",
                "province: 440000 open: 1 overdue: 1 median_seconds_to_acknowledge: 3600 "
                "median_seconds_to_feedback: 3600"}));
  EXPECT_EQ(backlog(beijing), std::vector<std::string>{"province: 110000 open: 1 overdue: 1"});
}

TEST_F(SituationTest, BadRequestsNameTheirField) {
  const std::string national = TokenFor(v1::ROLE_NATIONAL);
  const auto now = clock_.Now();
  std::vector<std::pair<v1::GetSituationRequest, std::string>> cases;
  auto add = [&](const std::string& field, auto change) {
    v1::GetSituationRequest request;
    change(request);
    cases.emplace_back(request, field);
  };
  add("time_range.end_time", [&](auto& r) {
    *r.mutable_time_range()->mutable_start_time() = ToTimestamp(now);
    *r.mutable_time_range()->mutable_end_time() = ToTimestamp(now - hours(1));
  });
  add("time_range", [&](auto& r) {
    *r.mutable_time_range()->mutable_start_time() = ToTimestamp(now - hours(24 * 400));
  });
  add("time_range.start_time",
      [&](auto& r) { r.mutable_time_range()->mutable_start_time()->set_seconds(100); });
  add("time_range.end_time", [&](auto& r) {
    *r.mutable_time_range()->mutable_end_time() = ToTimestamp(now + hours(24 * 30));
  });
  add("bucket", [&](auto& r) { r.set_bucket(static_cast<v1::Bucket>(7)); });
  add("bucket", [&](auto& r) {
    r.set_bucket(v1::BUCKET_HOUR);
    *r.mutable_time_range()->mutable_start_time() = ToTimestamp(now - hours(24 * 60));
  });
  add("provinces[1]", [&](auto& r) {
    r.add_provinces(440000);
    r.add_provinces(123456);
  });
  add("provinces[1]", [&](auto& r) {
    r.add_provinces(440000);
    r.add_provinces(440000);
  });
  add("top_enterprises", [&](auto& r) { r.set_top_enterprises(101); });
  add("top_enterprises", [&](auto& r) { r.set_top_enterprises(-1); });
  auto feeds = v1::FeedService::NewStub(channel_);
  for (const auto& [request, field] : cases) {
    SCOPED_TRACE(request.ShortDebugString());
    v1::Situation out;
    const grpc::Status status = feeds->GetSituation(As(national).get(), request, &out);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_EQ(ViolatedFields(status), std::vector<std::string>{field});
  }
  // Collectors read back what they pushed, not the overview.
  v1::Situation out;
  EXPECT_EQ(
      feeds->GetSituation(As(TokenFor(v1::ROLE_COLLECTOR, 440000)).get(), {}, &out).error_code(),
      grpc::StatusCode::PERMISSION_DENIED);
}

}  // namespace
}  // namespace sitrep::testing
