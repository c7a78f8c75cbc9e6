#pragma once

#include <cstdint>
#include <string>

namespace sitrep::storage {

// The single integer `sql` returns, run on `database_url` as the role the URL names (for the
// throwaway test clusters, the owner, past row-level security). For tests that check what is
// really stored where no API reports it (crash recovery, audit rows), and for nothing that
// serves a client. Throws what libpq throws.
[[nodiscard]] int64_t QueryIntAsOwner(const std::string& database_url, const std::string& sql);

// PostgreSQL dropping connections, for failure tests: terminates every other backend whose
// active statement matches the LIKE pattern `query_like`; returns how many it terminated.
int TerminateActiveBackends(const std::string& database_url, const std::string& query_like);

}  // namespace sitrep::storage
