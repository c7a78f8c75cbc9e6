#pragma once

#include <optional>
#include <pqxx/pqxx>
#include <utility>

#include "domain/principal.h"
#include "storage/error_translation.h"
#include "storage/pool_lease.h"

namespace sitrep::storage {

// Sets the caller's row-level-security settings for the current transaction only
// (set_config(…, true) is SET LOCAL): sitrep.principal_id, sitrep.role, sitrep.province,
// sitrep.enterprise_id, sitrep.sector. Policies read them with current_setting(). A caller with
// a token has it re-checked in the same statement: revoked, or its principal bound otherwise
// than `caller` says, throws CredentialEnded.
void SetCaller(pqxx::work& tx, const Principal& caller);

// Runs `body(tx)` in one transaction on a pooled connection, as `caller`, and commits.
// Retries the whole body up to 3 times on serialization failure or deadlock. PostgreSQL's
// failures are thrown as storage/errors.h's types (RethrowAsStorageError); the body's own
// exceptions pass unchanged.
template <class Body>
auto InTransaction(Pool& pool, const Principal& caller, Body&& body) {
  for (int attempt = 1;; ++attempt) {
    Pool::Lease connection = pool.Acquire();
    // Outside the try, so that the handlers still see the connection as the failure left it:
    // the rollback in the transaction's destructor may reconnect it.
    std::optional<pqxx::work> tx;
    try {
      tx.emplace(*connection);
      SetCaller(*tx, caller);
      if constexpr (std::is_void_v<decltype(body(*tx))>) {
        body(*tx);
        tx->commit();
        return;
      } else {
        auto result = body(*tx);
        tx->commit();
        return result;
      }
    } catch (const pqxx::serialization_failure&) {
      if (attempt == 3) RethrowAsStorageError(&*connection);
    } catch (const pqxx::deadlock_detected&) {
      if (attempt == 3) RethrowAsStorageError(&*connection);
    } catch (...) {
      RethrowAsStorageError(&*connection);
    }
  }
}

// Runs `body(tx)` on a pooled connection without an explicit transaction: every statement
// commits on its own, in one round trip instead of four (BEGIN, the caller's settings, the
// statement, COMMIT). No caller settings are made, so only for tables without row-level
// security; the authentication and the audit line of every call go this way. Throws as
// InTransaction does.
template <class Body>
auto InAutocommit(Pool& pool, Body&& body) {
  Pool::Lease connection = pool.Acquire();
  std::optional<pqxx::nontransaction> tx;
  try {
    tx.emplace(*connection);
    return body(*tx);
  } catch (...) {
    RethrowAsStorageError(&*connection);
  }
}

}  // namespace sitrep::storage
