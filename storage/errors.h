#pragma once

#include <stdexcept>
#include <string>
#include <utility>

namespace sitrep::storage {

// What storage/ throws when PostgreSQL fails, so that no code above storage/ sees a libpqxx type
// (storage/error_translation.h makes them). what() is for the server's log only: it may hold
// SQL, and server/status_mapping.cc never shows it to a client.
class DatabaseError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// PostgreSQL cannot be reached, dropped the connection (SQLSTATE class 08, 57P01 admin shutdown,
// 57P02 crash shutdown, 57P03 cannot connect now, 53300 too many connections), or the pool had no
// connection free in time: nothing was done; retry later.
class Unavailable final : public DatabaseError {
 public:
  using DatabaseError::DatabaseError;
};

// The connection was lost while COMMIT or a statement was in flight, so the work may or may not
// have taken effect. sitrep's writes are idempotent, so resending is safe.
class CommitInDoubt final : public DatabaseError {
 public:
  using DatabaseError::DatabaseError;
};

// The transaction lost to a concurrent one (serialization failure or deadlock after
// InTransaction's retries, or another rollback of class 40): retry.
class Conflict final : public DatabaseError {
 public:
  using DatabaseError::DatabaseError;
};

// Row-level security or a grant refused the statement (42501): the C++ checks admitted what the
// database did not.
class RefusedByPolicy final : public DatabaseError {
 public:
  using DatabaseError::DatabaseError;
};

// PostgreSQL refused a value or a row: SQLSTATE class 22 (data exception) or 23 (integrity
// constraint violation). One record can cause it, so a writer may isolate that record.
class RefusedByDatabase final : public DatabaseError {
 public:
  RefusedByDatabase(const std::string& what, std::string sqlstate, std::string column)
      : DatabaseError(what), sqlstate_(std::move(sqlstate)), column_(std::move(column)) {}

  // The five-character SQLSTATE, e.g. "23505".
  [[nodiscard]] const std::string& sqlstate() const { return sqlstate_; }
  // Whether a constraint (class 23) rather than a value (class 22) was refused.
  [[nodiscard]] bool constraint() const { return sqlstate_.rfind("23", 0) == 0; }
  // The column PostgreSQL's message names, or "" when it names none.
  [[nodiscard]] const std::string& column() const { return column_; }

 private:
  std::string sqlstate_;
  std::string column_;
};

// The caller's token was revoked or its principal rebound after the server admitted the call
// (28000, raised by sitrep_check_credential): nothing was done; the caller must authenticate anew.
class CredentialEnded final : public DatabaseError {
 public:
  using DatabaseError::DatabaseError;
};

// statement_timeout cancelled the statement (57014).
class QueryTimeout final : public DatabaseError {
 public:
  using DatabaseError::DatabaseError;
};

// Any other failure of a statement (a syntax error, an undefined object, a failed assertion in a
// function): a bug in sitrep; the connection is fine.
class StatementFailed final : public DatabaseError {
 public:
  StatementFailed(const std::string& what, std::string sqlstate)
      : DatabaseError(what), sqlstate_(std::move(sqlstate)) {}
  [[nodiscard]] const std::string& sqlstate() const { return sqlstate_; }

 private:
  std::string sqlstate_;
};

}  // namespace sitrep::storage
