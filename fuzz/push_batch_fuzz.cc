// Push (SPEC §4 IngestService): the bytes of one streamed message, parsed as the server parses
// them (a sitrep.v1.PushBatch), then the batch-size check and every record's field and
// permission checks (ingest::PrepareBatch, what PushReactor runs).

#include <cstddef>
#include <cstdint>

#include "fuzz/fuzz_support.h"
#include "ingest/batch_preparer.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  sitrep::fuzz::QuietProtobuf();
  using namespace sitrep;
  ingest::ArenaBatch parsed;
  if (!parsed.batch->ParseFromArray(data, static_cast<int>(size))) return 0;
  if (!ingest::CheckBatchSize(*parsed.batch).empty()) return 0;
  const size_t records =
      static_cast<size_t>(parsed.batch->incidents_size() + parsed.batch->assets_size());
  // The sequence number picks the caller, so one corpus covers every kind of writer.
  const Principal caller = fuzz::Caller(parsed.batch->sequence());
  const ingest::PreparedBatch prepared =
      ingest::PrepareBatch(caller, std::move(parsed), fuzz::Codes(), fuzz::kNow);
  // Every record is either accepted or rejected, never lost or counted twice.
  if (prepared.incidents.size() + prepared.assets.size() + prepared.rejections.size() != records) {
    fuzz::Fail("PrepareBatch lost or duplicated a record");
  }
  for (const v1::Rejection& rejection : prepared.rejections) {
    if (rejection.field().empty() && rejection.reason() != "PERMISSION_DENIED") {
      fuzz::Fail("a rejection names no field");
    }
    if (rejection.reason().empty() || rejection.message().empty()) {
      fuzz::Fail("a rejection without reason or message");
    }
  }
  return 0;
}
