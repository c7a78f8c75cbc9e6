#include <gtest/gtest.h>

#include <chrono>
#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "domain/time_convert.h"
#include "storage/enterprise_store.h"
#include "storage/errors.h"
#include "storage/notification_store.h"
#include "storage/pool.h"
#include "storage/principal_store.h"
#include "storage/transaction.h"
#include "tests/support/target_steps.h"
#include "tests/support/test_cluster.h"

namespace sitrep::storage {
namespace {

constexpr uint32_t kGuangdong = 440000;
constexpr uint32_t kBeijing = 110000;

// The notification tables' row-level security on its own, as plain SQL under each caller's
// settings: what the C++ rules of notifications/ refuse, the database refuses too.
class NotificationStorePgTest : public ::testing::Test {
 protected:
  NotificationStorePgTest() {
    admin_.id = 1;
    admin_.name = "admin";
    admin_.role = v1::ROLE_ADMIN;
  }

  Principal Create(const std::string& name, v1::Role role, uint32_t province,
                   int64_t enterprise_id = 0) {
    v1::Principal principal;
    principal.set_name(name);
    principal.set_role(role);
    principal.set_province(role == v1::ROLE_ENTERPRISE ? 0 : province);
    principal.set_enterprise_id(enterprise_id);
    v1::Principal created;
    EXPECT_EQ(PrincipalStore(pool_).Create(admin_, principal, created),
              CreatePrincipalResult::kCreated)
        << name;
    Principal caller;
    caller.id = created.id();
    caller.name = name;
    caller.role = role;
    caller.province = province;
    caller.enterprise_id = enterprise_id;
    return caller;
  }

  int64_t CreateEnterprise(const std::string& credit_code) {
    v1::Enterprise enterprise;
    enterprise.set_credit_code(credit_code);
    enterprise.set_name("Guangzhou Petrochemical " + credit_code.substr(14));
    enterprise.set_province(kGuangdong);
    enterprise.set_sector("energy");
    enterprise.set_type(v1::ENTERPRISE_TYPE_NETWORKED_INDUSTRIAL);
    enterprise.set_size(v1::ENTERPRISE_SIZE_LARGE);
    return EnterpriseStore(pool_).Create(admin_, enterprise).value().id();
  }

  // A notice as notifications/ completes it, issued by `issuer` to `targets`.
  v1::Notification Issue(const Principal& issuer, const std::vector<NewTarget>& targets) {
    v1::Notification notice;
    const bool national = issuer.role == v1::ROLE_NATIONAL;
    notice.set_level(national ? v1::NOTIFICATION_LEVEL_NATIONAL
                              : v1::NOTIFICATION_LEVEL_PROVINCIAL);
    notice.set_issuer_province(national ? 0 : issuer.province);
    notice.set_origin(v1::NOTIFICATION_ORIGIN_MANUAL);
    notice.set_priority(v1::SEVERITY_II);
    notice.set_title("Patch the historians");
    notice.set_body("A known-exploited flaw affects the plant historians.");
    notice.set_tlp(v1::TLP_GREEN);
    *notice.mutable_response_deadline() = ToTimestamp(now_ + std::chrono::hours(24));
    const Outcome<v1::Notification> issued =
        store_.Issue(issuer, notice, now_, [&](const auto&) { return targets; });
    EXPECT_TRUE(issued.ok());
    return issued.ok() ? issued.value() : v1::Notification{};
  }

  // `caller` acknowledges its own (the only one it sees) target of notice `id`.
  void Acknowledge(const Principal& caller, int64_t id) {
    const Outcome<v1::Notification> changed =
        store_.Change(caller, id, now_, [](const v1::Notification& locked) {
          std::vector<TargetChange> changes;
          for (const v1::NotificationTarget& target : locked.targets()) {
            TargetChange change;
            change.target_id = target.id();
            change.province = target.province();
            change.state = v1::TARGET_STATE_ACKNOWLEDGED;
            changes.push_back(change);
          }
          return Outcome<std::vector<TargetChange>>(std::move(changes));
        });
    EXPECT_TRUE(changed.ok());
  }

  int64_t Count(const Principal& caller, const std::string& table) {
    return InTransaction(pool_, caller, [&](pqxx::work& tx) {
      return tx.exec1("SELECT count(*) FROM " + tx.quote_name(table))[0].as<int64_t>();
    });
  }

