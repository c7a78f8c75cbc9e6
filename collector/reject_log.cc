#include "collector/reject_log.h"

#include <google/protobuf/util/json_util.h>

#include <cerrno>
#include <cstring>
#include <nlohmann/json.hpp>

#include "logging/log.h"

namespace sitrep::collector {

RejectLog::RejectLog(std::filesystem::path path) : path_(std::move(path)) {}

RejectLog::~RejectLog() {
  if (file_ != nullptr) std::fclose(file_);
}

void RejectLog::Write(std::string_view by, std::string_view key, const v1::Record& record,
                      std::string_view field, std::string_view reason, std::string_view message) {
  ++count_;
  nlohmann::json line = {
      {"rejected_by", by},
      {"kind", record.has_incident()   ? "incident"
               : record.has_asset()    ? "asset"
               : record.has_advisory() ? "advisory"
                                       : "none"},
      {"key", key},
      {"field", field},
      {"reason", reason},
      {"message", message},
  };
  std::string json;
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  // An advisory's CSAF document (up to 2 MiB) is the input file itself: the line names the
  // record without repeating it.
  const v1::Record* logged = &record;
  v1::Record without_document;
  if (record.has_advisory() && !record.advisory().csaf_document().empty()) {
    without_document = record;
    without_document.mutable_advisory()->clear_csaf_document();
    logged = &without_document;
  }
  if (google::protobuf::util::MessageToJsonString(*logged, &json, options).ok()) {
    // A record with bytes that are not UTF-8 does not parse back; it is kept as text then.
    nlohmann::json parsed = nlohmann::json::parse(json, nullptr, /*allow_exceptions=*/false);
    line["record"] = parsed.is_discarded() ? nlohmann::json(json) : std::move(parsed);
  }
  const std::string text =
      line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";

  std::lock_guard lock(mu_);
  if (failed_) return;
  if (file_ == nullptr) {
    std::error_code ignored;
    if (!path_.parent_path().empty())
      std::filesystem::create_directories(path_.parent_path(), ignored);
    file_ = std::fopen(path_.c_str(), "ae");
  }
  if (file_ == nullptr || std::fwrite(text.data(), 1, text.size(), file_) != text.size() ||
      std::fflush(file_) != 0) {
    failed_ = true;
    Log(LogLevel::kError, "rejects_file_unwritable",
        {{"path", path_.string()}, {"error", std::strerror(errno)}});
  }
}

}  // namespace sitrep::collector
