#pragma once

#include <chrono>
#include <compare>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <map>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sitrep::collector {

// A place in the spool: segment number and byte offset inside that segment file.
struct SpoolPosition {
  uint64_t segment = 1;
  uint64_t offset = 0;
  auto operator<=>(const SpoolPosition&) const = default;
};

// How far one input has been consumed into the spool, so a rerun continues there.
struct InputProgress {
  uint64_t offset = 0;    // bytes of a file, or records of a generator
  uint64_t line = 0;      // lines (or items) consumed, to number later errors correctly
  bool complete = false;  // the whole input is in the spool
  // Where a remote input resumes (a TAXII collection's `next` and added_after), opaque to the
  // spool; empty for files and generators. The braces spare the aggregate initialisations that
  // leave it out -Wmissing-field-initializers.
  std::string cursor{};
  bool operator==(const InputProgress&) const = default;
};

// Segment files roll over at this size: a fully acknowledged segment is deleted, so this bounds
// what a drained spool keeps on disk.
inline constexpr uint64_t kDefaultSpoolSegmentBytes = uint64_t{16} << 20;

struct SpoolOptions {
  std::filesystem::path dir;
  uint64_t segment_bytes = kDefaultSpoolSegmentBytes;
};

// Records handed to the pusher. `end` goes back to Ack once every record is acknowledged.
struct SpoolBatch {
  std::vector<std::string> records;  // serialized sitrep.v1.Record, in spool order
  SpoolPosition end;
};

// Thrown when the spool folder cannot be used: locked by another process, unreadable state
// files, or a checksum failure in records already committed. Failing system calls throw
// std::system_error naming the file.
class SpoolError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Thrown by Commit when the disk, the quota or the file size limit has no room for the records
// (ENOSPC, EDQUOT, EFBIG). Nothing is lost or damaged: the appended records stay held in memory,
// and Commit succeeds once acknowledgements (which need no new space) or the operator free room.
class SpoolFullError final : public SpoolError {
 public:
  using SpoolError::SpoolError;
};

// The largest record Append takes: what fits in one PushBatch (4 MiB) with room to spare.
inline constexpr size_t kMaxSpoolRecordBytes = (size_t{4} << 20) - (size_t{64} << 10);

// The collector's durable queue (SPEC §6): records in segment files of at most `segment_bytes`
// (a larger record gets a segment of its own), each framed as [length u32][crc32c u32][bytes];
// `committed.json` (replaced atomically) holds the end of the committed records and the input
// checkpoints, `acked.ckpt` how far the server has acknowledged, overwritten in place in one of
// two checksummed slots so that acknowledging needs no new disk space. Killing the process at
// any instant neither loses nor duplicates a record: appends become durable and visible together
// with their input checkpoint in Commit(). A segment is deleted once every record in it is
// acknowledged and the acknowledgement is durable; when everything is acknowledged, the next
// Append starts a new segment so that the last one can go too. A spool written before acked.ckpt
// existed (acked.json) is read and converted at open.
//
// Threads: one appender thread calls Append/Commit/ProgressOf/FinishAppending, one reader
// thread calls Read, any thread calls Ack (in order) and the counters. A file lock keeps a
// second process out of the folder. Destroying a Spool writes nothing: records appended but
// not committed are gone, exactly as after a crash.
class Spool final {
 public:
  // Opens or creates the spool in options.dir and recovers it: records appended after the last
  // commit and a torn or corrupt tail are cut off (one log line each), fully acknowledged
  // segments are deleted, and reading resumes after the acknowledged position. Throws
  // SpoolError.
  explicit Spool(SpoolOptions options);
  ~Spool();
  Spool(const Spool&) = delete;
  Spool& operator=(const Spool&) = delete;

  // Appends one serialized record (1..kMaxSpoolRecordBytes bytes, else std::invalid_argument).
  // Held in memory, invisible to Read and not durable until the next Commit; writes nothing.
  void Append(std::string_view record);

  // Makes every appended record durable (fsync) and readable, together with the checkpoint of
  // `input_key` when given. Throws SpoolFullError when the disk has no room and std::system_error
  // on other I/O failures; either way nothing committed is touched, the appended records stay
  // held, and calling Commit again retries (writing the same bytes to the same places).
  void Commit();
  void Commit(const std::string& input_key, const InputProgress& progress);
  // The same with several checkpoints, e.g. of many small files spooled one after another.
  void Commit(const std::vector<std::pair<std::string, InputProgress>>& checkpoints);

