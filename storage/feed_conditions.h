#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "domain/page_token.h"
#include "sitrep/v1/common.pb.h"

namespace sitrep::storage {

// The WHERE clause and LIMIT of a feed or list query with positional parameters, all passed as
// text and cast in SQL, so no value is ever spliced into the statement. Shared by every
// commit-ordered feed (feed_store.cc, vulnerability_store.cc); internal to storage/.
class Conditions final {
 public:
  // Adds `sql`, in which every "?" stands for the next of `values`. Throws std::out_of_range
  // when `values` has fewer than the "?"s.
  void Add(const std::string& sql, std::vector<std::string> values = {});

  // The page size as a parameter too, so that one statement text serves every page size.
  void Limit(int limit);

  // Adds one more parameter without a condition and returns its placeholder ("$7"), for a
  // value the select list uses.
  [[nodiscard]] std::string Param(std::string value);

  [[nodiscard]] const std::string& where() const { return where_; }
  [[nodiscard]] const std::string& limit() const { return limit_; }
  [[nodiscard]] const std::vector<std::string>& params() const { return params_; }

 private:
  std::string where_;
  std::string limit_;
  std::vector<std::string> params_;
};

// `text` as an ILIKE pattern matching it anywhere, its own wildcards escaped.
[[nodiscard]] std::string ContainsPattern(const std::string& text);

// `column` within `range` (start inclusive, end exclusive); an unset end does not limit.
void AddTimeRange(Conditions& conditions, const char* column, const v1::TimeRange& range);

// The feed's window: after the cursor, and before every transaction still running (the
// horizon, read at the start of the page's transaction; storage/feed_horizon.h), so that a row
// committing later can never land behind a position already served. `prefix` qualifies the
// feed columns ("a." for a table aliased a).
void AddFeedWindow(Conditions& conditions, FeedPosition after, uint64_t horizon,
                   const std::string& prefix = "");

}  // namespace sitrep::storage
