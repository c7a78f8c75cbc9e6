#include "vulns/version.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <utility>

namespace sitrep::vulns {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
char Lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

std::string LowerCopy(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = Lower(c);
  return out;
}

std::string_view Trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

// "April/17/2023" or "May_1_2024" → "2023.4.17"; anything else unchanged.
std::string MonthDateToVersion(const std::string& lower) {
  static constexpr std::array<std::string_view, 12> kMonths = {
      "january", "february", "march",     "april",   "may",      "june",
      "july",    "august",   "september", "october", "november", "december"};
  for (size_t m = 0; m < kMonths.size(); ++m) {
    if (!lower.starts_with(kMonths[m])) continue;
    std::vector<std::string> numbers;
    std::string current;
    for (size_t i = kMonths[m].size(); i <= lower.size(); ++i) {
      if (i < lower.size() && IsDigit(lower[i])) {
        current += lower[i];
      } else if (i < lower.size() && lower[i] != '/' && lower[i] != '_' && lower[i] != ' ') {
        return lower;
      } else if (!current.empty()) {
        numbers.push_back(std::move(current));
        current.clear();
      }
    }
    if (numbers.size() != 2) return lower;
    return numbers[1] + "." + std::to_string(m + 1) + "." + numbers[0];
  }
  return lower;
}

// Drops "v", "v.", "ver.", "version" when a digit follows.
std::string_view DropVersionPrefix(std::string_view lower) {
  for (std::string_view prefix : {"version", "ver.", "ver", "v.", "v"}) {
    if (lower.starts_with(prefix)) {
      std::string_view rest = Trim(lower.substr(prefix.size()));
      if (!rest.empty() && IsDigit(rest.front())) return rest;
    }
  }
  return lower;
}

std::string StripLeadingZeros(std::string digits) {
  size_t first = digits.find_first_not_of('0');
  return first == std::string::npos ? "0" : digits.substr(first);
}

int CompareNumbers(const std::string& a, const std::string& b) {
  if (a.size() != b.size()) return a.size() < b.size() ? -1 : 1;
  return a.compare(b) < 0 ? -1 : (a == b ? 0 : 1);
}

// Qualifier words that may stand in a version without making it prose.
bool IsQualifier(std::string_view word) {
  static constexpr std::array<std::string_view, 19> kWords = {
      "update", "upd", "build", "hotfix", "patch", "feature", "pack", "ver", "version", "rev",
      "sp",     "hf",  "fp",    "cu",     "sr",    "mp",      "ga",   "tcu", "firmware"};
  return std::find(kWords.begin(), kWords.end(), word) != kWords.end();
}

std::optional<std::pair<Op, size_t>> ReadOp(std::string_view text) {
  static constexpr std::array<std::pair<std::string_view, Op>, 7> kOps = {{
      {">=", Op::kGreaterEqual},
      {"=>", Op::kGreaterEqual},
      {"<=", Op::kLessEqual},
      {"=<", Op::kLessEqual},
      {">", Op::kGreater},
      {"<", Op::kLess},
      {"=", Op::kEqual},
  }};
  for (const auto& [symbol, op] : kOps) {
    if (text.starts_with(symbol)) return std::make_pair(op, symbol.size());
  }
  return std::nullopt;
}

Range FreeText(Range range, std::string reason) {
  range.free_text = true;
  range.free_text_reason = std::move(reason);
  range.intervals.clear();
  return range;
}

// "V33.017_V34.014_V35.013" / "v36.011_v35.013": one "v"-prefixed version per release line.
std::optional<std::vector<Version>> PerLineVersions(std::string_view text) {
  std::vector<Version> lines;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find('_', start);
    std::string_view piece = text.substr(start, end == std::string_view::npos ? end : end - start);
    if (piece.size() < 2 || (piece[0] != 'v' && piece[0] != 'V') || !IsDigit(piece[1])) {
      return std::nullopt;
    }
    for (char c : piece.substr(1)) {
      if (!IsDigit(c) && c != '.') return std::nullopt;
    }
    lines.push_back(ParseVersion(piece));
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  if (lines.size() < 2) return std::nullopt;
  return lines;
}

// "B13__without_Special_Modification_Patch_…", "Ver.2.41_affected_only_by": a version with a
// digit, then a separator and words. Returns (version, words); nullopt when the text does not
// start with a version (a product name in front: "TitanNit_2.01").
std::optional<std::pair<std::string, std::string>> SplitAnnotation(std::string_view text) {
  for (size_t i = 1; i < text.size(); ++i) {
    if (std::string_view(" _-").find(text[i]) == std::string_view::npos) continue;
    size_t word = text.find_first_not_of(" _-", i);
    if (word == std::string_view::npos) break;
    size_t word_end = word;
    while (word_end < text.size() && IsAlpha(text[word_end])) ++word_end;
    std::string lower_word = LowerCopy(text.substr(word, word_end - word));
    const bool glued_to_number = word_end < text.size() && IsDigit(text[word_end]);
    if (lower_word.size() < 2 || IsQualifier(lower_word) || glued_to_number) continue;
    std::string_view version = Trim(text.substr(0, i));
    if (!IsPlainVersion(version) || version.find_first_of("0123456789") == std::string_view::npos) {
      return std::nullopt;
    }
    std::string words(text.substr(word));
    for (char& c : words) c = c == '_' ? ' ' : c;
    return std::make_pair(std::string(version), words);
  }
  return std::nullopt;
}

// Splits one '|'-part into constraints: "<=1.2", ">= 2.2.0 < 2.2.3", "1.0" (bare = exact).
// nullopt with `why` set when a piece is not a version.
std::optional<std::vector<Constraint>> ReadConstraints(std::string_view part, std::string& why,
                                                       std::string& condition) {
  std::vector<Constraint> out;
  part = Trim(part);
  while (!part.empty()) {
    Op op = Op::kEqual;
    if (auto read = ReadOp(part)) {
      op = read->first;
      part = Trim(part.substr(read->second));
    }
    size_t end = part.find_first_of("<>=");
    std::string_view text = Trim(part.substr(0, end));
    part = end == std::string_view::npos ? std::string_view() : part.substr(end);
    if (text.size() >= 2 && text.front() == '"' && text.back() == '"') {
      text = text.substr(1, text.size() - 2);
    }
    if (text.empty()) {
      why = "a bound has no version";
      return std::nullopt;
    }
    if (op == Op::kLess || op == Op::kLessEqual) {
      if (auto lines = PerLineVersions(text)) {
        out.push_back(Constraint{op, std::string(text), Version{}, std::move(*lines)});
        continue;
      }
    }
    std::string version(text);
    if (!IsPlainVersion(version)) {
      auto split = SplitAnnotation(text);
      if (!split) {
        why = "\"" + std::string(text) + "\" is not a version";
        return std::nullopt;
      }
      version = split->first;
      if (!condition.empty()) condition += "; ";
      condition += split->second;
    }
    out.push_back(Constraint{op, version, ParseVersion(version), {}});
  }
  return out;
}

bool IsLower(Op op) { return op == Op::kGreater || op == Op::kGreaterEqual; }
bool IsUpper(Op op) { return op == Op::kLess || op == Op::kLessEqual; }

// Groups constraints into intervals in the order written; false with `why` when the sequence
// has no single reading.
bool GroupIntervals(const std::vector<Constraint>& constraints, std::vector<Interval>& out,
                    std::string& why) {
  for (size_t i = 0; i < constraints.size(); ++i) {
    const Constraint& c = constraints[i];
    Interval interval;
    if (c.op == Op::kEqual) {
      interval.lower = c;
      interval.exact = true;
    } else if (IsLower(c.op)) {
      interval.lower = c;
      if (i + 1 < constraints.size() && IsUpper(constraints[i + 1].op)) {
        interval.upper = constraints[++i];
      } else if (i + 1 < constraints.size() && constraints[i + 1].op == Op::kEqual) {
        // ">= 2.0.0 | 2.6.2": the advisory's text says "2.0.0 up to and including 2.6.2".
        interval.upper = constraints[++i];
        interval.upper->op = Op::kLessEqual;
      } else if (i + 1 < constraints.size()) {
        why = "a lower bound is followed by another lower bound";
        return false;
      }
    } else {
      interval.upper = c;
    }
    if (interval.lower && interval.upper && interval.upper->per_line.empty()) {
      std::optional<int> order = CompareVersions(interval.lower->version, interval.upper->version);
      if (!order || *order > 0) {
        why = "the bounds " + interval.lower->text + " and " + interval.upper->text +
              " have no order or enclose nothing";
        return false;
      }
    }
    out.push_back(std::move(interval));
  }
  return true;
}

const char* OpText(Op op) {
  switch (op) {
    case Op::kLess:
      return "<";
    case Op::kLessEqual:
      return "<=";
    case Op::kGreater:
      return ">";
    case Op::kGreaterEqual:
      return ">=";
    case Op::kEqual:
      return "=";
  }
  return "?";
}

// A per-line upper bound: the asset's release line is its first token.
std::optional<bool> BelowItsLine(const Version& version, const Constraint& c) {
  if (version.tokens.empty()) return std::nullopt;
  bool below_all = true, above_all = true;
  for (const Version& fixed : c.per_line) {
    if (fixed.tokens.empty()) continue;
    std::optional<int> order = CompareVersions(version, fixed);
    if (!order) return std::nullopt;
    if (fixed.tokens.front().text == version.tokens.front().text &&
        fixed.tokens.front().numeric == version.tokens.front().numeric) {
      return c.op == Op::kLess ? *order < 0 : *order <= 0;
    }
    below_all = below_all && *order < 0;
    above_all = above_all && *order > 0;
  }
  if (below_all) return true;
  if (above_all) return false;
  return std::nullopt;  // a line between the listed ones: not named
}

// Whether `version` satisfies `c`; nullopt when they have no order.
std::optional<bool> Satisfies(const Version& version, const Constraint& c) {
  if (!c.per_line.empty()) return BelowItsLine(version, c);
  std::optional<int> order = CompareVersions(version, c.version);
  if (!order) return std::nullopt;
  switch (c.op) {
    case Op::kLess:
      return *order < 0;
    case Op::kLessEqual:
      return *order <= 0;
    case Op::kGreater:
      return *order > 0;
    case Op::kGreaterEqual:
      return *order >= 0;
    case Op::kEqual:
      return *order == 0;
  }
  return std::nullopt;
}

// Moves each "(...)" of `text` into `condition` ("; "-joined); false when unbalanced.
bool TakeParenthesised(std::string_view text, std::string& rest, std::string& condition) {
  int depth = 0;
  std::string group;
  for (char c : text) {
    if (c == '(' && depth++ == 0) continue;
    if (c == ')') {
      if (depth == 0) return false;
      if (--depth == 0) {
        if (!condition.empty()) condition += "; ";
        condition += std::string(Trim(group));
        group.clear();
        continue;
      }
    }
    (depth > 0 ? group : rest) += c;
  }
  return depth == 0;
}

}  // namespace

