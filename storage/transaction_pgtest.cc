#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <pqxx/pqxx>
#include <string>
#include <thread>
#include <vector>

#include "storage/bulk_copy.h"
#include "storage/errors.h"
#include "storage/transaction.h"
#include "tests/support/test_cluster.h"

namespace sitrep::storage {
namespace {

struct Settings {
  std::string principal_id, role, province, enterprise_id, sector;
};

Settings ReadSettings(pqxx::work& tx) {
  const pqxx::row row = tx.exec1(
      "SELECT current_setting('sitrep.principal_id', true), current_setting('sitrep.role', true), "
      "current_setting('sitrep.province', true), "
      "current_setting('sitrep.enterprise_id', true), current_setting('sitrep.sector', true)");
  return {row[0].as<std::string>(""), row[1].as<std::string>(""), row[2].as<std::string>(""),
          row[3].as<std::string>(""), row[4].as<std::string>("")};
}

Principal EnterpriseCaller() {
  Principal caller;
  caller.id = 17;
  caller.name = "plant";
  caller.role = v1::ROLE_ENTERPRISE;
  caller.province = 440000;
  caller.enterprise_id = 9;
  caller.sector = "petrochemical";
  return caller;
}

class TransactionPgTest : public ::testing::Test {
 protected:
  // Ends the backend of `tx` from another session, as pg_terminate_backend or a restart of
  // PostgreSQL does, and gives its FATAL message and the close time to arrive.
  // `pid` is asked before a COPY starts: no statement may run while one is open.
  void TerminateBackend(pqxx::work& tx) {
    TerminateBackend(tx.exec1("SELECT pg_backend_pid()")[0].as<int>());
  }
  void TerminateBackend(int pid) {
    pqxx::connection killer(url_);
    pqxx::nontransaction(killer).exec_params("SELECT pg_terminate_backend($1)", pid);
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }

