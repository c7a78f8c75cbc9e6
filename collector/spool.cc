#include "collector/spool.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <system_error>

#include "collector/crc32c.h"
#include "collector/durable_file.h"
#include "logging/log.h"

namespace sitrep::collector {
namespace {

constexpr size_t kFrameHeaderBytes = 8;  // length u32 + crc32c u32, little-endian
constexpr size_t kReadBufferBytes = size_t{1} << 20;
constexpr std::string_view kSegmentPrefix = "segment-";
constexpr std::string_view kSegmentSuffix = ".log";
constexpr const char* kCommittedFile = "committed.json";
constexpr const char* kAckFile = "acked.ckpt";
// Where spools written before acked.ckpt existed keep the position; converted at open.
constexpr const char* kLegacyAckFile = "acked.json";

// acked.ckpt holds two slots, each in its own 4 KiB block, written by turns: a torn write spoils
// only the slot being written while the other keeps the previous position. A slot is
// [magic u32][version u32][sequence u64][segment u64][offset u64][crc32c u32 of the rest].
constexpr size_t kAckSlotBytes = 4096;
constexpr size_t kAckRecordBytes = 36;
constexpr uint32_t kAckMagic = 0x4b415053;  // "SPAK"
constexpr uint32_t kAckVersion = 1;

void PutU32(std::string& out, uint32_t value) {
  for (int shift = 0; shift < 32; shift += 8) out.push_back(static_cast<char>(value >> shift));
}

void PutU64(std::string& out, uint64_t value) {
  for (int shift = 0; shift < 64; shift += 8) out.push_back(static_cast<char>(value >> shift));
}

uint32_t GetU32(std::string_view bytes) {
  uint32_t value = 0;
  for (int i = 3; i >= 0; --i) value = (value << 8) | static_cast<uint8_t>(bytes[i]);
  return value;
}

uint64_t GetU64(std::string_view bytes) {
  uint64_t value = 0;
  for (int i = 7; i >= 0; --i) value = (value << 8) | static_cast<uint8_t>(bytes[i]);
  return value;
}

std::string AckSlot(uint64_t sequence, SpoolPosition position) {
  std::string slot;
  PutU32(slot, kAckMagic);
  PutU32(slot, kAckVersion);
  PutU64(slot, sequence);
  PutU64(slot, position.segment);
  PutU64(slot, position.offset);
  PutU32(slot, Crc32c(slot));
  return slot;
}

struct StoredAck {
  uint64_t sequence = 0;
  SpoolPosition position;
};

std::optional<StoredAck> ParseAckSlot(std::string_view slot) {
  if (slot.size() < kAckRecordBytes || GetU32(slot) != kAckMagic ||
      GetU32(slot.substr(4)) != kAckVersion ||
      Crc32c(slot.substr(0, kAckRecordBytes - 4)) != GetU32(slot.substr(kAckRecordBytes - 4))) {
    return std::nullopt;
  }
  return StoredAck{GetU64(slot.substr(8)), {GetU64(slot.substr(16)), GetU64(slot.substr(24))}};
}

// The newer valid slot of acked.ckpt's content, if any is valid.
std::optional<StoredAck> NewestAckSlot(std::string_view content) {
  std::optional<StoredAck> newest;
  for (size_t start = 0; start < 2 * kAckSlotBytes && start < content.size();
       start += kAckSlotBytes) {
    const std::optional<StoredAck> slot = ParseAckSlot(content.substr(start, kAckRecordBytes));
    if (slot && (!newest || slot->sequence > newest->sequence)) newest = slot;
  }
  return newest;
}

bool IsOutOfRoom(const std::system_error& error) {
  return error.code() == std::errc::no_space_on_device ||
         error.code() == std::errc::file_too_large ||
         (error.code().category() == std::generic_category() && error.code().value() == EDQUOT);
}

// The checksum covers the length too, so a flipped length bit cannot pass as a shorter record.
uint32_t FrameChecksum(std::string_view length_bytes, std::string_view payload) {
  return Crc32c(payload, Crc32c(length_bytes));
}

std::optional<uint64_t> SegmentNumber(const std::string& name) {
  if (!name.starts_with(kSegmentPrefix) || !name.ends_with(kSegmentSuffix)) return std::nullopt;
  const std::string digits = name.substr(
      kSegmentPrefix.size(), name.size() - kSegmentPrefix.size() - kSegmentSuffix.size());
  uint64_t number = 0;
  const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), number);
  if (digits.empty() || error != std::errc() || end != digits.data() + digits.size()) {
    return std::nullopt;
  }
  return number;
}