Version ParseVersion(std::string_view text) {
  std::string lower = MonthDateToVersion(LowerCopy(Trim(text)));
  std::string_view rest = DropVersionPrefix(lower);
  Version version;
  size_t i = 0;
  while (i < rest.size()) {
    char c = rest[i];
    if (!IsDigit(c) && !IsAlpha(c)) {
      ++i;
      continue;
    }
    bool numeric = IsDigit(c);
    size_t start = i;
    while (i < rest.size() && (numeric ? IsDigit(rest[i]) : IsAlpha(rest[i]))) ++i;
    std::string run(rest.substr(start, i - start));
    if (numeric) run = StripLeadingZeros(std::move(run));
    if (run == "upd" || run == "u") run = "update";
    version.tokens.push_back(VersionToken{numeric, std::move(run)});
  }
  if (!version.tokens.empty() && !version.tokens.back().numeric &&
      version.tokens.back().text == "x") {
    version.tokens.pop_back();
    version.wildcard = true;
  }
  return version;
}

std::optional<int> CompareVersions(const Version& a, const Version& b) {
  size_t length = std::max(a.tokens.size(), b.tokens.size());
  if (b.wildcard) length = b.tokens.size();
  for (size_t i = 0; i < length; ++i) {
    const bool has_a = i < a.tokens.size();
    const bool has_b = i < b.tokens.size();
    if (has_a && has_b) {
      const VersionToken& x = a.tokens[i];
      const VersionToken& y = b.tokens[i];
      if (x.numeric != y.numeric) return std::nullopt;
      int order = x.numeric ? CompareNumbers(x.text, y.text) : x.text.compare(y.text);
      if (order != 0) return order < 0 ? -1 : 1;
      continue;
    }
    // One side ended: zeros are no difference, a qualifier or a further number ranks higher.
    const VersionToken& extra = has_a ? a.tokens[i] : b.tokens[i];
    if (extra.numeric && extra.text == "0") continue;
    return has_a ? 1 : -1;
  }
  return 0;
}

