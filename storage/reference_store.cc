#include "storage/reference_store.h"

#include "storage/transaction.h"

namespace sitrep::storage {

ReferenceCodes LoadReferenceCodes(Pool& pool) {
  return InTransaction(pool, Principal{}, [](pqxx::work& tx) {
    ReferenceCodes codes;
    for (const pqxx::row& row : tx.exec("SELECT code, name_zh, name_en FROM provinces")) {
      v1::Province& province = codes.provinces[row[0].as<uint32_t>()];
      province.set_code(row[0].as<uint32_t>());
      province.set_name_zh(row[1].as<std::string>());
      province.set_name_en(row[2].as<std::string>());
    }
    for (const pqxx::row& row : tx.exec("SELECT code, name_zh, name_en, key_sector FROM sectors")) {
      v1::Sector& sector = codes.sectors[row[0].as<std::string>()];
      sector.set_code(row[0].as<std::string>());
      sector.set_name_zh(row[1].as<std::string>());
      sector.set_name_en(row[2].as<std::string>());
      sector.set_key_sector(row[3].as<bool>());
    }
    return codes;
  });
}

}  // namespace sitrep::storage
