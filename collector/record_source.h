#pragma once

#include <string>
#include <vector>

#include "collector/spool.h"
#include "sitrep/v1/records.pb.h"

namespace sitrep::collector {

// An input item the importer judged invalid on its own (a STIX object), for the reject log.
struct InputRejection {
  std::string key;      // the item's own id, e.g. the STIX id
  std::string field;    // the offending property's path, e.g. "objects[17].created"
  std::string reason;   // stable code, e.g. "INVALID_STIX"
  std::string message;  // one sentence naming the field
};

// One step of an input: the records it gave, the items it had to skip, and where to resume.
struct ImportChunk {
  std::vector<v1::Record> records;
  std::vector<std::string> errors;         // one "file:line: what" per skipped input item
  std::vector<std::string> warnings;       // "file:line: what" for data dropped from a kept record
  std::vector<InputRejection> rejections;  // skipped items that go to the reject log instead
  std::vector<std::string> notes;          // what an input held, for the operator
  InputProgress progress;                  // the input consumed through this chunk

  void Clear() {
    records.clear();
    errors.clear();
    warnings.clear();
    rejections.clear();
    notes.clear();
    progress = InputProgress{};
  }
};

// One input (a file, stdin, a generator) turned into records chunk by chunk, so the spool can
// commit each chunk with its checkpoint. Not thread-safe.
class RecordSource {
 public:
  virtual ~RecordSource() = default;

  // Replaces `chunk` with the next step of the input and returns true; the last chunk has
  // progress.complete set (unless the source was stopped early), and the call after it returns
  // false. Malformed input becomes
  // chunk.errors, never an exception; an input that cannot be read at all throws
  // std::runtime_error.
  [[nodiscard]] virtual bool Next(ImportChunk& chunk) = 0;
};

// Every record of `source`; its errors and warnings are appended to the lists given. For tests
// and small inputs.
[[nodiscard]] inline std::vector<v1::Record> ReadAllRecords(
    RecordSource& source, std::vector<std::string>& errors,
    std::vector<std::string>* warnings = nullptr) {
  std::vector<v1::Record> records;
  ImportChunk chunk;
  while (source.Next(chunk)) {
    for (v1::Record& record : chunk.records) records.push_back(std::move(record));
    errors.insert(errors.end(), chunk.errors.begin(), chunk.errors.end());
    if (warnings != nullptr) {
      warnings->insert(warnings->end(), chunk.warnings.begin(), chunk.warnings.end());
    }
  }
  return records;
}

}  // namespace sitrep::collector
