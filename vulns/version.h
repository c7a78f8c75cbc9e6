#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

// Version strings and version ranges as ICS vendors write them in CSAF 2.0 product trees
// (CISA's ICS advisories of 2023 and 2024, ../shared/datasets/csaf-ics-*). Pure functions.
//
// Comparing two versions (CompareVersions):
//  - Case is ignored. A leading "v", "v.", "ver." or "version" before a digit is dropped, so
//    "V2.3.1" == "2.3.1" == "Ver.2.3.1".
//  - Month-name dates ("April/17/2023", "May_1_2024") become year.month.day.
//  - The rest splits into runs of digits and runs of letters; '.', '-', '_', ' ', '/', '+'
//    only separate. "4.0 SP2" is [4, 0, sp, 2]; "R2022a" is [r, 2022, a]; "1.04E" is
//    [1, 4, e]. "upd" and "u" mean "update".
//  - Digit runs compare numerically, segment by segment as vendors number releases
//    ("9.40" > "9.6" because 40 > 6; "12.0.14" > "12.0.9"); leading zeros do not count
//    ("01.49" == "1.49").
//  - Letter runs compare alphabetically (A8 < A12 < B1; R9C < R10C).
//  - A version that is a prefix of the other: missing numeric segments count as 0 ("1.0" ==
//    "1.0.0"); a further letter qualifier ranks higher ("4.0" < "4.0 SP2", "V17" <
//    "V17 Update 6", "1.01" < "1.01B"). Pre-release tags ("rc", "beta") do not occur in
//    this data and are not ranked lower.
//  - A digit run against a letter run at the same place ("R1.02" against "1.02", "4.0.1"
//    against "4.0 SP2") has no order: CompareVersions answers nullopt and a match against it
//    is "needs review", never a guess.
//  - A trailing "x" is a wildcard: "4.x" stands for every 4.* ("<= 10.x" takes 10.99).
//
// Range expressions (ParseRange) in the forms found in the data:
//  - "vers:all/*" (every version, even an unknown one);
//  - "vers:<scheme>/<constraints>", constraints joined by '|' or written back to back
//    (">=V7.80<V9.40");
//  - operator strings: "<=12.1.3", ">=5.0|<7.17.0.0", ">= 12.0.1 | <= 12.0.14",
//    ">= 2.2.0 < 2.2.3", "=<8.5", ">=13.0.0 | <= 13.0.2 | 13.1.0";
//  - bare versions and lists of them ("10.1.1", "5.0|5.1"): those versions exactly.
//  - "All versions < V15.1 Update 8": the leading "All versions" is dropped;
//  - a bound with a condition: "(...)" anywhere ("<= 6.4.0.0 (CVE-2022-37434 only)",
//    "1.01.14 (build 172)") or a version followed by words
//    ("<=B13__without_Special_Modification_Patch_…_installed", "<=Ver.2.41_affected_only_by"):
//    the version is the bound, the rest a condition the engine cannot check, so a version
//    outside the range is no match and one inside needs review;
//  - one fixed version per release line: "<V33.017_V34.014_V35.013_V36.011" (each line below
//    its own fixed version is affected; a line older than all listed is, a newer one is not,
//    one between listed lines needs review).
// Constraints are read in order: a lower bound (">", ">=") followed by an upper bound ("<",
// "<=") or by a bare version (">= 2.0.0 | 2.6.2", whose advisory says "up to and including")
// is one interval; a lone lower or upper bound is open on the other side; a bare version
// is itself. A version is in the range when it is in any interval.
// Anything else is free text (a product name or prose before the version, a serial number, a
// commit hash, an empty bound, bounds that enclose nothing, unbalanced parentheses):
// ParseRange returns a range with free_text set and the reason, and every match against it
// is "needs review". Of the data's 2,189 product_version_range values 56 are free text
// (RangeFormFullDataTest counts them).
namespace sitrep::vulns {

struct VersionToken {
  bool numeric = false;
  std::string text;  // digits without leading zeros, or lower-case letters
};

struct Version {
  std::vector<VersionToken> tokens;
  bool wildcard = false;  // ended in "x": stands for every version with these tokens first
};

// Splits `text` into tokens as described above. Empty when `text` has no letter or digit.
[[nodiscard]] Version ParseVersion(std::string_view text);

// <0, 0, >0 as a is below, equal to, above b; nullopt when they have no order. A wildcard
// on `b` compares only as many tokens of `a` as `b` has.
[[nodiscard]] std::optional<int> CompareVersions(const Version& a, const Version& b);

// Whether `text` reads as one version (digits, letters and qualifiers such as "SP2",
// "Update 6", "build221212") rather than prose or a product name.
[[nodiscard]] bool IsPlainVersion(std::string_view text);

enum class Op { kLess, kLessEqual, kGreater, kGreaterEqual, kEqual };

struct Constraint {
  Op op = Op::kEqual;
  std::string text;  // the version as written
  Version version;
  // "<V33.017_V34.014": the fixed version of each release line (first token); an upper bound
  // against the asset's own line, `version` unused.
  std::vector<Version> per_line;
};

struct Interval {
  std::optional<Constraint> lower;  // > or >=, or = for a single version
  std::optional<Constraint> upper;  // < or <=
  bool exact = false;               // a single version: lower holds it
};

struct Range {
  std::string expression;  // as written
  bool all = false;        // vers:all/*
  bool free_text = false;  // not a form the engine reads
  std::string free_text_reason;
  std::string condition;  // words the engine cannot check: inside the range needs review
  std::vector<Interval> intervals;
};

[[nodiscard]] Range ParseRange(std::string_view expression);

enum class InRange { kYes, kNo, kUnknown };

struct RangeAnswer {
  InRange in = InRange::kUnknown;
  std::string reason;  // one sentence: why yes, no or unknown
};

// Whether `version` (as the asset reports it) lies in `range`. Unknown for free text, an
// empty asset version (except vers:all/*) or versions without an order.
[[nodiscard]] RangeAnswer Contains(const Range& range, std::string_view version);

}  // namespace sitrep::vulns
