#include "storage/error_translation.h"

#include <gtest/gtest.h>

#include <functional>
#include <string>

namespace sitrep::storage {
namespace {

// What RethrowAsStorageError makes of `error` when the connection is still open (or none).
std::exception_ptr Translated(const std::exception_ptr& error) {
  try {
    try {
      std::rethrow_exception(error);
    } catch (...) {
      RethrowAsStorageError(nullptr);
    }
  } catch (...) {
    return std::current_exception();
  }
  return nullptr;
}

template <class T>
bool Is(const std::exception_ptr& error) {
  try {
    std::rethrow_exception(error);
  } catch (const T&) {
    return true;
  } catch (...) {
    return false;
  }
}

// Every libpqxx failure leaves storage/ as one of errors.h's types; anything else unchanged.
TEST(ErrorTranslationTest, EveryLibpqxxFailureBecomesAStorageError) {
  struct Row {
    const char* name;
    std::exception_ptr error;
    std::function<bool(const std::exception_ptr&)> expected;
  };
  const Row rows[] = {
      {"broken connection", std::make_exception_ptr(pqxx::broken_connection("gone")),
       Is<Unavailable>},
      {"too many connections", std::make_exception_ptr(pqxx::too_many_connections("full")),
       Is<Unavailable>},
      {"admin shutdown", std::make_exception_ptr(pqxx::sql_error("bye", "SELECT 1", "57P01")),
       Is<Unavailable>},
      {"crash shutdown", std::make_exception_ptr(pqxx::sql_error("bye", "SELECT 1", "57P02")),
       Is<Unavailable>},
      {"cannot connect now", std::make_exception_ptr(pqxx::sql_error("no", "SELECT 1", "57P03")),
       Is<Unavailable>},
      {"no SQLSTATE", std::make_exception_ptr(pqxx::sql_error("lost", "SELECT 1")),
       Is<Unavailable>},
      {"COPY data not sent", std::make_exception_ptr(pqxx::failure("copy")), Is<Unavailable>},
      {"lost in COMMIT", std::make_exception_ptr(pqxx::in_doubt_error("commit?")),
       Is<CommitInDoubt>},
      {"completion unknown", std::make_exception_ptr(pqxx::statement_completion_unknown("?")),
       Is<CommitInDoubt>},
      {"serialization", std::make_exception_ptr(pqxx::serialization_failure("s")), Is<Conflict>},
      {"deadlock", std::make_exception_ptr(pqxx::deadlock_detected("d")), Is<Conflict>},
      {"row-level security",
       std::make_exception_ptr(pqxx::insufficient_privilege("rls", "INSERT", "42501")),
       Is<RefusedByPolicy>},
      {"statement timeout",
       std::make_exception_ptr(pqxx::sql_error("timeout", "SELECT pg_sleep(9)", "57014")),
       Is<QueryTimeout>},
      {"credential ended",
       std::make_exception_ptr(pqxx::sql_error("ended", "SELECT set_config(…)", "28000")),
       Is<CredentialEnded>},
      {"syntax error", std::make_exception_ptr(pqxx::syntax_error("oops", "SELEC", "42601")),
       Is<StatementFailed>},
      {"usage error", std::make_exception_ptr(pqxx::usage_error("misuse")), Is<StatementFailed>},
      {"the body's own", std::make_exception_ptr(std::runtime_error("mine")),
       [](const std::exception_ptr& error) {
         return Is<std::runtime_error>(error) && !Is<DatabaseError>(error);
       }},
  };
  for (const Row& row : rows) {
    EXPECT_TRUE(row.expected(Translated(row.error))) << row.name;
  }
}

TEST(ErrorTranslationTest, RefusedDataKeepsItsStateAndColumn) {
  struct Row {
    std::exception_ptr error;
    std::string sqlstate;
    bool constraint;
    std::string column;
  };
  const Row rows[] = {
      {std::make_exception_ptr(pqxx::not_null_violation(
           "ERROR:  null value in column \"title\" of relation \"incidents\" violates not-null "
           "constraint",
           "INSERT", "23502")),
       "23502", true, "title"},
      {std::make_exception_ptr(pqxx::unique_violation("duplicate key", "INSERT", "23505")), "23505",
       true, ""},
      {std::make_exception_ptr(pqxx::data_exception("invalid input syntax", "INSERT", "22P02")),
       "22P02", false, ""},
  };
  for (const Row& row : rows) {
    try {
      std::rethrow_exception(Translated(row.error));
    } catch (const RefusedByDatabase& refused) {
      EXPECT_EQ(refused.sqlstate(), row.sqlstate);
      EXPECT_EQ(refused.constraint(), row.constraint);
      EXPECT_EQ(refused.column(), row.column);
    } catch (...) {
      ADD_FAILURE() << row.sqlstate << " is not RefusedByDatabase";
    }
  }
}

}  // namespace
}  // namespace sitrep::storage
