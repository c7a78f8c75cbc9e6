#include "storage/database_probe.h"

#include <pqxx/pqxx>
#include <utility>

namespace sitrep::storage {

struct DatabaseProbe::Connection {
  explicit Connection(const std::string& url) : sql(url) {}
  pqxx::connection sql;
};

DatabaseProbe::DatabaseProbe(std::string url) : url_(std::move(url)) {}

DatabaseProbe::~DatabaseProbe() = default;

bool DatabaseProbe::Reachable(std::string* error) {
  try {
    if (!connection_ || !connection_->sql.is_open()) {
      connection_ = std::make_unique<Connection>(url_);
    }
    pqxx::nontransaction probe(connection_->sql);
    probe.exec("SELECT 1");
    return true;
  } catch (const std::exception& failure) {
    connection_.reset();
    *error = failure.what();
    return false;
  }
}

}  // namespace sitrep::storage
