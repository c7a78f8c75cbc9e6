#pragma once

#include <pqxx/pqxx>

#include "storage/errors.h"

namespace sitrep::storage {

// Rethrows the exception being handled (call only inside a catch block) as one of
// storage/errors.h's types when it is libpqxx's, so that no libpqxx type leaves storage/.
// A lost connection reaches libpqxx 6.4 in many shapes: broken_connection, but also a plain
// pqxx::failure when COPY data or its end cannot be sent, a sql_error without SQLSTATE or with
// 57P01..57P03 (the server shutting down or terminating the backend), or a usage or internal
// error once the connection is gone; all of these become Unavailable. in_doubt_error (lost in
// COMMIT) and statement_completion_unknown become CommitInDoubt. `connection` is the one the
// failed work ran on, looked at before any rollback could reconnect it (null: none yet). An
// exception that is not libpqxx's is rethrown unchanged unless the connection is gone.
[[noreturn]] void RethrowAsStorageError(const pqxx::connection_base* connection);

}  // namespace sitrep::storage
