#include "storage/transaction.h"

#include <string>
#include <typeinfo>

#include "storage/sql_types.h"

namespace sitrep::storage {

void SetCaller(pqxx::work& tx, const Principal& caller) {
  // One round trip; `true` makes each setting local to this transaction (SET LOCAL), so a
  // pooled connection never carries one caller's identity into the next transaction.
  tx.exec_params(
      "SELECT set_config('sitrep.principal_id', $1, true), set_config('sitrep.role', $2, true), "
      "set_config('sitrep.province', $3, true), set_config('sitrep.enterprise_id', $4, true), "
      "set_config('sitrep.sector', $5, true)",
      std::to_string(caller.id), EnumText(caller.role), std::to_string(caller.province),
      std::to_string(caller.enterprise_id), caller.sector);
}

void RethrowConnectionLoss(const pqxx::connection_base& connection) {
  try {
    throw;
  } catch (const pqxx::broken_connection&) {
    throw;
  } catch (const pqxx::in_doubt_error&) {
    throw;
  } catch (const pqxx::statement_completion_unknown&) {
    throw;
  } catch (const pqxx::sql_error& error) {
    // 57P01 admin_shutdown (pg_terminate_backend, a fast shutdown), 57P02 crash_shutdown,
    // 57P03 cannot_connect_now; class 08 is already a broken_connection.
    const std::string& state = error.sqlstate();
    if (!connection.is_open() || state == "57P01" || state == "57P02" || state == "57P03") {
      throw pqxx::broken_connection(error.what());
    }
    throw;
  } catch (const pqxx::failure& error) {
    // libpqxx throws the base type itself only for the connection's own trouble: COPY data or
    // its end that could not be sent, a result lost on the way.
    if (!connection.is_open() || typeid(error) == typeid(pqxx::failure)) {
      throw pqxx::broken_connection(error.what());
    }
    throw;
  } catch (const std::exception& error) {
    if (!connection.is_open()) throw pqxx::broken_connection(error.what());
    throw;
  }
}

}  // namespace sitrep::storage
