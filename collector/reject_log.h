#pragma once

#include <atomic>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <mutex>
#include <string_view>

#include "sitrep/v1/records.pb.h"

namespace sitrep::collector {

// The --rejects-file: one JSON object per rejected record, appended as rejections happen:
//   {"rejected_by":"server","kind":"incident","key":"…","field":"…","reason":"…",
//    "message":"…","record":{"incident":{…}}}
// `record` is the record in the proto JSON mapping, so `jq -c .record` gives input lines back.
// Rejections are final (the collector does not retry them). A crash between writing a line and
// acknowledging its batch can repeat the line after the resend. Thread-safe.
class RejectLog final {
 public:
  // Creates the file (and its folder) at the first rejection, not before.
  explicit RejectLog(std::filesystem::path path);
  ~RejectLog();
  RejectLog(const RejectLog&) = delete;
  RejectLog& operator=(const RejectLog&) = delete;

  // Appends one line and flushes it. `by` is "server" or "collector"; `key` the record's
  // external_id or asset_key as the rejection names it. Never throws: when the file cannot be
  // written, logs that once and goes on counting.
  void Write(std::string_view by, std::string_view key, const v1::Record& record,
             std::string_view field, std::string_view reason, std::string_view message);

  [[nodiscard]] uint64_t count() const { return count_.load(); }
  [[nodiscard]] const std::filesystem::path& path() const { return path_; }

 private:
  const std::filesystem::path path_;
  std::atomic<uint64_t> count_{0};
  std::mutex mu_;
  std::FILE* file_ = nullptr;  // guarded by mu_
  bool failed_ = false;        // guarded by mu_
};

}  // namespace sitrep::collector
