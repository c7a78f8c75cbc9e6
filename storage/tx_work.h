#pragma once

#include <pqxx/pqxx>

#include "storage/tx.h"

namespace sitrep::storage {

// The libpqxx transaction under `tx`; internal to storage/. InTransaction only ever wraps a
// pqxx::work, so the downcast is exact.
inline pqxx::work& Work(Tx& tx) { return static_cast<pqxx::work&>(tx.sql()); }

}  // namespace sitrep::storage
