#include "storage/enterprise_store.h"

#include <algorithm>

#include "storage/sql_types.h"
#include "storage/transaction.h"
#include "storage/tx_work.h"

namespace sitrep::storage {
namespace {

constexpr const char* kColumns =
    "id, credit_code, name, province, sector, type, size, grade, key_enterprise, cii_operator, "
    "sitrep_micros(created_at), sitrep_micros(updated_at)";

// Advisory-lock namespace of credit codes (the two-key form: namespace, hashtext(code)).
constexpr int kCreditCodeLock = 0x73697401;

v1::Enterprise EnterpriseFromRow(const pqxx::row& row) {
  v1::Enterprise enterprise;
  enterprise.set_id(row[0].as<int64_t>());
  enterprise.set_credit_code(row[1].as<std::string>());
  enterprise.set_name(row[2].as<std::string>());
  enterprise.set_province(row[3].as<uint32_t>());
  enterprise.set_sector(row[4].as<std::string>());
  enterprise.set_type(EnumFromText<v1::EnterpriseType>(row[5].as<std::string>()));
  enterprise.set_size(EnumFromText<v1::EnterpriseSize>(row[6].as<std::string>()));
  enterprise.set_grade(row[7].as<uint32_t>());
  enterprise.set_key_enterprise(row[8].as<bool>());
  enterprise.set_cii_operator(row[9].as<bool>());
  *enterprise.mutable_create_time() = TimestampFromMicros(row[10]);
  *enterprise.mutable_update_time() = TimestampFromMicros(row[11]);
  return enterprise;
}

// Serialises writers of one credit code for the rest of the transaction, so that Update's
// "is this code free?" check and Create's insert cannot interleave.
void LockCreditCode(pqxx::work& tx, const std::string& credit_code) {
  tx.exec_params("SELECT pg_advisory_xact_lock($1, hashtext($2))", kCreditCodeLock, credit_code);
}

}  // namespace

std::optional<v1::Enterprise> EnterpriseStore::Create(const Principal& caller,
                                                      const v1::Enterprise& enterprise) {
  return InTransaction(pool_, caller, [&](pqxx::work& tx) -> std::optional<v1::Enterprise> {
    LockCreditCode(tx, enterprise.credit_code());
    const pqxx::result result = tx.exec_params(
        std::string("INSERT INTO enterprises (credit_code, name, province, sector, type, size, "
                    "grade, key_enterprise, cii_operator) "
                    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) "
                    "ON CONFLICT (credit_code) DO NOTHING RETURNING ") +
            kColumns,
        enterprise.credit_code(), enterprise.name(), enterprise.province(), enterprise.sector(),
        EnumText(enterprise.type()), EnumText(enterprise.size()), enterprise.grade(),
        enterprise.key_enterprise(), enterprise.cii_operator());
    if (result.empty()) return std::nullopt;
    return EnterpriseFromRow(result[0]);
  });
}

std::optional<v1::Enterprise> EnterpriseStore::Get(const Principal& caller, int64_t id) {
  return InTransaction(pool_, caller, [&](pqxx::work& tx) -> std::optional<v1::Enterprise> {
    const pqxx::result result =
        tx.exec_params(std::string("SELECT ") + kColumns + " FROM enterprises WHERE id = $1", id);
    if (result.empty()) return std::nullopt;
    return EnterpriseFromRow(result[0]);
  });
}

Page<v1::Enterprise> EnterpriseStore::List(const Principal& caller, const EnterpriseQuery& query) {
  const int limit = std::max(query.limit, 1);
  return InTransaction(pool_, caller, [&](pqxx::work& tx) {
    // One row beyond the page tells whether another page follows.
    const pqxx::result result = tx.exec_params(
        std::string("SELECT ") + kColumns +
            " FROM enterprises WHERE ($1 = 0 OR province = $1) AND ($2 = '' OR sector = $2) "
            "AND id > $3 ORDER BY id LIMIT $4",
        query.province, query.sector, query.after_id, limit + 1);
    Page<v1::Enterprise> page;
    for (const pqxx::row& row : result) {
      if (static_cast<int>(page.items.size()) == limit) {
        page.last_key = page.items.back().id();
        break;
      }
      page.items.push_back(EnterpriseFromRow(row));
    }
    return page;
  });
}

UpdateEnterpriseResult EnterpriseStore::Update(const Principal& caller,
                                               const v1::Enterprise& enterprise,
                                               v1::Enterprise& updated) {
  return InTransaction(pool_, caller, [&](pqxx::work& tx) {
    LockCreditCode(tx, enterprise.credit_code());
    const pqxx::result result = tx.exec_params(
        std::string("UPDATE enterprises SET credit_code = $2, name = $3, province = $4, "
                    "sector = $5, type = $6, size = $7, grade = $8, key_enterprise = $9, "
                    "cii_operator = $10, updated_at = now() "
                    "WHERE id = $1 AND NOT EXISTS (SELECT 1 FROM enterprises other "
                    "WHERE other.credit_code = $2 AND other.id <> $1) RETURNING ") +
            kColumns,
        enterprise.id(), enterprise.credit_code(), enterprise.name(), enterprise.province(),
        enterprise.sector(), EnumText(enterprise.type()), EnumText(enterprise.size()),
        enterprise.grade(), enterprise.key_enterprise(), enterprise.cii_operator());
    if (!result.empty()) {
      updated = EnterpriseFromRow(result[0]);
      return UpdateEnterpriseResult::kUpdated;
    }
    return tx.exec_params("SELECT 1 FROM enterprises WHERE id = $1", enterprise.id()).empty()
               ? UpdateEnterpriseResult::kNotFound
               : UpdateEnterpriseResult::kCreditCodeTaken;
  });
}

std::unordered_map<int64_t, EnterpriseFacts> FindEnterpriseFacts(Tx& handle,
                                                                 const std::vector<int64_t>& ids) {
  pqxx::work& tx = Work(handle);
  std::unordered_map<int64_t, EnterpriseFacts> facts;
  if (ids.empty()) return facts;
  std::string list = "{";
  for (size_t i = 0; i < ids.size(); ++i) list += (i > 0 ? "," : "") + std::to_string(ids[i]);
  list += "}";
  for (const pqxx::row& row : tx.exec_params(
           "SELECT id, province, sector, grade FROM enterprises WHERE id = ANY($1::bigint[])",
           list)) {
    facts[row[0].as<int64_t>()] = {row[1].as<uint32_t>(), row[2].as<std::string>(),
                                   row[3].as<uint32_t>()};
  }
  return facts;
}

}  // namespace sitrep::storage
