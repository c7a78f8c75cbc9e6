#include "storage/bulk_copy.h"

// libpqxx 6.4's stream_to keeps write_raw_line private and escapes by itself through
// to_string; tablewriter is marked deprecated but is the one public way to send lines we have
// already encoded (copy_text.h escapes exactly what COPY's text format needs, which is safe
// for UTF-8: no continuation byte is ASCII).
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
#include <pqxx/tablewriter>

namespace sitrep::storage {

// Rows go out in pieces of about this size: one buffer, reused while it is still in the CPU's
// cache, instead of a batch-sized one that costs page faults and cache misses to fill.
constexpr size_t kPieceBytes = 64 << 10;

BulkCopy::BulkCopy(pqxx::work& tx, const std::string& table, const std::string& definition) {
  rows_.reserve(kPieceBytes + (16 << 10));
  // The NOTICE that IF NOT EXISTS raises for an existing table would reach libpqxx's default
  // notice handler (stderr) on every batch.
  tx.exec("SET LOCAL client_min_messages = warning");
  tx.exec("CREATE TEMPORARY TABLE IF NOT EXISTS " + table + " " + definition +
          " ON COMMIT DELETE ROWS");
  writer_ = std::make_unique<pqxx::tablewriter>(tx, table);
}

BulkCopy::~BulkCopy() = default;

CopyRow BulkCopy::Row() {
  if (rows_.size() >= kPieceBytes) {
    writer_->write_raw_line(rows_);
    rows_.clear();
  }
  if (!rows_.empty()) rows_ += '\n';
  return CopyRow(rows_);
}

// write_raw_line adds the last line end itself.
void BulkCopy::Finish() {
  if (!rows_.empty()) writer_->write_raw_line(rows_);
  writer_->complete();
}

}  // namespace sitrep::storage

#pragma GCC diagnostic pop