nlohmann::json PositionJson(SpoolPosition position) {
  return {{"segment", position.segment}, {"offset", position.offset}};
}

SpoolPosition ParsePosition(const nlohmann::json& json) {
  return {json.at("segment").get<uint64_t>(), json.at("offset").get<uint64_t>()};
}

[[noreturn]] void ThrowErrno(const std::string& what, const std::filesystem::path& path) {
  throw std::system_error(errno, std::generic_category(), what + " " + path.string());
}

std::string Text(uint64_t number) { return std::to_string(number); }

}  // namespace

Spool::Spool(SpoolOptions options)
    : dir_(std::move(options.dir)), segment_bytes_(std::max<uint64_t>(options.segment_bytes, 1)) {
  std::error_code error;
  std::filesystem::create_directories(dir_, error);
  if (error)
    throw SpoolError("cannot create spool folder " + dir_.string() + ": " + error.message());
  const std::filesystem::path lock_path = dir_ / "lock";
  lock_fd_ = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (lock_fd_ < 0) ThrowErrno("cannot open", lock_path);
  // flock is released by the kernel when the process dies, so a crash never leaves it stale.
  if (::flock(lock_fd_, LOCK_EX | LOCK_NB) != 0) {
    ::close(lock_fd_);
    throw SpoolError("spool folder " + dir_.string() +
                     " is in use by another sitrep-collector; give each one its own --spool-dir");
  }
  try {
    Recover();
  } catch (...) {
    if (write_fd_ >= 0) ::close(write_fd_);
    if (read_fd_ >= 0) ::close(read_fd_);
    if (ack_fd_ >= 0) ::close(ack_fd_);
    ::close(lock_fd_);
    throw;
  }
}

Spool::~Spool() {
  if (write_fd_ >= 0) ::close(write_fd_);
  if (read_fd_ >= 0) ::close(read_fd_);
  if (ack_fd_ >= 0) ::close(ack_fd_);
  ::close(lock_fd_);
}

std::filesystem::path Spool::SegmentPath(uint64_t segment) const {
  char name[64];
  std::snprintf(name, sizeof name, "segment-%020llu.log", static_cast<unsigned long long>(segment));
  return dir_ / name;
}

