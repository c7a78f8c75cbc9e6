#pragma once

#include <memory>
#include <pqxx/pqxx>
#include <string>

#include "storage/copy_text.h"

namespace pqxx {
class tablewriter;
}

namespace sitrep::storage {

// COPY … FROM STDIN of text-format rows (storage/copy_text.h) into a per-connection
// temporary staging table that empties at commit; internal to storage/. Creates the table on
// the connection's first use. Fill a Row() per record, then Finish() before the next
// statement: the rows travel as one buffer, in one message to PostgreSQL.
class BulkCopy final {
 public:
  // `definition` is the column list of CREATE TABLE, e.g. "(ord integer, title text)".
  BulkCopy(pqxx::work& tx, const std::string& table, const std::string& definition);
  ~BulkCopy();

  // A new row at the end of the buffer; fill it before asking for the next.
  [[nodiscard]] CopyRow Row();
  void Finish();

 private:
  std::unique_ptr<pqxx::tablewriter> writer_;
  std::string rows_;
};

}  // namespace sitrep::storage
