#include "storage/bulk_copy.h"

// libpqxx 6.4's stream_to keeps write_raw_line private and escapes by itself through
// to_string; tablewriter is marked deprecated but is the one public way to send lines we have
// already encoded (copy_text.h escapes exactly what COPY's text format needs, which is safe
// for UTF-8: no continuation byte is ASCII).
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
#include <pqxx/tablewriter>

namespace sitrep::storage {

BulkCopy::BulkCopy(pqxx::work& tx, const std::string& table, const std::string& definition) {
  // The NOTICE that IF NOT EXISTS raises for an existing table would reach libpqxx's default
  // notice handler (stderr) on every batch.
  tx.exec("SET LOCAL client_min_messages = warning");
  tx.exec("CREATE TEMPORARY TABLE IF NOT EXISTS " + table + " " + definition +
          " ON COMMIT DELETE ROWS");
  writer_ = std::make_unique<pqxx::tablewriter>(tx, table);
}

BulkCopy::~BulkCopy() = default;

void BulkCopy::Write(const std::string& line) { writer_->write_raw_line(line); }

void BulkCopy::Finish() { writer_->complete(); }

}  // namespace sitrep::storage

#pragma GCC diagnostic pop