void Spool::Recover() {
  std::vector<uint64_t> segments;
  for (const auto& entry : std::filesystem::directory_iterator(dir_)) {
    const std::string name = entry.path().filename().string();
    // A .tmp file is an atomic replacement interrupted before its rename: the old file rules.
    if (name.ends_with(".tmp")) std::filesystem::remove(entry.path());
    if (const std::optional<uint64_t> number = SegmentNumber(name)) segments.push_back(*number);
  }
  std::sort(segments.begin(), segments.end());

  SpoolPosition committed{segments.empty() ? 1 : segments.front(), 0};
  std::map<std::string, InputProgress> inputs;
  SpoolPosition acked = committed;
  try {
    if (const std::optional<std::string> text = ReadSmallFile(dir_ / kCommittedFile)) {
      const nlohmann::json json = nlohmann::json::parse(*text);
      committed = ParsePosition(json.at("end"));
      for (const auto& [key, value] : json.at("inputs").items()) {
        inputs[key] =
            InputProgress{value.at("offset").get<uint64_t>(), value.at("line").get<uint64_t>(),
                          value.at("complete").get<bool>(), value.value("cursor", std::string())};
      }
      acked = {segments.empty() ? committed.segment : segments.front(), 0};
    }
    acked = LoadAcked(acked);
  } catch (const nlohmann::json::exception& error) {
    // Both files are only ever replaced atomically; garbage here means outside damage, and
    // guessing could duplicate or drop everything, so a person decides.
    throw SpoolError("spool state in " + dir_.string() + " is unreadable (" + error.what() +
                     "); move the folder aside to start a new spool");
  }
  if (acked > committed) {
    Log(LogLevel::kError, "spool_acked_beyond_committed",
        {{"dir", dir_.string()}, {"acked_segment", Text(acked.segment)}});
    acked = committed;
  }
  if (!segments.empty() && acked.segment < segments.front()) {
    // Ack deletes segments only after acked.ckpt moved past them, so the oldest file left is
    // where acknowledged records end, unless the acked segment itself was lost.
    acked = segments.front() <= committed.segment ? SpoolPosition{segments.front(), 0} : committed;
  }

  for (const uint64_t segment : segments) {
    if (segment < acked.segment) {
      std::filesystem::remove(SegmentPath(segment));  // acknowledged; its deletion was cut short
    } else if (segment > committed.segment) {
      Log(LogLevel::kWarn, "spool_uncommitted_discarded",
          {{"segment", Text(segment)},
           {"bytes", Text(std::filesystem::file_size(SegmentPath(segment)))},
           {"why", "appended after the last commit; the input is read again from its checkpoint"}});
      std::filesystem::remove(SegmentPath(segment));
    }
  }
  const std::filesystem::path last = SegmentPath(committed.segment);
  if (std::filesystem::exists(last) && std::filesystem::file_size(last) > committed.offset) {
    Log(LogLevel::kWarn, "spool_uncommitted_discarded",
        {{"segment", Text(committed.segment)},
         {"bytes", Text(std::filesystem::file_size(last) - committed.offset)},
         {"why", "appended after the last commit; the input is read again from its checkpoint"}});
    std::filesystem::resize_file(last, committed.offset);
  }

  committed_ = committed;
  acked_ = acked;
  inputs_ = std::move(inputs);
  first_segment_ = acked.segment;
  const SpoolPosition before_scan = committed_;
  committed_records_ = ScanCommitted();
  if (committed_ != before_scan) WriteCommitted(committed_, inputs_);
  OpenAckFile(acked_);
  read_ = acked_;
  write_segment_ = committed_.segment;
  write_size_ = committed_.offset;
  if (committed_records_ > 0) {
    Log(LogLevel::kInfo, "spool_resumed",
        {{"dir", dir_.string()}, {"pending_records", Text(committed_records_)}});
  }
}

SpoolPosition Spool::LoadAcked(SpoolPosition fallback) {
  if (const std::optional<std::string> content = ReadSmallFile(dir_ / kAckFile)) {
    const std::optional<StoredAck> stored = NewestAckSlot(*content);
    if (!stored) {
      // One slot is always whole (the file is created whole and written a slot at a time), so
      // this is outside damage; as with committed.json, a person decides.
      throw SpoolError("spool state in " + dir_.string() + " is unreadable (" + kAckFile +
                       " holds no valid position); move the folder aside to start a new spool");
    }
    ack_sequence_ = stored->sequence;
    return stored->position;
  }
  if (const std::optional<std::string> text = ReadSmallFile(dir_ / kLegacyAckFile)) {
    return ParsePosition(nlohmann::json::parse(*text));
  }
  return fallback;
}

