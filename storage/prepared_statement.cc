#include "storage/prepared_statement.h"

#include <mutex>
#include <unordered_map>

namespace sitrep::storage {

pqxx::result ExecDynamic(pqxx::transaction_base& tx, const std::string& sql,
                         const std::vector<std::string>& params) {
  static std::mutex mu;
  static std::unordered_map<std::string, std::string> names;  // guarded by mu
  std::string name;
  {
    std::lock_guard lock(mu);
    auto found = names.find(sql);
    if (found == names.end() && names.size() < kMaxDynamicStatements) {
      found = names.emplace(sql, "dynamic_" + std::to_string(names.size())).first;
    }
    if (found != names.end()) name = found->second;
  }
  if (name.empty()) return tx.exec_params(sql, pqxx::prepare::make_dynamic_params(params));
  tx.conn().prepare(name, sql);  // only a lookup when the connection knows it already
  return tx.exec_prepared(name, pqxx::prepare::make_dynamic_params(params));
}

}  // namespace sitrep::storage
