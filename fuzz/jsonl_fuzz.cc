// The collector's JSON-lines importer (collector/jsonl_importer, over line_reader): the bytes
// of an input file read line by line through a memory file, each line parsed as a
// sitrep.v1.Record in proto JSON, and each record put through the collector's preflight and
// the server's checks.

#include <sys/mman.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>

#include "collector/jsonl_importer.h"
#include "collector/record_preflight.h"
#include "fuzz/fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  sitrep::fuzz::QuietProtobuf();
  using namespace sitrep;
  const int fd = memfd_create("fuzz.jsonl", 0);
  if (fd < 0) fuzz::Fail("memfd_create failed");
  if (size > 0 && write(fd, data, size) != static_cast<ssize_t>(size)) {
    fuzz::Fail("writing the memory file failed");
  }
  if (lseek(fd, 0, SEEK_SET) != 0) fuzz::Fail("lseek failed");
  collector::JsonlSource source("fuzz.jsonl", fd, true, collector::InputProgress{}, nullptr);
  collector::ImportChunk chunk;
  while (source.Next(chunk)) {
    for (const v1::Record& record : chunk.records) {
      (void)collector::PreflightCheck(record);
      fuzz::CheckRecord(record);
    }
  }
  return 0;
}
