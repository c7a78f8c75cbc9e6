#include "storage/transaction.h"

#include <string>

#include "storage/sql_types.h"

namespace sitrep::storage {

void SetCaller(pqxx::work& tx, const Principal& caller) {
  // One round trip; `true` makes each setting local to this transaction (SET LOCAL), so a
  // pooled connection never carries one caller's identity into the next transaction.
  // The same statement re-checks the caller's token and binding, which may have changed behind
  // the server's back since it authenticated the call (a 28000 error: CredentialEnded).
  tx.exec_params(
      "SELECT set_config('sitrep.principal_id', $1, true), set_config('sitrep.role', $2, true), "
      "set_config('sitrep.province', $3, true), set_config('sitrep.enterprise_id', $4, true), "
      "set_config('sitrep.sector', $5, true), "
      "sitrep_check_credential($6, $1::bigint, $2, $3::integer, $4::bigint, $5)",
      std::to_string(caller.id), EnumText(caller.role), std::to_string(caller.province),
      std::to_string(caller.enterprise_id), caller.sector, caller.token_id);
}

}  // namespace sitrep::storage
