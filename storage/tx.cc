#include "storage/tx.h"

#include <pqxx/pqxx>

#include "storage/transaction.h"

namespace sitrep::storage {

void RunInTx(Pool& pool, const Principal& caller, const std::function<void(Tx&)>& body) {
  InTransaction(pool, caller, [&](pqxx::work& work) {
    Tx tx(work);
    body(tx);
  });
}

void SetCaller(Tx& tx, const Principal& caller) {
  SetCaller(static_cast<pqxx::work&>(tx.sql()), caller);
}

FailureKind ClassifyFailure(const std::exception_ptr& error) {
  // Both shapes: storage's own types (what InTransaction throws, storage/errors.h) and libpqxx's
  // (a statement failing inside a body, before the transaction runner translates it).
  try {
    std::rethrow_exception(error);
  } catch (const RefusedByDatabase&) {
    return FailureKind::kRefusedData;
  } catch (const Unavailable&) {
    return FailureKind::kOther;
  } catch (const CommitInDoubt&) {
    return FailureKind::kOther;
  } catch (const DatabaseError&) {
    return FailureKind::kStatement;
  } catch (const pqxx::data_exception&) {
    return FailureKind::kRefusedData;
  } catch (const pqxx::integrity_constraint_violation&) {
    return FailureKind::kRefusedData;
  } catch (const pqxx::broken_connection&) {
    return FailureKind::kOther;
  } catch (const pqxx::in_doubt_error&) {
    return FailureKind::kOther;
  } catch (const pqxx::sql_error&) {
    return FailureKind::kStatement;
  } catch (...) {
    return FailureKind::kOther;
  }
}

}  // namespace sitrep::storage
