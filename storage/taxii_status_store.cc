#include "storage/taxii_status_store.h"

#include <cctype>

#include "storage/copy_text.h"
#include "storage/transaction.h"

namespace sitrep::storage {
namespace {

bool IsUuid(std::string_view text) {
  if (text.size() != 36) return false;
  for (size_t i = 0; i < text.size(); ++i) {
    const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? text[i] != '-' : std::isxdigit(static_cast<unsigned char>(text[i])) == 0) {
      return false;
    }
  }
  return true;
}

}  // namespace

void TaxiiStatusStore::Save(std::string_view id, int64_t principal_id,
                            std::string_view resource_json) {
  InAutocommit(pool_, [&](pqxx::nontransaction& tx) {
    tx.exec_params(
        "INSERT INTO taxii_statuses (id, principal_id, resource) VALUES ($1::uuid, $2, $3::jsonb) "
        "ON CONFLICT (id) DO NOTHING",
        std::string(id), principal_id, std::string(resource_json));
    tx.exec0("DELETE FROM taxii_statuses WHERE created_at < now() - interval '30 days'");
  });
}

std::optional<std::string> TaxiiStatusStore::Find(std::string_view id, int64_t principal_id) {
  if (!IsUuid(id)) return std::nullopt;
  return InAutocommit(pool_, [&](pqxx::nontransaction& tx) -> std::optional<std::string> {
    const pqxx::result result = tx.exec_params(
        "SELECT resource::text FROM taxii_statuses WHERE id = $1::uuid AND principal_id = $2",
        std::string(id), principal_id);
    if (result.empty()) return std::nullopt;
    return result[0][0].as<std::string>();
  });
}

std::map<std::string, StoredStixVersion> TaxiiStatusStore::StixVersions(
    const Principal& poster, const std::vector<std::string>& external_ids) {
  std::map<std::string, StoredStixVersion> found;
  if (external_ids.empty()) return found;
  google::protobuf::RepeatedPtrField<std::string> keys(external_ids.begin(), external_ids.end());
  return InTransaction(pool_, poster, [&](pqxx::work& tx) {
    // (reporter_id, external_id) is unique: one row per key at most.
    const pqxx::result result = tx.exec_params(
        "SELECT external_id, id, coalesce(attributes->>'stix_modified', '') FROM incidents "
        "WHERE reporter_id = $1 AND external_id = ANY($2::text[])",
        poster.id, ArrayLiteral(keys));
    for (const pqxx::row& row : result) {
      found[row[0].as<std::string>()] =
          StoredStixVersion{row[1].as<int64_t>(), row[2].as<std::string>()};
    }
    return found;
  });
}

}  // namespace sitrep::storage
