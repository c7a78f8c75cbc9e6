#pragma once

#include <atomic>
#include <cstddef>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include "collector/line_reader.h"
#include "collector/record_source.h"

namespace sitrep::collector {

// The longest input line read; longer lines are skipped with an error (a record must fit in one
// 4 MiB batch, and proto JSON is larger than the wire form).
inline constexpr size_t kMaxJsonLineBytes = size_t{8} << 20;

// Parses one line of the collector's JSON-lines input: a sitrep.v1.Record in the proto JSON
// mapping, {"incident": {...}} or {"asset": {...}}. Returns an empty string and fills `record`,
// or returns one sentence saying what is wrong (invalid UTF-8, JSON syntax, a wrong type, an
// unknown field, neither kind).
[[nodiscard]] std::string ReadJsonRecord(std::string_view line, v1::Record& record);

// JSON Lines from a file descriptor, one record per non-blank line, in chunks of up to 1,000
// records (fewer when a pipe goes quiet, so records do not wait for more input).
class JsonlSource final : public RecordSource {
 public:
  // Reads `fd`, positioned at `start.offset` and closed on destruction when `owns_fd`. `name`
  // prefixes errors ("name:line: what"). Once `stop` (may be null) is set, the next chunk ends
  // at a line boundary and the input counts as not complete.
  JsonlSource(std::string name, int fd, bool owns_fd, InputProgress start,
              const std::atomic<bool>* stop);
  ~JsonlSource() override;
  JsonlSource(const JsonlSource&) = delete;
  JsonlSource& operator=(const JsonlSource&) = delete;

  [[nodiscard]] bool Next(ImportChunk& chunk) override;

 private:
  const std::string name_;
  const int fd_;
  const bool owns_fd_;
  const std::atomic<bool>* const stop_;
  LineReader reader_;
  uint64_t line_;
  bool done_ = false;
};

// A JsonlSource over `path`, resuming at `start`. Throws std::runtime_error when the file
// cannot be opened or positioned.
[[nodiscard]] std::unique_ptr<RecordSource> OpenJsonlFile(const std::filesystem::path& path,
                                                          InputProgress start,
                                                          const std::atomic<bool>* stop);

}  // namespace sitrep::collector
