#include "collector/jsonl_importer.h"

#include <fcntl.h>
#include <google/protobuf/util/json_util.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

#include "collector/utf8_text.h"

namespace sitrep::collector {
namespace {

constexpr size_t kChunkRecords = 1000;
constexpr size_t kChunkBytes = size_t{4} << 20;

bool IsBlank(std::string_view line) {
  return line.find_first_not_of(" \t\r") == std::string_view::npos;
}

}  // namespace

std::string ReadJsonRecord(std::string_view line, v1::Record& record) {
  // Checked first: the JSON parser's own complaint about such bytes names no position.
  if (const std::optional<size_t> bad = FirstInvalidUtf8(line)) {
    return "invalid UTF-8 at byte " + std::to_string(*bad + 1);
  }
  record.Clear();
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = false;  // a misspelt field name must not vanish silently
  const auto status = google::protobuf::util::JsonStringToMessage(
      google::protobuf::StringPiece(line.data(), line.size()), &record, options);
  if (!status.ok()) {
    // The parser appends the offending text and a caret on further lines; one line is enough.
    std::string message(status.message());
    message = message.substr(0, message.find('\n'));
    if (message.size() > 300) message = message.substr(0, 300) + "...";
    return "not a sitrep.v1.Record in proto JSON: " + (message.empty() ? "syntax error" : message);
  }
  if (record.kind_case() == v1::Record::KIND_NOT_SET) {
    return R"(expected {"incident": {...}} or {"asset": {...}})";
  }
  return std::string();
}

JsonlSource::JsonlSource(std::string name, int fd, bool owns_fd, InputProgress start,
                         const std::atomic<bool>* stop)
    : name_(std::move(name)),
      fd_(fd),
      owns_fd_(owns_fd),
      stop_(stop),
      reader_(fd, kMaxJsonLineBytes, start.offset),
      line_(start.line),
      done_(start.complete) {}

JsonlSource::~JsonlSource() {
  if (owns_fd_) ::close(fd_);
}

bool JsonlSource::Next(ImportChunk& chunk) {
  chunk.Clear();
  if (done_) return false;
  size_t bytes = 0;
  std::string line;
  while (chunk.records.size() < kChunkRecords && bytes < kChunkBytes) {
    if (stop_ != nullptr && stop_->load()) {
      done_ = true;
      break;
    }
    const LineReader::Result result = reader_.Next(line);
    if (result == LineReader::Result::kIdle) {
      if (!chunk.records.empty() || !chunk.errors.empty()) break;
      continue;
    }
    if (result == LineReader::Result::kEnd) {
      done_ = true;
      chunk.progress.complete = true;
      break;
    }
    ++line_;
    const std::string where = name_ + ":" + std::to_string(line_) + ": ";
    if (result == LineReader::Result::kTooLong) {
      chunk.errors.push_back(where + "line longer than " + std::to_string(kMaxJsonLineBytes >> 20) +
                             " MiB; skipped");
      continue;
    }
    if (IsBlank(line)) continue;
    bytes += line.size();
    v1::Record record;
    if (std::string error = ReadJsonRecord(line, record); !error.empty()) {
      chunk.errors.push_back(where + error);
      continue;
    }
    chunk.records.push_back(std::move(record));
  }
  chunk.progress.offset = reader_.offset();
  chunk.progress.line = line_;
  return true;
}

std::unique_ptr<RecordSource> OpenJsonlFile(const std::filesystem::path& path, InputProgress start,
                                            const std::atomic<bool>* stop) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    throw std::runtime_error("cannot open " + path.string() + ": " + std::strerror(errno));
  if (::lseek(fd, static_cast<off_t>(start.offset), SEEK_SET) < 0) {
    const int error = errno;
    ::close(fd);
    throw std::runtime_error("cannot seek in " + path.string() + ": " + std::strerror(error));
  }
  return std::make_unique<JsonlSource>(path.string(), fd, /*owns_fd=*/true, start, stop);
}

}  // namespace sitrep::collector
