#include "collector/spooler.h"

#include <algorithm>
#include <system_error>
#include <thread>

#include "collector/record_preflight.h"

namespace sitrep::collector {
namespace {

constexpr uint64_t kGroupCommitRecords = 1000;
// A full disk is retried from this delay, doubling up to the maximum; the wait is cut into
// steps so that a stop request ends it quickly.
constexpr std::chrono::milliseconds kFirstFullRetry{100};
constexpr std::chrono::milliseconds kMaxFullRetry{5'000};
constexpr std::chrono::milliseconds kStopCheck{50};

}  // namespace

Spooler::Spooler(Spool& spool, RejectLog& rejects, std::function<void(const std::string&)> report,
                 const std::atomic<bool>& stop, bool reread)
    : spool_(spool), rejects_(rejects), report_(std::move(report)), stop_(stop), reread_(reread) {}

Spooler::Totals Spooler::totals() const {
  return {spooled_.load(), input_errors_.load(), warnings_.load(), rejected_.load(),
          full_waits_.load()};
}

std::string Spooler::Run(const std::vector<InputPlan>& inputs) {
  try {
    for (size_t i = 0; i < inputs.size() && !stop_; ++i) {
      Consume(inputs[i], /*more_follow=*/i + 1 < inputs.size());
    }
    CommitPending();
  } catch (const SpoolError& error) {
    return error.what();
  } catch (const std::system_error& error) {
    return error.what();
  }
  return std::string();
}

void Spooler::Consume(const InputPlan& input, bool more_follow) {
  InputProgress start;
  if (!input.key.empty() && !reread_) {
    start = spool_.ProgressOf(input.key).value_or(InputProgress{});
  }
  if (start.complete) {
    report_("note: " + input.name + " was spooled completely by an earlier run; skipped " +
            "(--reread reads it again)");
    return;
  }
  if (input.file && start.offset > 0) {
    std::error_code error;
    const uintmax_t size = std::filesystem::file_size(*input.file, error);
    if (!error && size < start.offset) {
      report_("note: " + input.name + " is shorter than when it was last read; reading it " +
              "from the start");
      start = InputProgress{};
    } else {
      report_("note: " + input.name + " continues at line " + std::to_string(start.line + 1) +
              ", where an earlier run stopped");
    }
  }
  std::unique_ptr<RecordSource> source;
  try {
    source = input.open(start);
  } catch (const std::runtime_error& error) {
    ++input_errors_;
    report_(error.what());
    return;
  }
  ImportChunk chunk;
  std::string bytes;
  while (!stop_) {
    try {
      if (!source->Next(chunk)) break;
    } catch (const std::runtime_error& error) {  // an input that stopped being readable
      ++input_errors_;
      report_(input.name + ": " + error.what());
      break;
    }
    for (const v1::Record& record : chunk.records) {
      if (const std::optional<LocalRejection> rejection = PreflightCheck(record)) {
        ++rejected_;
        // A CSAF document's record carries no key of its own: its file names it.
        const std::string key = record.has_incident() ? record.incident().external_id()
                                : record.has_asset()  ? record.asset().asset_key()
                                : record.advisory().tracking_id().empty()
                                    ? input.name
                                    : record.advisory().tracking_id();
        rejects_.Write("collector", key, record, rejection->field, rejection->reason,
                       rejection->message);
        // Each advisory's verdict is worth a line: there are hundreds, not millions.
        if (record.has_advisory()) {
          report_(key + ": rejected: " + rejection->message);
        }
        continue;
      }
      bytes.clear();
      record.SerializeToString(&bytes);
      spool_.Append(bytes);
      ++spooled_;
    }
    for (const InputRejection& rejection : chunk.rejections) {
      ++rejected_;
      rejects_.Write("collector", rejection.key, v1::Record(), rejection.field, rejection.reason,
                     rejection.message);
    }
    for (const std::string& note : chunk.notes) report_("note: " + note);
    for (const std::string& error : chunk.errors) report_(error);
    for (const std::string& warning : chunk.warnings) report_("warning: " + warning);
    input_errors_ += chunk.errors.size();
    warnings_ += chunk.warnings.size();
    if (!input.key.empty()) pending_.emplace_back(input.key, chunk.progress);
    pending_records_ += chunk.records.size();
    // Only the end of an input waits for company; a chunk in the middle (or from stdin, which
    // may stay quiet for hours) is committed at once.
    const bool wait = more_follow && chunk.progress.complete && !input.key.empty() &&
                      pending_records_ < kGroupCommitRecords;
    if (!wait) CommitPending();
  }
}

void Spooler::CommitPending() {
  if (pending_.empty() && pending_records_ == 0) return;
  if (!CommitWhenThereIsRoom()) return;  // stopped: the inputs are read again from checkpoints
  pending_.clear();
  pending_records_ = 0;
}

bool Spooler::CommitWhenThereIsRoom() {
  std::chrono::milliseconds delay = kFirstFullRetry;
  bool waited = false;
  for (;;) {
    try {
      spool_.Commit(pending_);
      if (waited) report_("note: the spool has room again; spooling goes on");
      return true;
    } catch (const SpoolFullError& full) {
      // Pushing goes on meanwhile, and every acknowledged segment it deletes makes room; the
      // held records are committed then, so waiting loses nothing (stdin included).
      if (!waited) report_(std::string(full.what()) + "; waiting for room, pushing goes on");
      waited = true;
      ++full_waits_;
    }
    for (auto left = delay; left.count() > 0 && !stop_; left -= kStopCheck) {
      std::this_thread::sleep_for(std::min(left, kStopCheck));
    }
    if (stop_) return false;
    delay = std::min(delay * 2, kMaxFullRetry);
  }
}

}  // namespace sitrep::collector