bool IsPlainVersion(std::string_view text) {
  std::string lower = MonthDateToVersion(LowerCopy(Trim(text)));
  if (lower.empty()) return false;
  bool has_alnum = false;
  int version_marks = 0;  // "v" followed by digits: two mean two versions glued together
  for (size_t i = 0; i < lower.size();) {
    char c = lower[i];
    if (IsDigit(c)) {
      has_alnum = true;
      ++i;
      continue;
    }
    if (IsAlpha(c)) {
      size_t start = i;
      while (i < lower.size() && IsAlpha(lower[i])) ++i;
      std::string_view word(lower.data() + start, i - start);
      if (word.size() >= 3 && !IsQualifier(word)) return false;
      if (word == "v" && i < lower.size() && IsDigit(lower[i])) ++version_marks;
      has_alnum = true;
      continue;
    }
    if (std::string_view(" ._-/+*").find(c) == std::string_view::npos) return false;
    ++i;
  }
  return has_alnum && version_marks < 2;
}

Range ParseRange(std::string_view expression) {
  Range range;
  range.expression = std::string(expression);
  std::string_view body = Trim(expression);
  if (body.starts_with("vers:")) {
    size_t slash = body.find('/');
    if (slash == std::string_view::npos) return FreeText(range, "a vers: range without '/'");
    body = Trim(body.substr(slash + 1));
    if (body == "*") {
      range.all = true;
      return range;
    }
  }
  if (LowerCopy(body.substr(0, 12)) == "all versions") body = Trim(body.substr(12));
  if (body.empty()) return FreeText(range, "the range is empty");
  std::string without_groups;
  if (!TakeParenthesised(body, without_groups, range.condition)) {
    return FreeText(range, "unbalanced parentheses");
  }
  body = Trim(without_groups);
  std::vector<Constraint> constraints;
  size_t start = 0;
  while (start <= body.size()) {
    size_t bar = body.find('|', start);
    std::string_view part =
        body.substr(start, bar == std::string_view::npos ? std::string_view::npos : bar - start);
    std::string why;
    auto read = ReadConstraints(part, why, range.condition);
    if (!read) return FreeText(range, why);
    if (read->empty()) return FreeText(range, "an empty part between '|'");
    constraints.insert(constraints.end(), read->begin(), read->end());
    if (bar == std::string_view::npos) break;
    start = bar + 1;
  }
  std::string why;
  if (!GroupIntervals(constraints, range.intervals, why)) return FreeText(range, why);
  return range;
}

