#include "collector/taxii_source.h"

#include <nlohmann/json.hpp>
#include <stdexcept>
#include <thread>

#include "stix/inbound.h"

namespace sitrep::collector {
namespace {

constexpr std::chrono::milliseconds kStopCheck{50};
constexpr std::chrono::milliseconds kFirstRetry{1'000};
constexpr std::chrono::milliseconds kMaxRetry{30'000};
constexpr size_t kMaxNextChars = 4096;

bool IsStixTime(const std::string& text) {
  return stix::CompareStixVersions(text, text).has_value();
}

std::string WithSlash(std::string url) {
  if (url.empty() || url.back() != '/') url.push_back('/');
  return url;
}

}  // namespace

TaxiiSource::TaxiiSource(TaxiiOptions options, InputProgress start, const std::atomic<bool>* stop)
    : options_(std::move(options)), stop_(stop), client_(options_.credentials) {
  pages_ = start.offset;
  objects_ = start.line;
  if (!start.cursor.empty()) {
    const nlohmann::json cursor = nlohmann::json::parse(start.cursor, nullptr, false);
    if (cursor.is_object()) {
      next_ = cursor.value("next", std::string());
      added_after_ = cursor.value("added_after", std::string());
    }
  }
}

std::string TaxiiSource::Key(const TaxiiOptions& options) {
  const std::string& user = options.credentials.user;
  const std::string who = !user.empty()                        ? user.substr(0, user.find(':'))
                          : !options.credentials.token.empty() ? "(bearer token)"
                                                               : "(anonymous)";
  return "taxii:" + WithSlash(options.api_root) + "collections/" + options.collection + "/ as " +
         who;
}

std::string TaxiiSource::PageUrl() {
  std::string url = WithSlash(options_.api_root) + "collections/" +
                    client_.Escape(options_.collection) +
                    "/objects/?limit=" + std::to_string(options_.limit);
  if (!next_.empty()) {
    url += "&next=" + client_.Escape(next_);
  } else if (!added_after_.empty()) {
    url += "&added_after=" + client_.Escape(added_after_);
  }
  return url;
}

bool TaxiiSource::Wait(std::chrono::milliseconds delay) const {
  for (auto left = delay; left.count() > 0; left -= kStopCheck) {
    if (stop_ != nullptr && stop_->load()) return false;
    std::this_thread::sleep_for(std::min(left, kStopCheck));
  }
  return stop_ == nullptr || !stop_->load();
}

TaxiiResponse TaxiiSource::Fetch(const std::string& url) {
  std::chrono::milliseconds delay = kFirstRetry;
  for (int attempt = 0;; ++attempt) {
    TaxiiResponse response = client_.Get(url, stix::kMaxStixDocumentBytes);
    const bool transient = response.status == 0 || response.status == 429 || response.status >= 500;
    if (!transient) return response;
    const std::string why =
        response.status == 0 ? response.error : "HTTP " + std::to_string(response.status);
    if (attempt >= options_.retries) {
      throw std::runtime_error(url + ": " + why + ", " + std::to_string(attempt + 1) + " tries");
    }
    if (!Wait(delay)) return TaxiiResponse{};  // stopped
    delay = std::min(delay * 2, kMaxRetry);
  }
}

void TaxiiSource::SaveCursor(InputProgress& progress) const {
  nlohmann::json cursor = nlohmann::json::object();
  if (!next_.empty()) cursor["next"] = next_;
  if (!added_after_.empty()) cursor["added_after"] = added_after_;
  progress.offset = pages_;
  progress.line = objects_;
  progress.complete = false;  // a collection grows: a later run asks for what is new
  progress.cursor = cursor.empty() ? std::string() : cursor.dump();
}

bool TaxiiSource::Next(ImportChunk& chunk) {
  chunk.Clear();
  if (done_) return false;
  if (at_end_) {
    if (!Wait(options_.poll)) return false;
    at_end_ = false;
  }
  std::string url = PageUrl();
  TaxiiResponse response = Fetch(url);
  if (response.status == 0) return false;  // stopped while waiting to retry
  if ((response.status == 400 || response.status == 404) && !next_.empty()) {
    chunk.notes.push_back(url + ": the server no longer knows this page (HTTP " +
                          std::to_string(response.status) + "); continuing from added_after " +
                          (added_after_.empty() ? "(the start)" : added_after_));
    next_.clear();
    url = PageUrl();
    response = Fetch(url);
    if (response.status == 0) return false;
  }
  if (response.status == 401 || response.status == 403) {
    throw std::runtime_error(url + ": the remote server refused the credentials (HTTP " +
                             std::to_string(response.status) + ")");
  }
  if (response.status != 200) {
    throw std::runtime_error(url + ": HTTP " + std::to_string(response.status));
  }
  std::string error;
  const std::optional<nlohmann::json> envelope = stix::ParseStixDocument(response.body, error);
  if (!envelope || !envelope->is_object()) {
    throw std::runtime_error(
        url + ": not a TAXII envelope: " + (envelope ? std::string("not a JSON object") : error));
  }
  const auto more_member = envelope->find("more");
  const bool more =
      more_member != envelope->end() && more_member->is_boolean() && more_member->get<bool>();
  const nlohmann::json next = envelope->value("next", nlohmann::json());
  if (!next.is_null() && (!next.is_string() || next.get<std::string>().size() > kMaxNextChars)) {
    throw std::runtime_error(url + ": not a TAXII envelope: next is not a string");
  }
  if (envelope->contains("objects")) {  // an empty page may leave objects out
    AddStixVerdicts(stix::ConvertDocument(*envelope, stix::InboundContext{options_.province}), url,
                    chunk, tally_);
    objects_ += (*envelope)["objects"].is_array() ? (*envelope)["objects"].size() : 0;
  }
  const std::string previous_added_after = added_after_;
  if (IsStixTime(response.date_added_last)) added_after_ = response.date_added_last;
  next_ = next.is_string() ? next.get<std::string>() : std::string();
  if (more && next_.empty() && added_after_ == previous_added_after) {
    throw std::runtime_error(url +
                             ": the server says more objects follow but gives neither "
                             "next nor a new X-TAXII-Date-Added-Last to ask for them");
  }
  ++pages_;
  SaveCursor(chunk.progress);
  if (!more) {
    at_end_ = true;
    if (options_.poll.count() == 0) {
      done_ = true;
      chunk.notes.push_back(Key(options_) + ": this run read " + tally_.Summary() + "; " +
                            std::to_string(pages_) + " pages since the first run");
    }
  }
  return true;
}

}  // namespace sitrep::collector