  // The last committed checkpoint of `input_key`, if any.
  [[nodiscard]] std::optional<InputProgress> ProgressOf(const std::string& input_key) const;

  // Says that nothing more will be appended; Read then stops waiting once all is read.
  void FinishAppending();

  // Up to `max_records` committed records not yet read, of at most `max_bytes` together (at
  // least one record whatever its size). Waits up to `wait` when none is available; returns an
  // empty batch on timeout or when AllRead(). Throws SpoolError on a checksum failure.
  [[nodiscard]] SpoolBatch Read(size_t max_records, size_t max_bytes,
                                std::chrono::milliseconds wait);

  // Records that every record before `end` (a SpoolBatch::end, `records` of them since the
  // previous Ack) is acknowledged: persists the position (an overwrite in place: it works on a
  // full disk) and then deletes fully acknowledged segments. Throws std::system_error when the
  // position cannot be persisted; the counters move on regardless, no segment is deleted, and a
  // restart resends what the lost acknowledgement covered.
  void Ack(SpoolPosition end, uint64_t records);

  // True once FinishAppending was called and every committed record has been read.
  [[nodiscard]] bool AllRead() const;
  // Committed records not yet acknowledged (including those recovered at open).
  [[nodiscard]] uint64_t pending_records() const;
  // Records committed since open, plus those pending at open.
  [[nodiscard]] uint64_t committed_records() const;

 private:
  // Appended bytes of one segment, not yet committed.
  struct PendingWrite {
    uint64_t segment = 0;
    uint64_t offset = 0;
    std::string bytes;
  };

  void Recover();
  SpoolPosition LoadAcked(SpoolPosition fallback);  // reads acked.ckpt (or legacy acked.json)
  void OpenAckFile(SpoolPosition acked);  // creates acked.ckpt if missing, drops acked.json
  uint64_t ScanCommitted();  // verifies committed records after acked_, returns their count
  void RollSegment();
  void StartSegmentWhenDrained();
  void WritePending();
  void WriteCommitted(SpoolPosition end, const std::map<std::string, InputProgress>& inputs) const;
  // With ack_mu_ held: persists `position`, then deletes the segments before it.
  void AdvanceAckLocked(SpoolPosition position, uint64_t records);
  void StoreAck(SpoolPosition position);
  // Deletes a segment sealed by Commit when everything in it was acknowledged already.
  void ReleaseAcknowledgedSegments();
  [[nodiscard]] std::filesystem::path SegmentPath(uint64_t segment) const;
  [[nodiscard]] SpoolPosition NormalizeLocked(SpoolPosition position) const;
  // Reads `size` bytes at `offset` of `segment` through read_buffer_; false when the file ends.
  bool ReadAt(uint64_t segment, uint64_t offset, size_t size, uint64_t limit, std::string& out);

  // Set at construction.
  const std::filesystem::path dir_;
  const uint64_t segment_bytes_;
  int lock_fd_ = -1;

  // Appender thread only.
  int write_fd_ = -1;
  uint64_t write_fd_segment_ = 0;
  uint64_t write_segment_ = 1;
  uint64_t write_size_ = 0;            // bytes of the segment once pending_ is written
  std::vector<PendingWrite> pending_;  // everything appended since the last Commit
  uint64_t uncommitted_records_ = 0;
  std::vector<std::pair<uint64_t, uint64_t>> rolled_;  // segment, size: sealed since last Commit
  bool dir_dirty_ = false;  // a segment file was created and the folder not yet fsynced

  // Reader thread only.
  int read_fd_ = -1;
  uint64_t read_fd_segment_ = 0;
  uint64_t read_buffer_offset_ = 0;
  std::string read_buffer_;

  // Ack callers, one at a time.
  std::mutex ack_mu_;
  // Guarded by ack_mu_.
  uint64_t first_segment_ = 1;  // the oldest segment file that may still exist
  int ack_fd_ = -1;
  uint64_t ack_sequence_ = 0;  // of the newest valid slot in acked.ckpt

  mutable std::mutex mu_;
  std::condition_variable committed_cv_;
  // Guarded by mu_.
  SpoolPosition committed_;
  SpoolPosition acked_;
  SpoolPosition read_;
  std::map<uint64_t, uint64_t> sealed_;  // size of every committed segment before committed_
  std::map<std::string, InputProgress> inputs_;
  uint64_t committed_records_ = 0;
  uint64_t acked_records_ = 0;
  uint64_t read_records_ = 0;
  bool finished_ = false;
};

}  // namespace sitrep::collector