RangeAnswer Contains(const Range& range, std::string_view version_text) {
  if (range.free_text) {
    return {InRange::kUnknown,
            "the range \"" + range.expression + "\" is free text (" + range.free_text_reason + ")"};
  }
  if (range.all) return {InRange::kYes, "the range \"" + range.expression + "\" is every version"};
  std::string_view trimmed = Trim(version_text);
  if (trimmed.empty()) return {InRange::kUnknown, "the asset reports no version"};
  Version version = ParseVersion(trimmed);
  if (version.tokens.empty()) {
    return {InRange::kUnknown,
            "the asset version \"" + std::string(trimmed) + "\" has no digit or letter"};
  }
  bool unknown = false;
  std::string unordered;
  for (const Interval& interval : range.intervals) {
    bool inside = true;
    for (const auto* bound : {&interval.lower, &interval.upper}) {
      if (!*bound || !inside) continue;
      std::optional<bool> ok = Satisfies(version, **bound);
      if (!ok) {
        unknown = true;
        unordered = (*bound)->text;
        inside = false;
      } else if (!*ok) {
        inside = false;
      }
    }
    if (inside) {
      std::string what = interval.exact ? "= " + interval.lower->text : "";
      if (!interval.exact) {
        if (interval.lower)
          what += std::string(OpText(interval.lower->op)) + " " + interval.lower->text;
        if (interval.lower && interval.upper) what += " and ";
        if (interval.upper)
          what += std::string(OpText(interval.upper->op)) + " " + interval.upper->text;
      }
      std::string where = "version \"" + std::string(trimmed) + "\" is " + what + " in \"" +
                          range.expression + "\"";
      if (!range.condition.empty()) {
        return {InRange::kUnknown, where + ", affected only if: " + range.condition};
      }
      return {InRange::kYes, where};
    }
  }
  if (unknown) {
    return {InRange::kUnknown, "version \"" + std::string(trimmed) + "\" has no order against \"" +
                                   unordered + "\" in \"" + range.expression + "\""};
  }
  return {InRange::kNo,
          "version \"" + std::string(trimmed) + "\" is outside \"" + range.expression + "\""};
}

}  // namespace sitrep::vulns