  const std::string url_ = test::TestCluster::FreshDatabaseUrl();
  Pool pool_{url_, 1};
};

// Issue 14: however libpqxx 6.4 reports a connection lost in the middle of the work (a
// statement, COPY data, the end of COPY, COMMIT), InTransaction throws the one shape that
// means "unavailable, retry": Unavailable, or CommitInDoubt when COMMIT was lost.
TEST_F(TransactionPgTest, AConnectionLostAnywhereInTheWorkIsThrownAsUnavailable) {
  struct Shape {
    const char* name;
    std::function<void(pqxx::work&)> body;
  };
  const std::string row(1000, 'x');
  const std::vector<Shape> shapes = {
      {"a statement after the loss",
       [&](pqxx::work& tx) {
         TerminateBackend(tx);
         tx.exec("SELECT 1");
       }},
      {"COPY data after the loss",
       [&](pqxx::work& tx) {
         const int pid = tx.exec1("SELECT pg_backend_pid()")[0].as<int>();
         BulkCopy copy(tx, "loss_staging", "(a text)");
         TerminateBackend(pid);
         for (int i = 0; i < 20'000; ++i) copy.Row().Text(row);
         copy.Finish();
       }},
      {"the end of COPY after the loss",
       [&](pqxx::work& tx) {
         const int pid = tx.exec1("SELECT pg_backend_pid()")[0].as<int>();
         BulkCopy copy(tx, "loss_staging", "(a text)");
         copy.Row().Text(row);
         TerminateBackend(pid);
         copy.Finish();
       }},
      {"the loss before COMMIT", [&](pqxx::work& tx) { TerminateBackend(tx); }},
  };
  for (const Shape& shape : shapes) {
    SCOPED_TRACE(shape.name);
    try {
      InTransaction(pool_, Principal{}, shape.body);
      ADD_FAILURE() << "no exception";
    } catch (const Unavailable&) {
    } catch (const CommitInDoubt&) {
    } catch (const std::exception& error) {
      ADD_FAILURE() << typeid(error).name() << ": " << error.what();
    }
    // The pool drops the broken connection and serves the next call.
    EXPECT_EQ(InTransaction(pool_, Principal{},
                            [](pqxx::work& tx) { return tx.exec1("SELECT 1")[0].as<int>(); }),
              1);
  }
}

TEST_F(TransactionPgTest, CallerSettingsHoldInsideTheTransaction) {
  const Settings settings = InTransaction(pool_, EnterpriseCaller(), ReadSettings);

  EXPECT_EQ(settings.principal_id, "17");
  EXPECT_EQ(settings.role, "ENTERPRISE");
  EXPECT_EQ(settings.province, "440000");
  EXPECT_EQ(settings.enterprise_id, "9");
  EXPECT_EQ(settings.sector, "petrochemical");
}

TEST_F(TransactionPgTest, UnknownCallerHasZeroIdsAndUnspecifiedRole) {
  const Settings settings = InTransaction(pool_, Principal{}, ReadSettings);

  EXPECT_EQ(settings.principal_id, "0");
  EXPECT_EQ(settings.role, "UNSPECIFIED");
  EXPECT_EQ(settings.province, "0");
  EXPECT_EQ(settings.enterprise_id, "0");
  EXPECT_EQ(settings.sector, "");
}

TEST_F(TransactionPgTest, SettingsDoNotOutliveTheTransaction) {
  InTransaction(pool_, EnterpriseCaller(), [](pqxx::work&) {});

  // The pool has one connection, so this is the same session.
  Pool::Lease connection = pool_.Acquire();
  pqxx::work tx(*connection);
  const Settings settings = ReadSettings(tx);
  EXPECT_EQ(settings.principal_id, "");
  EXPECT_EQ(settings.role, "");
}

TEST_F(TransactionPgTest, ExceptionRollsTheBodyBack) {
  EXPECT_THROW(InTransaction(pool_, Principal{},
                             [](pqxx::work& tx) {
                               tx.exec(
                                   "INSERT INTO audit_entries (method, status) "
                                   "VALUES ('/x', 'OK')");
                               throw std::runtime_error("body failed");
                             }),
               std::runtime_error);

  const int64_t rows = InTransaction(pool_, Principal{}, [](pqxx::work& tx) {
    return tx.exec1("SELECT count(*) FROM audit_entries")[0].as<int64_t>();
  });
  EXPECT_EQ(rows, 0);
}

// A token-bearing caller is re-checked in every transaction: whatever ended or changed its
// credential after the server admitted the call (the server hears of a change made behind its
// back only later, by NOTIFY) refuses the transaction before the body runs.
TEST_F(TransactionPgTest, EveryTransactionRechecksTheCallersCredential) {
  struct Row {
    const char* name;
    std::string change;  // SQL run as the owner; :p, :t, :e are the principal, token, enterprise
    bool refused;
  };
  const Row rows[] = {
      {"unchanged", "", false},
      {"token revoked", "UPDATE tokens SET revoked_at = now() WHERE id = :t", true},
      {"token given to another principal",
       "UPDATE tokens SET principal_id = (SELECT min(id) FROM principals) WHERE id = :t", true},
      {"principal rebound to another enterprise",
       "UPDATE principals SET enterprise_id = (SELECT min(id) FROM enterprises) WHERE id = :p",
       true},
      {"principal made provincial",
       "UPDATE principals SET role = 'PROVINCIAL', province = 110000, enterprise_id = NULL "
       "WHERE id = :p",
       true},
      {"enterprise moved to another province",
       "UPDATE enterprises SET province = 110000 WHERE id = :e", true},
      {"enterprise given another sector",
       "UPDATE enterprises SET sector = 'automobile' WHERE id = :e", true},
      {"an unrelated enterprise changed",
       "UPDATE enterprises SET province = 110000 WHERE id = (SELECT min(id) FROM enterprises)",
       false},
  };
  pqxx::connection owner(url_);
  int n = 0;
  for (const Row& row : rows) {
    SCOPED_TRACE(row.name);
    // Each row has its own enterprise, principal and token; the first row's stay as "others".
    const std::string suffix = std::to_string(++n);
    pqxx::work setup(owner);
    const pqxx::row made = setup.exec1(
        "WITH e AS (INSERT INTO enterprises (credit_code, name, province, sector, type, size) "
        "VALUES (lpad('" +
        suffix + "', 18, '9'), 'plant " + suffix +
        "', 440000, "
        "'petrochemical', 'NETWORKED_INDUSTRIAL', 'LARGE') RETURNING id), "
        "p AS (INSERT INTO principals (name, role, enterprise_id) "
        "SELECT 'plant-" +
        suffix +
        "', 'ENTERPRISE', id FROM e RETURNING id, enterprise_id) "
        "INSERT INTO tokens (principal_id, secret_sha256) "
        "SELECT id, sha256('" +
        suffix +
        "'::bytea) FROM p "
        "RETURNING principal_id, id, (SELECT enterprise_id FROM p)");
    setup.commit();
    Principal caller = EnterpriseCaller();
    caller.id = made[0].as<int64_t>();
    caller.token_id = made[1].as<int64_t>();
    caller.enterprise_id = made[2].as<int64_t>();
    if (!row.change.empty()) {
      std::string sql = row.change;
      for (const auto& [key, value] : {std::pair{":p", caller.id}, std::pair{":t", caller.token_id},
                                       std::pair{":e", caller.enterprise_id}}) {
        for (size_t at; (at = sql.find(key)) != std::string::npos;) {
          sql.replace(at, 2, std::to_string(value));
        }
      }
      pqxx::work change(owner);
      change.exec(sql);
      change.commit();
    }
    bool ran = false;
    const auto body = [&](pqxx::work&) { ran = true; };
    if (row.refused) {
      EXPECT_THROW(InTransaction(pool_, caller, body), CredentialEnded);
      EXPECT_FALSE(ran);
    } else {
      EXPECT_NO_THROW(InTransaction(pool_, caller, body));
      EXPECT_TRUE(ran);
    }
  }
}

}  // namespace
}  // namespace sitrep::storage
