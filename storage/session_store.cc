#include "storage/session_store.h"

#include "storage/prepared_statement.h"
#include "storage/sql_types.h"
#include "storage/transaction.h"

namespace sitrep::storage {
void SessionStore::Create(std::string_view id_sha256, int64_t token_id,
                          std::string_view csrf_sha256,
                          std::chrono::system_clock::time_point expires_at) {
  InAutocommit(pool_, [&](pqxx::nontransaction& tx) {
    tx.exec_params(
        "INSERT INTO http_sessions (id_sha256, token_id, csrf_sha256, expires_at) "
        "VALUES (decode($1, 'hex'), $2, decode($3, 'hex'), sitrep_time($4))",
        std::string(id_sha256), token_id, std::string(csrf_sha256), ToMicros(expires_at));
    tx.exec0("DELETE FROM http_sessions WHERE expires_at < now() - interval '1 day'");
  });
}

std::optional<HttpSession> SessionStore::Find(std::string_view id_sha256,
                                              std::chrono::system_clock::time_point now) {
  if (!IsSha256Hex(id_sha256)) return std::nullopt;
  return InAutocommit(pool_, [&](pqxx::nontransaction& tx) -> std::optional<HttpSession> {
    const pqxx::result result =
        ExecPrepared(tx, "http_session_lookup",
                     "SELECT encode(t.secret_sha256, 'hex'), encode(s.csrf_sha256, 'hex'), "
                     "sitrep_micros(s.expires_at) "
                     "FROM http_sessions s JOIN tokens t ON t.id = s.token_id "
                     "WHERE s.id_sha256 = decode($1, 'hex') AND s.ended_at IS NULL "
                     "AND s.expires_at > sitrep_time($2)",
                     std::string(id_sha256), ToMicros(now));
    if (result.empty()) return std::nullopt;
    const pqxx::row row = result[0];
    return HttpSession{.token_sha256 = row[0].as<std::string>(),
                       .csrf_sha256 = row[1].as<std::string>(),
                       .expires_at = std::chrono::system_clock::time_point(
                           std::chrono::microseconds(row[2].as<int64_t>()))};
  });
}

bool SessionStore::End(std::string_view id_sha256, std::chrono::system_clock::time_point now) {
  if (!IsSha256Hex(id_sha256)) return false;
  return InAutocommit(pool_, [&](pqxx::nontransaction& tx) {
    return tx.exec_params(
                 "UPDATE http_sessions SET ended_at = sitrep_time($2) "
                 "WHERE id_sha256 = decode($1, 'hex') AND ended_at IS NULL",
                 std::string(id_sha256), ToMicros(now))
               .affected_rows() > 0;
  });
}

}  // namespace sitrep::storage
