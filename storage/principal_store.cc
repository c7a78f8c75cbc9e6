#include "storage/principal_store.h"

#include <algorithm>

#include "storage/prepared_statement.h"
#include "storage/sql_types.h"
#include "storage/transaction.h"

namespace sitrep::storage {
namespace {

// An ENTERPRISE principal's province is its enterprise's (principals_role_binding in
// schema/02_registry.sql), hence the join.
constexpr const char* kPrincipalColumns =
    "p.id, p.name, p.role, coalesce(p.province, e.province, 0), coalesce(p.enterprise_id, 0), "
    "p.description, sitrep_micros(p.created_at)";
constexpr const char* kPrincipalFrom =
    " FROM principals p LEFT JOIN enterprises e ON e.id = p.enterprise_id ";

constexpr const char* kTokenColumns =
    "id, principal_id, description, sitrep_micros(created_at), sitrep_micros(expires_at), "
    "sitrep_micros(revoked_at)";

// Serialises BootstrapAdmin across servers sharing the database ("sitrep" then 2).
constexpr int64_t kBootstrapLockKey = 0x7369747265700002;

v1::Principal PrincipalFromRow(const pqxx::row& row) {
  v1::Principal principal;
  principal.set_id(row[0].as<int64_t>());
  principal.set_name(row[1].as<std::string>());
  principal.set_role(EnumFromText<v1::Role>(row[2].as<std::string>()));
  principal.set_province(row[3].as<uint32_t>());
  principal.set_enterprise_id(row[4].as<int64_t>());
  principal.set_description(row[5].as<std::string>());
  *principal.mutable_create_time() = TimestampFromMicros(row[6]);
  return principal;
}

v1::Token TokenFromRow(const pqxx::row& row) {
  v1::Token token;
  token.set_id(row[0].as<int64_t>());
  token.set_principal_id(row[1].as<int64_t>());
  token.set_description(row[2].as<std::string>());
  *token.mutable_create_time() = TimestampFromMicros(row[3]);
  if (!row[4].is_null()) *token.mutable_expire_time() = TimestampFromMicros(row[4]);
  if (!row[5].is_null()) *token.mutable_revoke_time() = TimestampFromMicros(row[5]);
  return token;
}

std::optional<int64_t> NonZero(int64_t value) {
  return value == 0 ? std::nullopt : std::optional<int64_t>(value);
}

}  // namespace

CreatePrincipalResult PrincipalStore::Create(const Principal& caller,
                                             const v1::Principal& principal,
                                             v1::Principal& created) {
  const bool is_enterprise = principal.role() == v1::ROLE_ENTERPRISE;
  // The enterprise's province is not copied (see kPrincipalColumns), so none is stored.
  const std::optional<int64_t> province =
      is_enterprise ? std::nullopt : NonZero(principal.province());
  const std::optional<int64_t> enterprise_id = NonZero(principal.enterprise_id());
  return InTransaction(pool_, caller, [&](pqxx::work& tx) {
    if (enterprise_id &&
        tx.exec_params("SELECT 1 FROM enterprises WHERE id = $1", *enterprise_id).empty()) {
      return CreatePrincipalResult::kNoSuchEnterprise;  // enterprises are never deleted
    }
    const pqxx::result result = tx.exec_params(
        std::string("WITH p AS (INSERT INTO principals (name, role, province, enterprise_id, "
                    "description) VALUES ($1, $2, $3, $4, $5) "
                    "ON CONFLICT (name) DO NOTHING RETURNING *) SELECT ") +
            kPrincipalColumns + " FROM p LEFT JOIN enterprises e ON e.id = p.enterprise_id",
        principal.name(), EnumText(principal.role()), province, enterprise_id,
        principal.description());
    if (result.empty()) return CreatePrincipalResult::kNameTaken;
    created = PrincipalFromRow(result[0]);
    return CreatePrincipalResult::kCreated;
  });
}

std::optional<v1::Principal> PrincipalStore::Get(const Principal& caller, int64_t id) {
  return InTransaction(pool_, caller, [&](pqxx::work& tx) -> std::optional<v1::Principal> {
    const pqxx::result result = tx.exec_params(
        std::string("SELECT ") + kPrincipalColumns + kPrincipalFrom + "WHERE p.id = $1", id);
    if (result.empty()) return std::nullopt;
    return PrincipalFromRow(result[0]);
  });
}

Page<v1::Principal> PrincipalStore::List(const Principal& caller, const PrincipalQuery& query) {
  const int limit = std::max(query.limit, 1);
  const std::string role = query.role == v1::ROLE_UNSPECIFIED ? "" : EnumText(query.role);
  return InTransaction(pool_, caller, [&](pqxx::work& tx) {
    // One row beyond the page tells whether another page follows.
    const pqxx::result result =
        tx.exec_params(std::string("SELECT ") + kPrincipalColumns + kPrincipalFrom +
                           "WHERE ($1 = '' OR p.role = $1) AND p.id > $2 ORDER BY p.id LIMIT $3",
                       role, query.after_id, limit + 1);
    Page<v1::Principal> page;
    for (const pqxx::row& row : result) {
      if (static_cast<int>(page.items.size()) == limit) {
        page.last_key = page.items.back().id();
        break;
      }
      page.items.push_back(PrincipalFromRow(row));
    }
    return page;
  });
}

std::optional<v1::Token> PrincipalStore::InsertToken(
    const Principal& caller, int64_t principal_id, std::string_view secret_sha256_hex,
    const std::string& description, std::optional<google::protobuf::Timestamp> expire_time) {
  std::optional<int64_t> expire_micros;
  if (expire_time) expire_micros = ToMicros(*expire_time);
  return InTransaction(pool_, caller, [&](pqxx::work& tx) -> std::optional<v1::Token> {
    const pqxx::result result = tx.exec_params(
        std::string("INSERT INTO tokens (principal_id, secret_sha256, description, expires_at) "
                    "SELECT $1, decode($2, 'hex'), $3, sitrep_time($4) "
                    "WHERE EXISTS (SELECT 1 FROM principals WHERE id = $1) RETURNING ") +
            kTokenColumns,
        principal_id, std::string(secret_sha256_hex), description, expire_micros);
    if (result.empty()) return std::nullopt;
    return TokenFromRow(result[0]);
  });
}

Page<v1::Token> PrincipalStore::ListTokens(const Principal& caller, const TokenQuery& query) {
  const int limit = std::max(query.limit, 1);
  return InTransaction(pool_, caller, [&](pqxx::work& tx) {
    const pqxx::result result =
        tx.exec_params(std::string("SELECT ") + kTokenColumns +
                           " FROM tokens WHERE ($1::bigint = 0 OR principal_id = $1) AND id > $2 "
                           "ORDER BY id LIMIT $3",
                       query.principal_id, query.after_id, limit + 1);
    Page<v1::Token> page;
    for (const pqxx::row& row : result) {
      if (static_cast<int>(page.items.size()) == limit) {
        page.last_key = page.items.back().id();
        break;
      }
      page.items.push_back(TokenFromRow(row));
    }
    return page;
  });
}

std::optional<v1::Token> PrincipalStore::RevokeToken(const Principal& caller, int64_t token_id) {
  return InTransaction(pool_, caller, [&](pqxx::work& tx) -> std::optional<v1::Token> {
    const pqxx::result result = tx.exec_params(
        std::string("UPDATE tokens SET revoked_at = coalesce(revoked_at, now()) WHERE id = $1 "
                    "RETURNING ") +
            kTokenColumns,
        token_id);
    if (result.empty()) return std::nullopt;
    return TokenFromRow(result[0]);
  });
}

TokenLookup PrincipalStore::FindByTokenHash(std::string_view secret_sha256_hex,
                                            std::chrono::system_clock::time_point now) {
  // Whatever a client sends as a bearer token ends up here: text that cannot be a hash is
  // simply unknown, not a SQL error.
  if (!IsSha256Hex(secret_sha256_hex)) return {};
  return InAutocommit(pool_, [&](pqxx::nontransaction& tx) {
    // Prepared: planning this three-table join was ~0.4 ms of every call.
    const pqxx::result result =
        ExecPrepared(tx, "token_lookup",
                     "SELECT t.revoked_at IS NOT NULL, "
                     "t.expires_at IS NOT NULL AND t.expires_at <= sitrep_time($2), "
                     "p.id, p.name, p.role, coalesce(p.province, e.province, 0), "
                     "coalesce(p.enterprise_id, 0), coalesce(e.sector, ''), t.id, "
                     "sitrep_micros(t.expires_at) "
                     "FROM tokens t JOIN principals p ON p.id = t.principal_id "
                     "LEFT JOIN enterprises e ON e.id = p.enterprise_id "
                     "WHERE t.secret_sha256 = decode($1, 'hex')",
                     std::string(secret_sha256_hex), ToMicros(now));
    TokenLookup lookup;
    if (result.empty()) return lookup;
    const pqxx::row row = result[0];
    if (row[0].as<bool>()) {
      lookup.state = TokenState::kRevoked;
    } else if (row[1].as<bool>()) {
      lookup.state = TokenState::kExpired;
    } else {
      lookup.state = TokenState::kValid;
      lookup.principal.id = row[2].as<int64_t>();
      lookup.principal.name = row[3].as<std::string>();
      lookup.principal.role = EnumFromText<v1::Role>(row[4].as<std::string>());
      lookup.principal.province = row[5].as<uint32_t>();
      lookup.principal.enterprise_id = row[6].as<int64_t>();
      // Only an ENTERPRISE principal has a sector (its enterprise's): SECTOR sharing.
      lookup.principal.sector = row[7].as<std::string>();
      lookup.token_id = row[8].as<int64_t>();
      lookup.principal.token_id = lookup.token_id;
      if (!row[9].is_null()) {
        lookup.expires_at =
            std::chrono::system_clock::time_point(std::chrono::microseconds(row[9].as<int64_t>()));
      }
    }
    return lookup;
  });
}

bool PrincipalStore::BootstrapAdmin(const std::string& name, std::string_view secret_sha256_hex) {
  return InTransaction(pool_, Principal{}, [&](pqxx::work& tx) {
    // Two servers starting at once: the second waits here, then sees the first one's admin.
    tx.exec_params("SELECT pg_advisory_xact_lock($1)", kBootstrapLockKey);
    if (!tx.exec("SELECT 1 FROM principals WHERE role = 'ADMIN' LIMIT 1").empty()) return false;
    // A non-admin principal already holding `name` is a configuration conflict, not a race:
    // the unique violation propagates.
    tx.exec_params(
        "WITH p AS (INSERT INTO principals (name, role, description) "
        "VALUES ($1, 'ADMIN', 'created at first start') RETURNING id) "
        "INSERT INTO tokens (principal_id, secret_sha256, description) "
        "SELECT id, decode($2, 'hex'), 'bootstrap token' FROM p",
        name, std::string(secret_sha256_hex));
    return true;
  });
}

}  // namespace sitrep::storage
