#pragma once

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "collector/record_source.h"
#include "collector/reject_log.h"
#include "collector/spool.h"

namespace sitrep::collector {

// One input of a run, ready to open.
struct InputPlan {
  std::string key;   // checkpoint key in the spool; empty for stdin, which cannot resume
  std::string name;  // for messages
  std::optional<std::filesystem::path> file;  // to notice a file that shrank since last time
  // Opens the input positioned at `start`; may throw std::runtime_error.
  std::function<std::unique_ptr<RecordSource>(InputProgress start)> open;
};

// Reads inputs into the spool, chunk by chunk: every record passes PreflightCheck (failures go
// to the RejectLog as rejected by the collector), each chunk is committed with its input
// checkpoint (the last chunks of small inputs that follow each other are committed together,
// up to 1,000 records), and an input that an earlier run finished is skipped unless `reread`.
class Spooler final {
 public:
  struct Totals {
    uint64_t spooled = 0;
    uint64_t input_errors = 0;  // input items skipped (malformed lines, rows, documents)
    uint64_t warnings = 0;      // data dropped from records that were kept
    uint64_t rejected = 0;      // records kept back by PreflightCheck, items an importer rejected
    uint64_t full_waits = 0;    // commits that found the spool's disk full and were retried
  };

  // `report` receives each error, warning and note as one line, from Run's thread. `stop`
  // ends reading at the next chunk boundary (for stdin, the next line).
  Spooler(Spool& spool, RejectLog& rejects, std::function<void(const std::string&)> report,
          const std::atomic<bool>& stop, bool reread);

  // Reads every input in order. Returns an empty string, or the reason it could not go on
  // (the spool failed to write: I/O error, damaged spool). A full disk is no such reason: the
  // commit is retried with backoff (reported once) until acknowledgements or the operator make
  // room, or `stop` is set.
  [[nodiscard]] std::string Run(const std::vector<InputPlan>& inputs);

  // Thread-safe.
  [[nodiscard]] Totals totals() const;

 private:
  void Consume(const InputPlan& input, bool more_follow);
  void CommitPending();
  // Commits pending_, waiting out a full disk; false when `stop` ended the wait.
  [[nodiscard]] bool CommitWhenThereIsRoom();

  Spool& spool_;
  RejectLog& rejects_;
  const std::function<void(const std::string&)> report_;
  const std::atomic<bool>& stop_;
  const bool reread_;
  std::atomic<uint64_t> spooled_{0};
  std::atomic<uint64_t> input_errors_{0};
  std::atomic<uint64_t> warnings_{0};
  std::atomic<uint64_t> rejected_{0};
  std::atomic<uint64_t> full_waits_{0};
  // Checkpoints of finished small inputs whose records are appended but not yet committed:
  // committing them together saves a commit (three fsyncs) per file of a folder of CSAF files.
  std::vector<std::pair<std::string, InputProgress>> pending_;
  uint64_t pending_records_ = 0;
};

}  // namespace sitrep::collector