  const std::string url_ = test::TestCluster::FreshDatabaseUrl();
  Pool pool_{url_, 2};
  NotificationStore store_{pool_};
  Principal admin_;
  const TimePoint now_ = std::chrono::system_clock::now();
};

TEST_F(NotificationStorePgTest, RowLevelSecurityIsTheSecondWall) {
  const int64_t plant = CreateEnterprise("91440300MA5F00001A");
  const int64_t other_plant = CreateEnterprise("91440300MA5F00002A");
  const Principal national = Create("national", v1::ROLE_NATIONAL, 0);
  const Principal guangdong = Create("guangdong", v1::ROLE_PROVINCIAL, kGuangdong);
  const Principal beijing = Create("beijing", v1::ROLE_PROVINCIAL, kBeijing);
  const Principal other = Create("other-plant", v1::ROLE_ENTERPRISE, kGuangdong, other_plant);

  const v1::Notification bulletin = Issue(national, {{kGuangdong, 0}, {kBeijing, 0}});
  const v1::Notification forwarded = Issue(guangdong, {{kGuangdong, plant}});
  // A step each, so that each province has an event row of its own.
  Acknowledge(beijing, bulletin.id());
  Acknowledge(guangdong, bulletin.id());

  EXPECT_EQ(Count(beijing, "notifications"), 1);
  EXPECT_EQ(Count(beijing, "notification_targets"), 1);
  EXPECT_EQ(Count(beijing, "notification_events"), 1);
  EXPECT_EQ(Count(guangdong, "notifications"), 2);
  EXPECT_EQ(Count(guangdong, "notification_targets"), 2);  // its own and its enterprise's
  EXPECT_EQ(Count(other, "notifications"), 0);
  EXPECT_EQ(Count(other, "notification_targets"), 0);
  // And refuses what the C++ rules refuse: an enterprise cannot move another's target.
  EXPECT_EQ(InTransaction(pool_, other,
                          [&](pqxx::work& tx) {
                            return tx
                                .exec_params(
                                    "UPDATE notification_targets SET state = 'ACKNOWLEDGED' "
                                    "WHERE notification_id = $1",
                                    forwarded.id())
                                .affected_rows();
                          }),
            0u);
  // Nor may anyone skip a step, whatever the role.
  EXPECT_THROW(InTransaction(pool_, admin_,
                             [&](pqxx::work& tx) {
                               tx.exec_params(
                                   "UPDATE notification_targets SET state = "
                                   "'FEEDBACK_SUBMITTED' WHERE notification_id = $1",
                                   forwarded.id());
                             }),
               RefusedByDatabase);
}

// The database's wall alone, fed the table that the rules are fed through gRPC
// (tests/support/target_steps.h): from every state, each step is written straight into the
// table as its owner, past the rules, and the trigger allows exactly the legal ones.
TEST_F(NotificationStorePgTest, EveryTargetStepIsDecidedByTheTriggerAsTheTableSays) {
  const Principal national = Create("national", v1::ROLE_NATIONAL, 0);
  pqxx::connection owner(url_);
  // Writes `state` into the target of notice `id`; whether the trigger let it through.
  const auto write = [&](int64_t id, v1::TargetState state) {
    pqxx::work tx(owner);
    try {
      tx.exec_params0("UPDATE notification_targets SET state = $2 WHERE notification_id = $1", id,
                      test::TargetStateText(state));
      tx.commit();
      return true;
    } catch (const pqxx::check_violation&) {
      return false;
    }
  };
  // A national bulletin to Guangdong, brought to `from` by legal steps.
  const auto notice_in = [&](v1::TargetState from) {
    const int64_t id = Issue(national, {{kGuangdong, 0}}).id();
    if (from == v1::TARGET_STATE_ACKNOWLEDGED || from == v1::TARGET_STATE_FEEDBACK_SUBMITTED) {
      EXPECT_TRUE(write(id, v1::TARGET_STATE_ACKNOWLEDGED));
    }
    if (from == v1::TARGET_STATE_FEEDBACK_SUBMITTED || from == v1::TARGET_STATE_CLOSED) {
      EXPECT_TRUE(write(id, from));
    }
    return id;
  };
  for (const test::TargetStep& step : test::kTargetSteps) {
    SCOPED_TRACE(test::TargetStateText(step.from) + " -> " + test::TargetStateText(step.to));
    EXPECT_EQ(write(notice_in(step.from), step.to), step.legal);
  }
}

}  // namespace
}  // namespace sitrep::storage
