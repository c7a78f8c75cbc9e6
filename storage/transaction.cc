#include "storage/transaction.h"

#include <string>

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

}  // namespace sitrep::storage
