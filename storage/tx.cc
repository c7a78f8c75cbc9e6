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
  try {
    std::rethrow_exception(error);
  } catch (const pqxx::data_exception&) {
    return FailureKind::kRefusedData;
  } catch (const pqxx::integrity_constraint_violation&) {
    return FailureKind::kRefusedData;
  } catch (const pqxx::broken_connection&) {
    return FailureKind::kOther;
  } catch (const pqxx::sql_error&) {
    return FailureKind::kStatement;
  } catch (...) {
    return FailureKind::kOther;
  }
}

}  // namespace sitrep::storage
