#include "storage/error_translation.h"

#include <string>
#include <typeinfo>

namespace sitrep::storage {
namespace {

// The column PostgreSQL's message names ("null value in column \"name\" …"), or "".
std::string NamedColumn(const std::string& message) {
  static const std::string kMarker = "column \"";
  const size_t start = message.find(kMarker);
  if (start == std::string::npos) return "";
  const size_t begin = start + kMarker.size();
  const size_t end = message.find('"', begin);
  return end == std::string::npos ? "" : message.substr(begin, end - begin);
}

bool ServerGoingAway(const std::string& state) {
  // 57P01 admin_shutdown (pg_terminate_backend, a fast shutdown), 57P02 crash_shutdown,
  // 57P03 cannot_connect_now, 53300 too_many_connections; class 08 is a broken_connection.
  return state == "57P01" || state == "57P02" || state == "57P03" || state == "53300" ||
         state.rfind("08", 0) == 0;
}

}  // namespace

void RethrowAsStorageError(const pqxx::connection_base* connection) {
  const bool lost = connection != nullptr && !connection->is_open();
  // Most derived first: statement_completion_unknown is a transaction_rollback, in_doubt_error
  // must not be taken for a plain failure, and the sql_error subclasses come before sql_error.
  try {
    throw;
  } catch (const DatabaseError&) {
    throw;  // already translated, by a nested call
  } catch (const pqxx::in_doubt_error& error) {
    throw CommitInDoubt(error.what());
  } catch (const pqxx::statement_completion_unknown& error) {
    throw CommitInDoubt(error.what());
  } catch (const pqxx::broken_connection& error) {
    throw Unavailable(error.what());
  } catch (const pqxx::transaction_rollback& error) {
    // Serialization failure, deadlock (InTransaction retries them first) or another class 40.
    throw Conflict(error.what());
  } catch (const pqxx::sql_error& error) {
    const std::string& state = error.sqlstate();
    if (lost || state.empty() || ServerGoingAway(state)) throw Unavailable(error.what());
    if (state.rfind("40", 0) == 0) throw Conflict(error.what());
    if (state == "42501") throw RefusedByPolicy(error.what());
    if (state == "57014") throw QueryTimeout(error.what());
    if (state == "28000") throw CredentialEnded(error.what());
    if (state.rfind("22", 0) == 0 || state.rfind("23", 0) == 0) {
      throw RefusedByDatabase(error.what(), state, NamedColumn(error.what()));
    }
    throw StatementFailed(error.what(), state);
  } catch (const pqxx::failure& error) {
    // libpqxx throws the base type itself only for the connection's own trouble: COPY data or
    // its end that could not be sent, a result lost on the way.
    if (lost || typeid(error) == typeid(pqxx::failure)) throw Unavailable(error.what());
    throw StatementFailed(error.what(), "");
  } catch (const pqxx::pqxx_exception& error) {
    // libpqxx's usage, conversion and internal errors: a bug in sitrep's use of it, or, once
    // the connection is gone, that loss.
    if (lost) throw Unavailable(error.base().what());
    throw StatementFailed(error.base().what(), "");
  } catch (const std::exception& error) {
    // The body's own exceptions pass unchanged, unless the connection is gone.
    if (lost) throw Unavailable(error.what());
    throw;
  }
}

}  // namespace sitrep::storage