void Spool::OpenAckFile(SpoolPosition acked) {
  const std::filesystem::path path = dir_ / kAckFile;
  if (!std::filesystem::exists(path)) {
    // Sequence n lives in slot n % 2, so the first StoreAck (sequence 2) leaves this one whole.
    std::string content(kAckSlotBytes, '\0');
    content += AckSlot(1, acked);
    content.resize(2 * kAckSlotBytes, '\0');
    ReplaceFileAtomically(path, content);
    ack_sequence_ = 1;
  }
  // acked.ckpt is durable before the legacy file goes, so a crash in between loses neither.
  const std::filesystem::path legacy = dir_ / kLegacyAckFile;
  if (std::filesystem::exists(legacy)) {
    std::filesystem::remove(legacy);
    SyncDirectory(dir_);
    Log(LogLevel::kInfo, "spool_ack_file_converted",
        {{"dir", dir_.string()}, {"from", kLegacyAckFile}, {"to", kAckFile}});
  }
  ack_fd_ = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
  if (ack_fd_ < 0) ThrowErrno("cannot open", path);
}

uint64_t Spool::ScanCommitted() {
  uint64_t count = 0;
  std::string header;
  std::string payload;
  for (uint64_t segment = acked_.segment; segment <= committed_.segment; ++segment) {
    const std::filesystem::path path = SegmentPath(segment);
    const bool last = segment == committed_.segment;
    if (!std::filesystem::exists(path)) {
      if (last && committed_.offset == 0) break;  // an empty segment never written to disk
      Log(LogLevel::kError, "spool_segment_missing",
          {{"segment", Text(segment)}, {"why", "its committed records are lost"}});
      if (last) committed_.offset = 0;
      continue;
    }
    const uint64_t size = std::filesystem::file_size(path);
    const uint64_t limit = last ? committed_.offset : size;
    uint64_t offset = segment == acked_.segment ? acked_.offset : 0;
    bool torn = false;
    while (offset < limit) {
      if (!ReadAt(segment, offset, kFrameHeaderBytes, limit, header)) {
        torn = true;
        break;
      }
      const uint32_t length = GetU32(header);
      if (length == 0 || length > kMaxSpoolRecordBytes ||
          !ReadAt(segment, offset + kFrameHeaderBytes, length, limit, payload) ||
          FrameChecksum(std::string_view(header).substr(0, 4), payload) !=
              GetU32(std::string_view(header).substr(4))) {
        torn = true;
        break;
      }
      offset += kFrameHeaderBytes + length;
      ++count;
    }
    if (torn) {
      // Commit fsyncs before it moves the end, so this is a disk that lost written data (or a
      // damaged file): keep every record before the damage, drop the rest, say so.
      Log(LogLevel::kWarn, "spool_torn_tail",
          {{"segment", Text(segment)},
           {"offset", Text(offset)},
           {"dropped_bytes", Text(size - std::min(size, offset))}});
      std::filesystem::resize_file(path, offset);
      for (uint64_t later = segment + 1; later <= committed_.segment; ++later) {
        std::filesystem::remove(SegmentPath(later));
      }
      committed_ = {segment, offset};
      break;
    }
    if (!last) sealed_[segment] = size;
  }
  if (read_fd_ >= 0) ::close(read_fd_);
  read_fd_ = -1;
  read_fd_segment_ = 0;
  read_buffer_.clear();
  return count;
}

void Spool::RollSegment() {
  rolled_.emplace_back(write_segment_, write_size_);
  ++write_segment_;
  write_size_ = 0;
}

void Spool::StartSegmentWhenDrained() {
  if (write_size_ == 0) return;
  bool drained = false;
  {
    std::lock_guard lock(mu_);
    drained = acked_ >= committed_;
  }
  // Every record in the segment is acknowledged: sealing it lets the next commit delete it,
  // where appending to it would keep its acknowledged bytes on disk for as long as it grows.
  if (drained) RollSegment();
}

