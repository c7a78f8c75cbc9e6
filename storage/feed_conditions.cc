#include "storage/feed_conditions.h"

#include <utility>

#include "storage/sql_types.h"

namespace sitrep::storage {

void Conditions::Add(const std::string& sql, std::vector<std::string> values) {
  std::string condition;
  size_t next = 0;
  for (const char c : sql) {
    if (c == '?') {
      params_.push_back(std::move(values.at(next++)));
      condition += "$" + std::to_string(params_.size());
    } else {
      condition += c;
    }
  }
  where_ += (where_.empty() ? " WHERE " : " AND ") + condition;
}

void Conditions::Limit(int limit) {
  params_.push_back(std::to_string(limit));
  limit_ = " LIMIT $" + std::to_string(params_.size()) + "::integer";
}

std::string Conditions::Param(std::string value) {
  params_.push_back(std::move(value));
  return "$" + std::to_string(params_.size());
}

std::string ContainsPattern(const std::string& text) {
  std::string pattern = "%";
  for (const char c : text) {
    if (c == '%' || c == '_' || c == '\\') pattern += '\\';
    pattern += c;
  }
  return pattern + "%";
}

void AddTimeRange(Conditions& conditions, const char* column, const v1::TimeRange& range) {
  if (range.has_start_time()) {
    conditions.Add(std::string(column) + " >= sitrep_time(?::bigint)",
                   {std::to_string(ToMicros(range.start_time()))});
  }
  if (range.has_end_time()) {
    conditions.Add(std::string(column) + " < sitrep_time(?::bigint)",
                   {std::to_string(ToMicros(range.end_time()))});
  }
}

void AddFeedWindow(Conditions& conditions, FeedPosition after, uint64_t horizon,
                   const std::string& prefix) {
  conditions.Add("(" + prefix + "feed_xid, " + prefix + "feed_seq) > (?::xid8, ?::bigint)",
                 {std::to_string(after.xid), std::to_string(after.seq)});
  conditions.Add(prefix + "feed_xid < ?::xid8", {std::to_string(horizon)});
}

}  // namespace sitrep::storage
