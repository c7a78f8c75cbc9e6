#pragma once

#include <memory>
#include <pqxx/pqxx>
#include <string>

namespace pqxx {
class tablewriter;
}

namespace sitrep::storage {

// COPY … FROM STDIN of text-format lines (storage/copy_text.h) into a per-connection
// temporary staging table that empties at commit; internal to storage/. Creates the table on
// the connection's first use. Write() every line, then Finish() before the next statement.
class BulkCopy final {
 public:
  // `definition` is the column list of CREATE TABLE, e.g. "(ord integer, title text)".
  BulkCopy(pqxx::work& tx, const std::string& table, const std::string& definition);
  ~BulkCopy();

  void Write(const std::string& line);
  void Finish();

 private:
  std::unique_ptr<pqxx::tablewriter> writer_;
};

}  // namespace sitrep::storage