void Spool::Append(std::string_view record) {
  if (record.empty() || record.size() > kMaxSpoolRecordBytes) {
    throw std::invalid_argument("a spool record holds 1.." + Text(kMaxSpoolRecordBytes) +
                                " bytes, not " + Text(record.size()));
  }
  if (uncommitted_records_ == 0) StartSegmentWhenDrained();
  const uint64_t frame = kFrameHeaderBytes + record.size();
  if (write_size_ > 0 && write_size_ + frame > segment_bytes_) RollSegment();
  if (pending_.empty() || pending_.back().segment != write_segment_) {
    pending_.push_back({write_segment_, write_size_, std::string()});
  }
  std::string& bytes = pending_.back().bytes;
  std::string length;
  PutU32(length, static_cast<uint32_t>(record.size()));
  bytes += length;
  PutU32(bytes, FrameChecksum(length, record));
  bytes.append(record);
  write_size_ += frame;
  ++uncommitted_records_;
}

void Spool::WritePending() {
  for (const PendingWrite& pending : pending_) {
    const std::filesystem::path path = SegmentPath(pending.segment);
    if (write_fd_ < 0 || write_fd_segment_ != pending.segment) {
      if (write_fd_ >= 0) ::close(write_fd_);
      write_fd_ = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
      if (write_fd_ >= 0) {
        dir_dirty_ = true;
      } else if (errno == EEXIST) {
        write_fd_ = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
      }
      if (write_fd_ < 0) ThrowErrno("cannot open", path);
      write_fd_segment_ = pending.segment;
    }
    WriteAllAt(write_fd_, pending.bytes, pending.offset, path);
    SyncFile(write_fd_, path);
  }
  // A new segment's name must be durable before committed.json points into it.
  if (dir_dirty_) {
    SyncDirectory(dir_);
    dir_dirty_ = false;
  }
}

void Spool::Commit() { Commit(std::vector<std::pair<std::string, InputProgress>>()); }

void Spool::Commit(const std::string& input_key, const InputProgress& progress) {
  Commit(std::vector<std::pair<std::string, InputProgress>>{{input_key, progress}});
}

void Spool::Commit(const std::vector<std::pair<std::string, InputProgress>>& checkpoints) {
  const SpoolPosition end{write_segment_, write_size_};
  std::map<std::string, InputProgress> inputs;
  {
    std::lock_guard lock(mu_);
    inputs = inputs_;
  }
  for (const auto& [key, progress] : checkpoints) inputs[key] = progress;
  try {
    WritePending();
    // The records are on disk; this one atomic rename makes them and the checkpoint count at once.
    WriteCommitted(end, inputs);
  } catch (const std::system_error& error) {
    // Nothing is undone, so nothing committed can be harmed: pending_ still holds every record
    // since the last commit, a retry writes the same bytes to the same places, and bytes past
    // the committed end are cut at the next open.
    if (IsOutOfRoom(error)) {
      throw SpoolFullError("no room for the spool in " + dir_.string() + " (" + error.what() +
                           "); " + Text(uncommitted_records_) + " records wait to be spooled");
    }
    throw;
  }
  const bool sealed = !rolled_.empty();
  {
    std::lock_guard lock(mu_);
    committed_ = end;
    for (const auto& [segment, size] : rolled_) sealed_[segment] = size;
    committed_records_ += uncommitted_records_;
    inputs_ = std::move(inputs);
  }
  pending_.clear();
  rolled_.clear();
  uncommitted_records_ = 0;
  committed_cv_.notify_all();
  if (sealed) ReleaseAcknowledgedSegments();
}

std::optional<InputProgress> Spool::ProgressOf(const std::string& input_key) const {
  std::lock_guard lock(mu_);
  const auto found = inputs_.find(input_key);
  if (found == inputs_.end()) return std::nullopt;
  return found->second;
}

void Spool::FinishAppending() {
  {
    std::lock_guard lock(mu_);
    finished_ = true;
  }
  committed_cv_.notify_all();
}

void Spool::WriteCommitted(SpoolPosition end,
                           const std::map<std::string, InputProgress>& inputs) const {
  nlohmann::json json_inputs = nlohmann::json::object();
  for (const auto& [key, progress] : inputs) {
    json_inputs[key] = {
        {"offset", progress.offset}, {"line", progress.line}, {"complete", progress.complete}};
    if (!progress.cursor.empty()) json_inputs[key]["cursor"] = progress.cursor;
  }
  const nlohmann::json json = {{"end", PositionJson(end)}, {"inputs", json_inputs}};
  // A file name that is not UTF-8 is stored with U+FFFD: its checkpoint then never matches and
  // the input is read again from the start, which resends but loses nothing.
  ReplaceFileAtomically(dir_ / kCommittedFile,
                        json.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

void Spool::StoreAck(SpoolPosition position) {
  // Overwriting blocks the file already has needs no free space, so acknowledgements (which
  // let segments be deleted) still work on a full disk. The sequence moves on only once the
  // slot is durable: a failed write is retried in the same slot, never in the one still valid.
  const uint64_t sequence = ack_sequence_ + 1;
  const std::filesystem::path path = dir_ / kAckFile;
  WriteAllAt(ack_fd_, AckSlot(sequence, position), (sequence % 2) * kAckSlotBytes, path);
  SyncFile(ack_fd_, path);
  ack_sequence_ = sequence;
}

bool Spool::ReadAt(uint64_t segment, uint64_t offset, size_t size, uint64_t limit,
                   std::string& out) {
  if (offset + size > limit) return false;
  if (read_fd_segment_ != segment || read_fd_ < 0) {
    if (read_fd_ >= 0) ::close(read_fd_);
    read_buffer_.clear();
    read_fd_segment_ = segment;
    read_fd_ = ::open(SegmentPath(segment).c_str(), O_RDONLY | O_CLOEXEC);
    if (read_fd_ < 0) ThrowErrno("cannot open", SegmentPath(segment));
  }
  if (offset < read_buffer_offset_ || offset + size > read_buffer_offset_ + read_buffer_.size()) {
    // Never buffer past `limit`: beyond it the appender may be writing uncommitted bytes.
    const size_t want = static_cast<size_t>(
        std::min<uint64_t>(std::max<size_t>(size, kReadBufferBytes), limit - offset));
    read_buffer_.resize(want);
    size_t got = 0;
    while (got < want) {
      const ssize_t n = ::pread(read_fd_, read_buffer_.data() + got, want - got,
                                static_cast<off_t>(offset + got));
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) ThrowErrno("cannot read", SegmentPath(segment));
      if (n == 0) break;
      got += static_cast<size_t>(n);
    }
    read_buffer_.resize(got);
    read_buffer_offset_ = offset;
    if (got < size) return false;
  }
  out.assign(read_buffer_, static_cast<size_t>(offset - read_buffer_offset_), size);
  return true;
}

SpoolBatch Spool::Read(size_t max_records, size_t max_bytes, std::chrono::milliseconds wait) {
  SpoolPosition position;
  SpoolPosition committed;
  {
    std::unique_lock lock(mu_);
    committed_cv_.wait_for(lock, wait,
                           [&] { return read_records_ < committed_records_ || finished_; });
    if (read_records_ >= committed_records_) return SpoolBatch{{}, read_};
    position = read_;
    committed = committed_;
  }
  SpoolBatch batch;
  size_t bytes = 0;
  std::string header;
  std::string payload;
  while (batch.records.size() < max_records && position < committed) {
    uint64_t limit = committed.offset;
    if (position.segment < committed.segment) {
      std::lock_guard lock(mu_);
      const auto sealed = sealed_.find(position.segment);
      limit = sealed == sealed_.end() ? 0 : sealed->second;  // a segment lost at recovery
    }
    if (position.offset >= limit) {
      position = {position.segment + 1, 0};
      continue;
    }
    if (!ReadAt(position.segment, position.offset, kFrameHeaderBytes, limit, header)) {
      throw SpoolError("spool segment " + SegmentPath(position.segment).string() +
                       " ends inside a committed record at offset " + Text(position.offset));
    }
    const uint32_t length = GetU32(header);
    if (length == 0 || length > kMaxSpoolRecordBytes ||
        !ReadAt(position.segment, position.offset + kFrameHeaderBytes, length, limit, payload) ||
        FrameChecksum(std::string_view(header).substr(0, 4), payload) !=
            GetU32(std::string_view(header).substr(4))) {
      throw SpoolError("corrupt committed record in spool segment " +
                       SegmentPath(position.segment).string() + " at offset " +
                       Text(position.offset));
    }
    if (!batch.records.empty() && bytes + length > max_bytes) break;
    bytes += length;
    batch.records.push_back(std::move(payload));
    payload.clear();
    position.offset += kFrameHeaderBytes + length;
  }
  batch.end = position;
  {
    std::lock_guard lock(mu_);
    read_ = position;
    read_records_ += batch.records.size();
  }
  return batch;
}

SpoolPosition Spool::NormalizeLocked(SpoolPosition position) const {
  // The end of a sealed segment is the start of the next: acknowledging it frees the segment.
  for (auto sealed = sealed_.find(position.segment);
       sealed != sealed_.end() && position.offset >= sealed->second;
       sealed = sealed_.find(position.segment)) {
    position = {position.segment + 1, 0};
  }
  return position;
}

void Spool::Ack(SpoolPosition end, uint64_t records) {
  std::lock_guard ack_lock(ack_mu_);
  SpoolPosition position;
  {
    std::lock_guard lock(mu_);
    // Never backwards: Commit may have moved the position past a sealed segment already.
    position = std::max(NormalizeLocked(end), acked_);
  }
  AdvanceAckLocked(position, records);
}

void Spool::AdvanceAckLocked(SpoolPosition position, uint64_t records) {
  try {
    StoreAck(position);
  } catch (...) {
    // The server has the records whether or not the position is durable: the counters follow
    // the server, and without a durable position no segment may go.
    std::lock_guard lock(mu_);
    acked_ = std::max(acked_, position);
    acked_records_ += records;
    throw;
  }
  {
    std::lock_guard lock(mu_);
    acked_ = position;
    acked_records_ += records;
    sealed_.erase(sealed_.begin(), sealed_.lower_bound(position.segment));
  }
  // Deleted only after acked.ckpt names a later segment, so a crash in between finds them
  // already acknowledged and deletes them at open.
  for (; first_segment_ < position.segment; ++first_segment_) {
    std::error_code ignored;
    std::filesystem::remove(SegmentPath(first_segment_), ignored);
  }
}

void Spool::ReleaseAcknowledgedSegments() {
  std::lock_guard ack_lock(ack_mu_);
  SpoolPosition position;
  {
    std::lock_guard lock(mu_);
    position = NormalizeLocked(acked_);
  }
  if (position.segment == first_segment_) return;
  // The records are committed already; failing to free their acknowledged predecessors only
  // leaves those on disk until the next Ack.
  try {
    AdvanceAckLocked(position, 0);
  } catch (const std::exception& error) {
    Log(LogLevel::kError, "spool_ack_failed", {{"error", error.what()}});
  }
}

bool Spool::AllRead() const {
  std::lock_guard lock(mu_);
  return finished_ && read_records_ >= committed_records_;
}

uint64_t Spool::pending_records() const {
  std::lock_guard lock(mu_);
  return committed_records_ - std::min(acked_records_, committed_records_);
}

uint64_t Spool::committed_records() const {
  std::lock_guard lock(mu_);
  return committed_records_;
}

}  // namespace sitrep::collector
