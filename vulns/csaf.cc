#include "vulns/csaf.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <initializer_list>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <utility>

#include "sitrep/v1/vulnerability.pb.h"

namespace sitrep::vulns {
namespace {

using Json = nlohmann::json;

// Rule names, one spelling each: the tests and the reject logs compare them.
constexpr const char* kRequired = "schema: required";
constexpr const char* kType = "schema: type";
constexpr const char* kEnum = "schema: enum";
constexpr const char* kPattern = "schema: pattern";
constexpr const char* kMinLength = "schema: minLength";
constexpr const char* kMinItems = "schema: minItems";
constexpr const char* kFormat = "schema: format date-time";
constexpr const char* kAdditional = "schema: additionalProperties";
constexpr const char* kRange = "schema: minimum/maximum";

// Nesting depth of `json` without building anything: brackets outside strings.
int NestingDepth(std::string_view json) {
  int depth = 0;
  int deepest = 0;
  bool in_string = false;
  bool escaped = false;
  for (char c : json) {
    if (in_string) {
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      deepest = std::max(deepest, ++depth);
    } else if (c == '}' || c == ']') {
      --depth;
    }
  }
  return deepest;
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}
bool IsAlnumOrHyphen(char c) {
  return IsDigit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-';
}

bool AllDigits(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), IsDigit);
}

// A numeric identifier of semver and of integer versioning: no leading zero.
bool IsNumericId(std::string_view text) {
  return AllDigits(text) && (text.size() == 1 || text.front() != '0');
}

struct DocVersion {
  bool integer = false;  // integer versioning ("3"); otherwise semantic ("1.0.2-rc.1+b5")
  std::string major;     // the integer, or the semver major
  std::string minor;
  std::string patch;
  std::string pre_release;
  std::string build;
};

bool ValidIdentifiers(std::string_view text, bool numeric_without_zero) {
  if (text.empty()) return false;
  std::size_t start = 0;
  while (true) {
    std::size_t dot = text.find('.', start);
    std::string_view id =
        text.substr(start, dot == std::string_view::npos ? text.npos : dot - start);
    if (id.empty() || !std::all_of(id.begin(), id.end(), IsAlnumOrHyphen)) return false;
    if (numeric_without_zero && AllDigits(id) && !IsNumericId(id)) return false;
    if (dot == std::string_view::npos) return true;
    start = dot + 1;
  }
}

// /definitions/version_t: integer versioning or semantic versioning 2.0.0.
std::optional<DocVersion> ParseDocVersion(std::string_view text) {
  DocVersion version;
  if (IsNumericId(text)) {
    version.integer = true;
    version.major = std::string(text);
    return version;
  }
  std::size_t plus = text.find('+');
  if (plus != std::string_view::npos) {
    version.build = std::string(text.substr(plus + 1));
    if (!ValidIdentifiers(version.build, false)) return std::nullopt;
    text = text.substr(0, plus);
  }
  std::size_t hyphen = text.find('-');
  if (hyphen != std::string_view::npos) {
    version.pre_release = std::string(text.substr(hyphen + 1));
    if (!ValidIdentifiers(version.pre_release, true)) return std::nullopt;
    text = text.substr(0, hyphen);
  }
  std::array<std::string*, 3> parts{&version.major, &version.minor, &version.patch};
  for (std::size_t i = 0; i < parts.size(); ++i) {
    std::size_t dot = text.find('.');
    if ((i < 2) != (dot != std::string_view::npos)) return std::nullopt;
    std::string_view part = text.substr(0, dot);
    if (!IsNumericId(part)) return std::nullopt;
    *parts[i] = std::string(part);
    text = dot == std::string_view::npos ? std::string_view{} : text.substr(dot + 1);
  }
  return version;
}

// Numbers without leading zeros of any length: the longer is larger.
int CompareNumeric(const std::string& a, const std::string& b) {
  if (a.size() != b.size()) return a.size() < b.size() ? -1 : 1;
  return a.compare(b) < 0 ? -1 : (a == b ? 0 : 1);
}

// Semantic-versioning precedence (build metadata ignored); integer versions by value.
int ComparePrecedence(const DocVersion& a, const DocVersion& b) {
  for (auto part : {&DocVersion::major, &DocVersion::minor, &DocVersion::patch}) {
    if (int c = CompareNumeric(a.*part, b.*part); c != 0) return c;
  }
  if (a.pre_release.empty() != b.pre_release.empty()) return a.pre_release.empty() ? 1 : -1;
  return a.pre_release < b.pre_release ? -1 : (a.pre_release == b.pre_release ? 0 : 1);
}

bool IsZeroVersion(const DocVersion& version) { return version.major == "0"; }

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil).
std::int64_t DaysFromCivil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2 ? 1 : 0;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

bool LeapYear(int year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

std::optional<int> Digits(std::string_view text, std::size_t at, std::size_t count) {
  if (at + count > text.size()) return std::nullopt;
  int value = 0;
  for (std::size_t i = at; i < at + count; ++i) {
    if (!IsDigit(text[i])) return std::nullopt;
    value = value * 10 + (text[i] - '0');
  }
  return value;
}

// RFC 3339 date-time: YYYY-MM-DDThh:mm:ss[.fraction](Z|±hh:mm).
std::optional<CsafTime> ParseDateTime(std::string_view text) {
  auto year = Digits(text, 0, 4);
  auto month = Digits(text, 5, 2);
  auto day = Digits(text, 8, 2);
  auto hour = Digits(text, 11, 2);
  auto minute = Digits(text, 14, 2);
  auto second = Digits(text, 17, 2);
  if (!year || !month || !day || !hour || !minute || !second || text[4] != '-' || text[7] != '-' ||
      (text[10] != 'T' && text[10] != 't') || text[13] != ':' || text[16] != ':') {
    return std::nullopt;
  }
  static constexpr std::array<int, 12> kDays{31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (*month < 1 || *month > 12) return std::nullopt;
  int days_in_month =
      kDays[static_cast<std::size_t>(*month - 1)] + (*month == 2 && LeapYear(*year) ? 1 : 0);
  if (*day < 1 || *day > days_in_month || *hour > 23 || *minute > 59 || *second > 60) {
    return std::nullopt;
  }
  std::size_t at = 19;
  std::int32_t nanos = 0;
  if (at < text.size() && text[at] == '.') {
    std::size_t digits = 0;
    for (++at; at < text.size() && IsDigit(text[at]); ++at, ++digits) {
      if (digits < 9) nanos = nanos * 10 + (text[at] - '0');
    }
    if (digits == 0) return std::nullopt;
    for (; digits < 9; ++digits) nanos *= 10;
  }
  if (at >= text.size()) return std::nullopt;
  int offset_minutes = 0;
  if (text[at] == 'Z' || text[at] == 'z') {
    ++at;
  } else if (text[at] == '+' || text[at] == '-') {
    auto offset_hour = Digits(text, at + 1, 2);
    auto offset_minute = Digits(text, at + 4, 2);
    if (!offset_hour || !offset_minute || text[at + 3] != ':' || *offset_hour > 23 ||
        *offset_minute > 59) {
      return std::nullopt;
    }
    offset_minutes = (*offset_hour * 60 + *offset_minute) * (text[at] == '-' ? -1 : 1);
    at += 6;
  } else {
    return std::nullopt;
  }
  if (at != text.size()) return std::nullopt;
  CsafTime time;
  time.text = std::string(text);
  time.seconds =
      DaysFromCivil(*year, static_cast<unsigned>(*month), static_cast<unsigned>(*day)) * 86400 +
      *hour * 3600 + *minute * 60 + std::min(*second, 59) - offset_minutes * 60;
  time.nanos = nanos;
  return time;
}

bool Before(const CsafTime& a, const CsafTime& b) {
  return a.seconds != b.seconds ? a.seconds < b.seconds : a.nanos < b.nanos;
}

// ^CVE-[0-9]{4}-[0-9]{4,}$
bool IsCveId(std::string_view text) {
  return text.size() >= 13 && text.starts_with("CVE-") && AllDigits(text.substr(4, 4)) &&
         text[8] == '-' && AllDigits(text.substr(9));
}

// ^CWE-[1-9]\d{0,5}$
bool IsCweId(std::string_view text) {
  std::string_view number = text.substr(std::min<std::size_t>(4, text.size()));
  return text.starts_with("CWE-") && AllDigits(number) && number.size() <= 6 &&
         number.front() != '0';
}

// ^[\S](.*[\S])?$ (the tracking id) and ^[^\s\-_\.](.*[^\s\-_\.])?$ (the document category).
bool TrimmedBy(std::string_view text, bool also_punctuation) {
  auto bad = [&](char c) {
    return IsSpace(c) || (also_punctuation && (c == '-' || c == '_' || c == '.'));
  };
  return !text.empty() && !bad(text.front()) && !bad(text.back());
}

// CVSS v3.x: the metrics of a vector string and the base score they give (FIRST's
// specification §7; the 3.1 Roundup, which equals 3.0's for every reachable value).
const std::map<std::string, std::string, std::less<>>& CvssV3Metrics() {
  static const auto* metrics = new std::map<std::string, std::string, std::less<>>{
      {"AV", "NALP"}, {"AC", "LH"},    {"PR", "NLH"},  {"UI", "NR"},   {"S", "UC"},
      {"C", "NLH"},   {"I", "NLH"},    {"A", "NLH"},   {"E", "XUPFH"}, {"RL", "XOTWU"},
      {"RC", "XURC"}, {"CR", "XLMH"},  {"IR", "XLMH"}, {"AR", "XLMH"}, {"MAV", "XNALP"},
      {"MAC", "XLH"}, {"MPR", "XNLH"}, {"MUI", "XNR"}, {"MS", "XUC"},  {"MC", "XNLH"},
      {"MI", "XNLH"}, {"MA", "XNLH"}};
  return *metrics;
}

// The metric → value map of a v3.x vector, or nullopt when it does not keep the pattern of
// its version (prefix, known metrics with their values, each once, every base metric).
std::optional<std::map<std::string, char>> ParseCvssV3Vector(std::string_view vector,
                                                             std::string_view version) {
  std::string prefix = "CVSS:" + std::string(version) + "/";
  if (!vector.starts_with(prefix)) return std::nullopt;
  std::map<std::string, char> values;
  std::string_view rest = vector.substr(prefix.size());
  while (!rest.empty()) {
    std::size_t slash = rest.find('/');
    std::string_view item = rest.substr(0, slash);
    rest = slash == std::string_view::npos ? std::string_view{} : rest.substr(slash + 1);
    if (slash != std::string_view::npos && rest.empty()) return std::nullopt;
    std::size_t colon = item.find(':');
    if (colon == std::string_view::npos || colon + 2 != item.size()) return std::nullopt;
    auto metric = CvssV3Metrics().find(item.substr(0, colon));
    if (metric == CvssV3Metrics().end() || metric->second.find(item.back()) == std::string::npos ||
        !values.emplace(metric->first, item.back()).second) {
      return std::nullopt;
    }
  }
  for (const char* base : {"AV", "AC", "PR", "UI", "S", "C", "I", "A"}) {
    if (!values.contains(base)) return std::nullopt;
  }
  return values;
}

double Roundup(double value) {
  auto scaled = static_cast<std::int64_t>(std::llround(value * 100000));
  if (scaled % 10000 == 0) return static_cast<double>(scaled) / 100000.0;
  return (std::floor(static_cast<double>(scaled) / 10000.0) + 1) / 10.0;
}

double CvssV3BaseScore(const std::map<std::string, char>& m) {
  auto cia = [](char v) { return v == 'H' ? 0.56 : v == 'L' ? 0.22 : 0.0; };
  const bool changed = m.at("S") == 'C';
  const double iss = 1 - (1 - cia(m.at("C"))) * (1 - cia(m.at("I"))) * (1 - cia(m.at("A")));
  const double impact =
      changed ? 7.52 * (iss - 0.029) - 3.25 * std::pow(iss - 0.02, 15) : 6.42 * iss;
  const char av = m.at("AV");
  const char pr = m.at("PR");
  const double exploitability = 8.22 *
                                (av == 'N'   ? 0.85
                                 : av == 'A' ? 0.62
                                 : av == 'L' ? 0.55
                                             : 0.2) *
                                (m.at("AC") == 'L' ? 0.77 : 0.44) *
                                (pr == 'N'   ? 0.85
                                 : pr == 'L' ? (changed ? 0.68 : 0.62)
                                             : (changed ? 0.5 : 0.27)) *
                                (m.at("UI") == 'N' ? 0.85 : 0.62);
  if (impact <= 0) return 0;
  return changed ? Roundup(std::min(1.08 * (impact + exploitability), 10.0))
                 : Roundup(std::min(impact + exploitability, 10.0));
}

std::string SeverityOf(double score) {
  if (score == 0) return "NONE";
  if (score < 4.0) return "LOW";
  if (score < 7.0) return "MEDIUM";
  if (score < 9.0) return "HIGH";
  return "CRITICAL";
}

bool OneOf(std::string_view value, std::initializer_list<std::string_view> allowed) {
  return std::find(allowed.begin(), allowed.end(), value) != allowed.end();
}

std::string Join(std::initializer_list<std::string_view> values) {
  std::string joined;
  for (std::string_view value : values) {
    if (!joined.empty()) joined += ", ";
    joined += value;
  }
  return joined;
}

std::string At(const std::string& path, std::string_view key) {
  return path + "/" + std::string(key);
}
std::string At(const std::string& path, std::size_t index) {
  return path + "/" + std::to_string(index);
}

constexpr std::array<std::string_view, 8> kProductStatuses{
    "first_affected",     "first_fixed",   "fixed",       "known_affected",
    "known_not_affected", "last_affected", "recommended", "under_investigation"};

// The walk over one document: reads what sitrep keeps and records every problem found.
class Reader {
 public:
  CsafParseResult Read(const Json& root) {
    if (!root.is_object()) {
      Problem("", kType, "a CSAF document is a JSON object");
      return Finish();
    }
    Allowed(root, "", {"$schema", "document", "product_tree", "vulnerabilities"});
    if (const Json* document = Object(root, "", "document", true)) ReadDocument(*document);
    if (const Json* tree = Object(root, "", "product_tree", false)) ReadProductTree(*tree);
    if (const Json* vulnerabilities = Array(root, "", "vulnerabilities", false)) {
      ReadVulnerabilities(*vulnerabilities);
    }
    CheckProfile(root);
    CheckProductReferences();
    CheckRevisionHistory();
    return Finish();
  }

 private:
  void Problem(std::string path, std::string rule, std::string message) {
    problems_.push_back({std::move(path), std::move(rule), std::move(message)});
  }

  CsafParseResult Finish() {
    CsafParseResult result;
    if (problems_.empty()) {
      result.advisory = std::move(advisory_);
    } else {
      result.problems = std::move(problems_);
    }
    return result;
  }

  void Allowed(const Json& object, const std::string& path,
               std::initializer_list<std::string_view> keys) {
    for (const auto& item : object.items()) {
      if (!OneOf(item.key(), keys)) {
        Problem(
            At(path, item.key()), kAdditional,
            "\"" + item.key() + "\" is not a member allowed here (allowed: " + Join(keys) + ")");
      }
    }
  }

  const Json* Member(const Json& object, const std::string& path, std::string_view key,
                     bool required, Json::value_t type, const char* type_name) {
    auto found = object.find(key);
    if (found == object.end()) {
      if (required) Problem(At(path, key), kRequired, "\"" + std::string(key) + "\" is required");
      return nullptr;
    }
    if (found->type() != type && !(type == Json::value_t::number_float && found->is_number())) {
      Problem(At(path, key), kType, "must be " + std::string(type_name));
      return nullptr;
    }
    return &*found;
  }

  const Json* Object(const Json& object, const std::string& path, std::string_view key,
                     bool required) {
    return Member(object, path, key, required, Json::value_t::object, "an object");
  }

  // An array; the schema's arrays all have minItems 1.
  const Json* Array(const Json& object, const std::string& path, std::string_view key,
                    bool required) {
    const Json* array = Member(object, path, key, required, Json::value_t::array, "an array");
    if (array != nullptr && array->empty()) {
      Problem(At(path, key), kMinItems, "must have at least one item");
      return nullptr;
    }
    return array;
  }

  // A string; every string of the schema that sitrep reads has minLength 1.
  std::optional<std::string> String(const Json& object, const std::string& path,
                                    std::string_view key, bool required) {
    const Json* value = Member(object, path, key, required, Json::value_t::string, "a string");
    if (value == nullptr) return std::nullopt;
    std::string text = value->get<std::string>();
    if (text.empty()) {
      Problem(At(path, key), kMinLength, "must not be empty");
      return std::nullopt;
    }
    return text;
  }

  std::string Enum(const Json& object, const std::string& path, std::string_view key, bool required,
                   std::initializer_list<std::string_view> allowed) {
    auto value = String(object, path, key, required);
    if (!value) return {};
    if (!OneOf(*value, allowed)) {
      Problem(At(path, key), kEnum, "\"" + *value + "\" is not one of " + Join(allowed));
      return {};
    }
    return *value;
  }

  std::optional<CsafTime> DateTime(const Json& object, const std::string& path,
                                   std::string_view key, bool required) {
    auto text = String(object, path, key, required);
    if (!text) return std::nullopt;
    auto time = ParseDateTime(*text);
    if (!time) {
      Problem(At(path, key), kFormat,
              "\"" + *text + "\" is not an RFC 3339 date-time (2024-01-04T07:00:00Z)");
    }
    return time;
  }

  // A list of product ids (/definitions/products_t): each referenced, for test 6.1.1.
  std::vector<std::string> ProductIds(const Json& object, const std::string& path,
                                      std::string_view key, bool required) {
    std::vector<std::string> ids;
    const Json* array = Array(object, path, key, required);
    if (array == nullptr) return ids;
    for (std::size_t i = 0; i < array->size(); ++i) {
      std::string item_path = At(At(path, key), i);
      if (!(*array)[i].is_string() || (*array)[i].get_ref<const std::string&>().empty()) {
        Problem(item_path, kType, "must be a non-empty product id string");
        continue;
      }
      ids.push_back((*array)[i].get<std::string>());
      product_references_.emplace_back(item_path, ids.back());
    }
    return ids;
  }

  void GroupIds(const Json& object, const std::string& path) {
    const Json* array = Array(object, path, "group_ids", false);
    if (array == nullptr) return;
    for (std::size_t i = 0; i < array->size(); ++i) {
      std::string item_path = At(At(path, "group_ids"), i);
      if (!(*array)[i].is_string() || (*array)[i].get_ref<const std::string&>().empty()) {
        Problem(item_path, kType, "must be a non-empty product group id string");
        continue;
      }
      group_references_.emplace_back(item_path, (*array)[i].get<std::string>());
    }
  }

  void ReadNotes(const Json& object, const std::string& path) {
    const Json* notes = Array(object, path, "notes", false);
    if (notes == nullptr) return;
    for (std::size_t i = 0; i < notes->size(); ++i) {
      std::string note_path = At(At(path, "notes"), i);
      if (!(*notes)[i].is_object()) {
        Problem(note_path, kType, "a note must be an object");
        continue;
      }
      std::string category = Enum(
          (*notes)[i], note_path, "category", true,
          {"description", "details", "faq", "general", "legal_disclaimer", "other", "summary"});
      if (OneOf(category, {"description", "details", "general", "summary"})) {
        document_has_summary_note_ |= path == "/document";
      }
      (void)String((*notes)[i], note_path, "text", true);
    }
  }

  std::vector<std::string> ReadReferences(const Json& object, const std::string& path) {
    std::vector<std::string> urls;
    const Json* references = Array(object, path, "references", false);
    if (references == nullptr) return urls;
    for (std::size_t i = 0; i < references->size(); ++i) {
      std::string reference_path = At(At(path, "references"), i);
      const Json& reference = (*references)[i];
      if (!reference.is_object()) {
        Problem(reference_path, kType, "a reference must be an object");
        continue;
      }
      std::string category =
          Enum(reference, reference_path, "category", false, {"external", "self"});
      (void)String(reference, reference_path, "summary", true);
      auto url = String(reference, reference_path, "url", true);
      if (!url) continue;
      urls.push_back(*url);
      if (path != "/document") continue;
      if (category != "self") document_has_external_reference_ = true;
      if (category == "self" &&
          (advisory_.self_url.empty() || (self_is_json_ && !url->ends_with(".json")))) {
        advisory_.self_url = *url;
        self_is_json_ = url->ends_with(".json");
      }
    }
    return urls;
  }

  void ReadDocument(const Json& document) {
    const std::string path = "/document";
    Allowed(document, path,
            {"acknowledgments", "aggregate_severity", "category", "csaf_version", "distribution",
             "lang", "notes", "publisher", "references", "source_lang", "title", "tracking"});
    if (auto category = String(document, path, "category", true)) {
      if (TrimmedBy(*category, true)) {
        advisory_.category = *category;
      } else {
        Problem(At(path, "category"), kPattern,
                "must not begin or end with white space, '-', '_' or '.'");
      }
    }
    (void)Enum(document, path, "csaf_version", true, {"2.0"});
    if (auto title = String(document, path, "title", true)) advisory_.title = *title;
    lang_ = String(document, path, "lang", false).value_or("");
    source_lang_ = String(document, path, "source_lang", false).value_or("");
    if (const Json* publisher = Object(document, path, "publisher", true)) {
      ReadPublisher(*publisher);
    }
    if (const Json* distribution = Object(document, path, "distribution", false)) {
      ReadDistribution(*distribution);
    }
    if (const Json* tracking = Object(document, path, "tracking", true)) ReadTracking(*tracking);
    ReadNotes(document, path);
    (void)ReadReferences(document, path);
  }

  void ReadPublisher(const Json& publisher) {
    const std::string path = "/document/publisher";
    advisory_.publisher_category =
        Enum(publisher, path, "category", true,
             {"coordinator", "discoverer", "other", "translator", "user", "vendor"});
    advisory_.publisher_name = String(publisher, path, "name", true).value_or("");
    (void)String(publisher, path, "namespace", true);
    if (advisory_.publisher_category == "translator" && source_lang_.empty()) {
      Problem("/document/source_lang", "6.1.15 Translator",
              "a document whose publisher is a translator must name its source_lang");
    }
  }

  void ReadDistribution(const Json& distribution) {
    const std::string path = "/document/distribution";
    const Json* tlp = Object(distribution, path, "tlp", false);
    if (tlp == nullptr) return;
    // TLP 1.0 as CSAF 2.0 writes it; TLP 2.0's CLEAR and AMBER+STRICT (CSAF 2.1) are read too,
    // so a producer already writing them is not turned away.
    std::string label = Enum(*tlp, path + "/tlp", "label", true,
                             {"AMBER", "GREEN", "RED", "WHITE", "CLEAR", "AMBER+STRICT"});
    if (!label.empty()) advisory_.tlp_label = label;
  }

  void ReadTracking(const Json& tracking) {
    const std::string path = "/document/tracking";
    Allowed(tracking, path,
            {"aliases", "current_release_date", "generator", "id", "initial_release_date",
             "revision_history", "status", "version"});
    if (auto id = String(tracking, path, "id", true)) {
      if (!TrimmedBy(*id, false)) {
        Problem(At(path, "id"), kPattern, "must not begin or end with white space");
      } else if (id->size() > 128) {
        Problem(At(path, "id"), "sitrep: tracking id length",
                "a tracking id is at most 128 characters (it is the advisory's key)");
      } else {
        advisory_.tracking_id = *id;
      }
    }
    advisory_.status = Enum(tracking, path, "status", true, {"draft", "final", "interim"});
    if (auto version = String(tracking, path, "version", true)) {
      version_ = ParseDocVersion(*version);
      if (version_) {
        advisory_.version = *version;
      } else {
        Problem(At(path, "version"), kPattern,
                "\"" + *version + "\" is neither an integer nor a semantic version");
      }
    }
    if (auto time = DateTime(tracking, path, "initial_release_date", true)) {
      advisory_.initial_release = *time;
    }
    if (auto time = DateTime(tracking, path, "current_release_date", true)) {
      advisory_.current_release = *time;
    }
    const Json* history = Array(tracking, path, "revision_history", true);
    if (history == nullptr) return;
    for (std::size_t i = 0; i < history->size(); ++i)
      ReadRevision((*history)[i], At(At(path, "revision_history"), i));
  }

  void ReadRevision(const Json& item, const std::string& path) {
    if (!item.is_object()) {
      Problem(path, kType, "a revision must be an object");
      return;
    }
    Allowed(item, path, {"date", "legacy_version", "number", "summary"});
    CsafRevision revision;
    auto date = DateTime(item, path, "date", true);
    auto number = String(item, path, "number", true);
    auto summary = String(item, path, "summary", true);
    std::optional<DocVersion> parsed;
    if (number) {
      parsed = ParseDocVersion(*number);
      if (!parsed) {
        Problem(At(path, "number"), kPattern,
                "\"" + *number + "\" is neither an integer nor a semantic version");
      }
    }
    if (!date || !parsed || !summary) {
      history_complete_ = false;
      return;
    }
    revision.date = *date;
    revision.number = *number;
    revision.summary = *summary;
    revision_versions_.push_back({path, *parsed, *date});
    advisory_.revisions.push_back(std::move(revision));
  }

  void ReadProductTree(const Json& tree) {
    const std::string path = "/product_tree";
    Allowed(tree, path, {"branches", "full_product_names", "product_groups", "relationships"});
    if (const Json* branches = Array(tree, path, "branches", false)) {
      for (std::size_t i = 0; i < branches->size(); ++i) {
        ReadBranch((*branches)[i], At(At(path, "branches"), i), {});
      }
    }
    if (const Json* names = Array(tree, path, "full_product_names", false)) {
      for (std::size_t i = 0; i < names->size(); ++i) {
        ReadFullProductName((*names)[i], At(At(path, "full_product_names"), i), {});
      }
    }
    if (const Json* groups = Array(tree, path, "product_groups", false)) {
      for (std::size_t i = 0; i < groups->size(); ++i)
        ReadGroup((*groups)[i], At(At(path, "product_groups"), i));
    }
    if (const Json* relationships = Array(tree, path, "relationships", false)) {
      for (std::size_t i = 0; i < relationships->size(); ++i) {
        ReadRelationship((*relationships)[i], At(At(path, "relationships"), i));
      }
    }
  }

  // Where a branch sits: its vendor, product and path so far.
  struct BranchContext {
    std::string path;
    std::string vendor;
    std::string product;
    std::string family;
  };

  void ReadBranch(const Json& branch, const std::string& path, BranchContext context) {
    if (!branch.is_object()) {
      Problem(path, kType, "a branch must be an object");
      return;
    }
    Allowed(branch, path, {"branches", "category", "name", "product"});
    std::string category =
        Enum(branch, path, "category", true,
             {"architecture", "host_name", "language", "legacy", "patch_level", "product_family",
              "product_name", "product_version", "product_version_range", "service_pack",
              "specification", "vendor"});
    std::string name = String(branch, path, "name", true).value_or("");
    context.path += (context.path.empty() ? "" : "/") + name;
    if (category == "vendor") context.vendor = name;
    if (category == "product_name") context.product = name;
    if (category == "product_family") context.family = name;
    if (category == "product_version" && VersionNameHasRange(name)) {
      Problem(At(path, "name"), "6.1.31 Version Range in Product Version",
              "\"" + name + "\" reads as a version range; use product_version_range");
    }
    const bool has_branches = branch.contains("branches");
    const bool has_product = branch.contains("product");
    if (has_branches == has_product) {
      Problem(path, "schema: oneOf",
              "a branch has either \"branches\" or \"product\", not " +
                  std::string(has_branches ? "both" : "neither"));
      return;
    }
    if (has_branches) {
      const Json* children = Array(branch, path, "branches", true);
      if (children == nullptr) return;
      for (std::size_t i = 0; i < children->size(); ++i) {
        ReadBranch((*children)[i], At(At(path, "branches"), i), context);
      }
      return;
    }
    ProductBranch leaf;
    leaf.path = context.path;
    leaf.vendor = context.vendor;
    leaf.product = context.product.empty() ? context.family : context.product;
    leaf.is_range = category != "product_version";
    // A leaf above the version level names no version: matching it needs review.
    if (category == "product_version" || category == "product_version_range")
      leaf.expression = name;
    if (const Json* product = Object(branch, path, "product", true)) {
      ReadFullProductName(*product, At(path, "product"), std::move(leaf));
    }
  }

  // 6.1.31's operators and words that make a product_version a range. A word is a run between
  // white space, as the reference validator (@secvisogram/csaf-validator-lib 2.0.10) reads
  // it: "vers:all/*" holds no word "all", and the two agree on all 510 shipped advisories.
  static bool VersionNameHasRange(std::string_view name) {
    std::string lower(name);
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (lower.find('<') != std::string::npos || lower.find('>') != std::string::npos) return true;
    std::string word;
    for (std::size_t i = 0; i <= lower.size(); ++i) {
      if (i < lower.size() && !IsSpace(lower[i])) {
        word += lower[i];
        continue;
      }
      if (OneOf(word, {"after", "all", "before", "earlier", "later", "prior", "versions"})) {
        return true;
      }
      word.clear();
    }
    return false;
  }

  void ReadFullProductName(const Json& product, const std::string& path,
                           std::optional<ProductBranch> branch) {
    if (!product.is_object()) {
      Problem(path, kType, "a product must be an object");
      return;
    }
    Allowed(product, path, {"name", "product_id", "product_identification_helper"});
    auto name = String(product, path, "name", true);
    auto id = String(product, path, "product_id", true);
    if (!id) return;
    auto [it, inserted] = product_definitions_.emplace(*id, At(path, "product_id"));
    if (!inserted) {
      Problem(At(path, "product_id"), "6.1.2 Multiple Definition of Product ID",
              "\"" + *id + "\" is already defined at " + it->second);
      return;
    }
    CsafProduct defined;
    defined.product_id = *id;
    defined.full_name = name.value_or("");
    if (branch) {
      defined.branch = std::move(*branch);
    } else {
      defined.branch.path = defined.full_name;
      defined.branch.product = defined.full_name;
    }
    advisory_.products.push_back(std::move(defined));
  }

  void ReadGroup(const Json& group, const std::string& path) {
    if (!group.is_object()) {
      Problem(path, kType, "a product group must be an object");
      return;
    }
    Allowed(group, path, {"group_id", "product_ids", "summary"});
    if (auto id = String(group, path, "group_id", true)) {
      auto [it, inserted] = group_definitions_.emplace(*id, At(path, "group_id"));
      if (!inserted) {
        Problem(At(path, "group_id"), "6.1.5 Multiple Definition of Product Group ID",
                "\"" + *id + "\" is already defined at " + it->second);
      }
    }
    auto ids = ProductIds(group, path, "product_ids", true);
    if (!ids.empty() && ids.size() < 2) {
      Problem(At(path, "product_ids"), kMinItems, "a product group has at least two products");
    }
  }

  void ReadRelationship(const Json& relationship, const std::string& path) {
    if (!relationship.is_object()) {
      Problem(path, kType, "a relationship must be an object");
      return;
    }
    Allowed(relationship, path,
            {"category", "full_product_name", "product_reference", "relates_to_product_reference"});
    (void)Enum(relationship, path, "category", true,
               {"default_component_of", "external_component_of", "installed_on", "installed_with",
                "optional_component_of"});
    auto reference = String(relationship, path, "product_reference", true);
    auto relates_to = String(relationship, path, "relates_to_product_reference", true);
    if (reference) product_references_.emplace_back(At(path, "product_reference"), *reference);
    if (relates_to) {
      product_references_.emplace_back(At(path, "relates_to_product_reference"), *relates_to);
    }
    const Json* product = Object(relationship, path, "full_product_name", true);
    if (product == nullptr) return;
    const auto id_member = product->find("product_id");
    std::string id =
        id_member != product->end() && id_member->is_string() ? id_member->get<std::string>() : "";
    if (!id.empty() && (id == reference || id == relates_to)) {
      Problem(At(At(path, "full_product_name"), "product_id"),
              "6.1.3 Circular Definition of Product ID",
              "\"" + id + "\" is defined by a relationship that refers to itself");
    }
    ReadFullProductName(*product, At(path, "full_product_name"), std::nullopt);
  }

  void ReadVulnerabilities(const Json& vulnerabilities) {
    std::map<std::string, std::string> cves;
    for (std::size_t i = 0; i < vulnerabilities.size(); ++i) {
      std::string path = At("/vulnerabilities", i);
      if (!vulnerabilities[i].is_object()) {
        Problem(path, kType, "a vulnerability must be an object");
        continue;
      }
      CsafVulnerability vulnerability = ReadVulnerability(vulnerabilities[i], path);
      if (!vulnerability.cve.empty()) {
        auto [it, inserted] = cves.emplace(vulnerability.cve, path);
        if (!inserted) {
          Problem(At(path, "cve"), "6.1.23 Multiple Use of Same CVE",
                  vulnerability.cve + " is already used by " + it->second);
        }
      }
      advisory_.vulnerabilities.push_back(std::move(vulnerability));
    }
  }

  CsafVulnerability ReadVulnerability(const Json& item, const std::string& path) {
    Allowed(item, path,
            {"acknowledgments", "cve", "cwe", "discovery_date", "flags", "ids", "involvements",
             "notes", "product_status", "references", "release_date", "remediations", "scores",
             "threats", "title"});
    CsafVulnerability vulnerability;
    if (auto cve = String(item, path, "cve", false)) {
      if (IsCveId(*cve)) {
        vulnerability.cve = *cve;
      } else {
        Problem(At(path, "cve"), kPattern, "\"" + *cve + "\" is not a CVE id (CVE-2024-12345)");
      }
    }
    if (const Json* cwe = Object(item, path, "cwe", false)) {
      std::string cwe_path = At(path, "cwe");
      auto id = String(*cwe, cwe_path, "id", true);
      vulnerability.cwe_name = String(*cwe, cwe_path, "name", true).value_or("");
      if (id && IsCweId(*id)) {
        vulnerability.cwe_id = *id;
      } else if (id) {
        Problem(At(cwe_path, "id"), "6.1.11 CWE", "\"" + *id + "\" is not a CWE id (CWE-787)");
      }
    }
    vulnerability.title = String(item, path, "title", false).value_or("");
    ReadNotes(item, path);
    vulnerability.references = ReadReferences(item, path);
    if (const Json* status = Object(item, path, "product_status", false)) {
      vulnerability.known_affected = ReadProductStatus(*status, At(path, "product_status"));
    }
    if (const Json* scores = Array(item, path, "scores", false)) {
      ReadScores(*scores, At(path, "scores"), vulnerability);
    }
    if (const Json* remediations = Array(item, path, "remediations", false)) {
      for (std::size_t i = 0; i < remediations->size(); ++i) {
        ReadRemediation((*remediations)[i], At(At(path, "remediations"), i), vulnerability);
      }
    }
    for (std::string_view key : {"threats", "flags"}) {
      const Json* list = Array(item, path, key, false);
      if (list == nullptr) continue;
      for (std::size_t i = 0; i < list->size(); ++i) {
        if (!(*list)[i].is_object()) continue;
        (void)ProductIds((*list)[i], At(At(path, key), i), "product_ids", false);
        GroupIds((*list)[i], At(At(path, key), i));
      }
    }
    return vulnerability;
  }

  // Returns known_affected; checks 6.1.6 over the four groups of statuses.
  std::vector<std::string> ReadProductStatus(const Json& status, const std::string& path) {
    for (const auto& item : status.items()) {
      if (std::find(kProductStatuses.begin(), kProductStatuses.end(), item.key()) ==
          kProductStatuses.end()) {
        Problem(At(path, item.key()), kAdditional,
                "\"" + item.key() + "\" is not a product status");
      }
    }
    std::vector<std::string> known_affected;
    std::map<std::string, std::string> group_of;
    for (std::string_view key : kProductStatuses) {
      auto ids = ProductIds(status, path, key, false);
      std::string group = OneOf(key, {"first_affected", "known_affected", "last_affected"})
                              ? "affected"
                          : OneOf(key, {"first_fixed", "fixed"}) ? "fixed"
                                                                 : std::string(key);
      if (key == "recommended") continue;
      for (const std::string& id : ids) {
        auto [it, inserted] = group_of.emplace(id, group);
        if (!inserted && it->second != group) {
          Problem(At(path, key), "6.1.6 Contradicting Product Status",
                  "\"" + id + "\" is both " + it->second + " and " + group);
        }
      }
      if (key == "known_affected") known_affected = std::move(ids);
    }
    return known_affected;
  }

  void ReadScores(const Json& scores, const std::string& path, CsafVulnerability& vulnerability) {
    std::map<std::pair<std::string, std::string>, std::string> seen;  // (product, version)
    for (std::size_t i = 0; i < scores.size(); ++i) {
      std::string score_path = At(path, i);
      if (!scores[i].is_object()) {
        Problem(score_path, kType, "a score must be an object");
        continue;
      }
      Allowed(scores[i], score_path, {"cvss_v2", "cvss_v3", "cvss_v4", "products"});
      auto products = ProductIds(scores[i], score_path, "products", true);
      if (!scores[i].contains("cvss_v2") && !scores[i].contains("cvss_v3") &&
          !scores[i].contains("cvss_v4")) {
        Problem(score_path, kRequired, "a score has cvss_v2, cvss_v3 or cvss_v4");
      }
      for (std::string_view key : {"cvss_v3", "cvss_v4"}) {
        const Json* cvss = Object(scores[i], score_path, key, false);
        if (cvss == nullptr) continue;
        auto score = ReadCvss(*cvss, At(score_path, key), key == "cvss_v3");
        if (!score) continue;
        score->product_ids = products;
        for (const std::string& product : products) {
          auto [it, inserted] = seen.emplace(std::pair{product, score->version}, score_path);
          if (!inserted) {
            Problem(At(score_path, key), "6.1.7 Multiple Scores with same Version per Product",
                    "\"" + product + "\" already has a CVSS " + score->version + " score at " +
                        it->second);
          }
        }
        vulnerability.scores.push_back(std::move(*score));
      }
    }
  }

  std::optional<CsafScore> ReadCvss(const Json& cvss, const std::string& path, bool v3) {
    CsafScore score;
    score.version = v3 ? Enum(cvss, path, "version", true, {"3.0", "3.1"})
                       : Enum(cvss, path, "version", true, {"4.0"});
    score.vector = String(cvss, path, "vectorString", true).value_or("");
    score.base_severity =
        Enum(cvss, path, "baseSeverity", true, {"NONE", "LOW", "MEDIUM", "HIGH", "CRITICAL"});
    const Json* base =
        Member(cvss, path, "baseScore", true, Json::value_t::number_float, "a number");
    if (base != nullptr) {
      score.base_score = base->get<double>();
      if (!(score.base_score >= 0 && score.base_score <= 10)) {
        Problem(At(path, "baseScore"), kRange, "must be between 0 and 10");
        return std::nullopt;
      }
    }
    if (score.version.empty() || score.vector.empty() || score.base_severity.empty() ||
        base == nullptr) {
      return std::nullopt;
    }
    if (!v3) {
      if (!score.vector.starts_with("CVSS:4.0/")) {
        Problem(At(path, "vectorString"), "6.1.8 Invalid CVSS",
                "a CVSS 4.0 vector begins with \"CVSS:4.0/\"");
        return std::nullopt;
      }
      return score;
    }
    auto metrics = ParseCvssV3Vector(score.vector, score.version);
    if (!metrics) {
      Problem(At(path, "vectorString"), "6.1.8 Invalid CVSS",
              "\"" + score.vector + "\" is not a CVSS " + score.version + " vector");
      return std::nullopt;
    }
    double computed = CvssV3BaseScore(*metrics);
    if (std::abs(computed - score.base_score) > 0.05) {
      Problem(
          At(path, "baseScore"), "6.1.9 Invalid CVSS computation",
          "the vector gives " + FormatScore(computed) + ", not " + FormatScore(score.base_score));
      return std::nullopt;
    }
    if (SeverityOf(score.base_score) != score.base_severity) {
      Problem(At(path, "baseSeverity"), "6.1.9 Invalid CVSS computation",
              "a base score of " + FormatScore(score.base_score) + " is " +
                  SeverityOf(score.base_score) + ", not " + score.base_severity);
      return std::nullopt;
    }
    return score;
  }

  static std::string FormatScore(double score) {
    std::string text = std::to_string(std::round(score * 10) / 10);
    return text.substr(0, text.find('.') + 2);
  }

  void ReadRemediation(const Json& item, const std::string& path,
                       CsafVulnerability& vulnerability) {
    if (!item.is_object()) {
      Problem(path, kType, "a remediation must be an object");
      return;
    }
    Allowed(item, path,
            {"category", "date", "details", "entitlements", "group_ids", "product_ids",
             "restart_required", "url"});
    CsafRemediation remediation;
    remediation.category =
        Enum(item, path, "category", true,
             {"mitigation", "no_fix_planned", "none_available", "vendor_fix", "workaround"});
    remediation.details = String(item, path, "details", true).value_or("");
    remediation.url = String(item, path, "url", false).value_or("");
    remediation.product_ids = ProductIds(item, path, "product_ids", false);
    GroupIds(item, path);
    if (!item.contains("product_ids") && !item.contains("group_ids")) {
      Problem(path, "6.1.29 Remediation without Product Reference",
              "a remediation names product_ids or group_ids");
    }
    vulnerability.remediations.push_back(std::move(remediation));
  }

  // §4 profiles and their tests 6.1.27.x.
  void CheckProfile(const Json& root) {
    const std::string& category = advisory_.category;
    const bool incident_or_informational =
        category == "csaf_security_incident_response" || category == "csaf_informational_advisory";
    if (incident_or_informational && !document_has_summary_note_) {
      Problem("/document/notes", "6.1.27.1 Document Notes",
              "this profile needs a note of category description, details, general or summary");
    }
    if (incident_or_informational && !document_has_external_reference_) {
      Problem("/document/references", "6.1.27.2 Document References",
              "this profile needs a reference of category external");
    }
    if (category == "csaf_informational_advisory" && root.contains("vulnerabilities")) {
      Problem("/vulnerabilities", "6.1.27.3 Vulnerabilities",
              "an informational advisory has no vulnerabilities");
    }
    const bool advisory_or_vex = category == "csaf_security_advisory" || category == "csaf_vex";
    if (advisory_or_vex && !root.contains("product_tree")) {
      Problem("/product_tree", "6.1.27.4 Product Tree", "this profile needs a product tree");
    }
    if (advisory_or_vex && !root.contains("vulnerabilities")) {
      Problem("/vulnerabilities", "profile " + category + " (CSAF 2.0 §4.5, §4.6)",
              "this profile needs vulnerabilities");
    }
    if (!advisory_or_vex || !root.contains("vulnerabilities") ||
        !root["vulnerabilities"].is_array()) {
      return;
    }
    const Json& vulnerabilities = root.at("vulnerabilities");
    for (std::size_t i = 0; i < vulnerabilities.size(); ++i) {
      const Json& item = vulnerabilities[i];
      if (!item.is_object()) continue;
      std::string path = At("/vulnerabilities", i);
      if (!item.contains("notes")) {
        Problem(At(path, "notes"), "6.1.27.5 Vulnerability Notes",
                "each vulnerability needs notes");
      }
      if (category == "csaf_security_advisory" && !item.contains("product_status")) {
        Problem(At(path, "product_status"), "6.1.27.6 Product Status",
                "each vulnerability needs a product status");
      }
      if (category != "csaf_vex") continue;
      const Json* status = item.contains("product_status") ? &item.at("product_status") : nullptr;
      bool has_vex_status = false;
      for (const char* key :
           {"fixed", "known_affected", "known_not_affected", "under_investigation"}) {
        has_vex_status |= status != nullptr && status->is_object() && status->contains(key);
      }
      if (!has_vex_status) {
        Problem(At(path, "product_status"), "6.1.27.7 VEX Product Status",
                "each vulnerability needs fixed, known_affected, known_not_affected or "
                "under_investigation");
      }
      if (!item.contains("cve") && !item.contains("ids")) {
        Problem(path, "6.1.27.8 VEX Vulnerability ID", "each vulnerability needs a cve or ids");
      }
    }
  }

  void CheckProductReferences() {
    for (const auto& [path, id] : product_references_) {
      if (!product_definitions_.contains(id)) {
        Problem(path, "6.1.1 Missing Definition of Product ID",
                "\"" + id + "\" is not defined in the product tree");
      }
    }
    for (const auto& [path, id] : group_references_) {
      if (!group_definitions_.contains(id)) {
        Problem(path, "6.1.4 Missing Definition of Product Group ID",
                "\"" + id + "\" is not defined in the product tree");
      }
    }
    if (!lang_.empty() && lang_ == source_lang_) {
      Problem("/document/source_lang", "6.1.28 Translation",
              "a translation's lang differs from its source_lang");
    }
  }

  struct RevisionVersion {
    std::string path;
    DocVersion version;
    CsafTime date;
  };

  void CheckRevisionHistory() {
    if (!version_ || !history_complete_ || revision_versions_.empty()) return;
    const bool draft = advisory_.status == "draft";
    if ((IsZeroVersion(*version_) || !version_->pre_release.empty()) && !draft &&
        !advisory_.status.empty()) {
      Problem(
          "/document/tracking/status", "6.1.17 Document Status Draft",
          "version " + advisory_.version + " is a draft's, but the status is " + advisory_.status);
    }
    if (!version_->pre_release.empty() && !draft && !advisory_.status.empty()) {
      Problem("/document/tracking/version", "6.1.20 Non-draft Document Version",
              "a " + advisory_.status + " document's version has no pre-release part");
    }
    std::map<std::string, std::string> numbers;
    for (const RevisionVersion& item : revision_versions_) {
      if (item.version.integer != version_->integer) {
        Problem(At(item.path, "number"), "6.1.30 Mixed Integer and Semantic Versioning",
                "the revision history and the document version use one versioning scheme");
        return;
      }
      if ((advisory_.status == "final" || advisory_.status == "interim") &&
          IsZeroVersion(item.version)) {
        Problem(At(item.path, "number"), "6.1.18 Released Revision in Revision History",
                "a " + advisory_.status + " document lists no revision 0 or 0.y.z");
      }
      if (!item.version.pre_release.empty()) {
        Problem(At(item.path, "number"), "6.1.19 Revision History Entries for Pre-release Versions",
                "a revision number has no pre-release part");
      }
      std::string key = item.version.major + "." + item.version.minor + "." + item.version.patch +
                        "-" + item.version.pre_release;
      auto [it, inserted] = numbers.emplace(key, item.path);
      if (!inserted) {
        Problem(At(item.path, "number"), "6.1.22 Multiple Definition in Revision History",
                "this number is already used at " + it->second);
      }
    }
    std::vector<const RevisionVersion*> by_date;
    for (const RevisionVersion& item : revision_versions_) by_date.push_back(&item);
    std::stable_sort(by_date.begin(), by_date.end(),
                     [](const auto* a, const auto* b) { return Before(a->date, b->date); });
    for (std::size_t i = 1; i < by_date.size(); ++i) {
      if (ComparePrecedence(by_date[i - 1]->version, by_date[i]->version) > 0) {
        Problem(At(by_date[i]->path, "number"), "6.1.14 Sorted Revision History",
                "ordered by date, the revision numbers must ascend");
        break;
      }
    }
    // Among items of the newest date, the highest number is the latest.
    const RevisionVersion* latest = by_date.back();
    for (const auto* item : by_date) {
      if (!Before(item->date, latest->date) &&
          ComparePrecedence(item->version, latest->version) > 0) {
        latest = item;
      }
    }
    CheckLatestVersion(latest->version, draft);
    CheckMissingItems();
  }

  // 6.1.16: the newest revision is the document's version (a draft may add a pre-release).
  void CheckLatestVersion(const DocVersion& latest, bool draft) {
    DocVersion expected = *version_;
    if (draft) expected.pre_release.clear();
    if (ComparePrecedence(latest, expected) != 0) {
      Problem("/document/tracking/version", "6.1.16 Latest Document Version",
              "version " + advisory_.version +
                  " is not the number of the newest revision history item");
    }
  }

  // 6.1.21: integer versions count up by one from 0 or 1; semantic versions' majors do.
  void CheckMissingItems() {
    std::vector<std::uint64_t> majors;
    for (const RevisionVersion& item : revision_versions_) {
      if (item.version.major.size() > 18) return;  // beyond any real history; not checked
      majors.push_back(std::stoull(item.version.major));
    }
    std::sort(majors.begin(), majors.end());
    majors.erase(std::unique(majors.begin(), majors.end()), majors.end());
    if (majors.front() > 1) {
      Problem(
          "/document/tracking/revision_history", "6.1.21 Missing Item in Revision History",
          "the revision history begins at " + std::to_string(majors.front()) + ", not at 0 or 1");
      return;
    }
    for (std::size_t i = 1; i < majors.size(); ++i) {
      if (majors[i] != majors[i - 1] + 1) {
        Problem("/document/tracking/revision_history", "6.1.21 Missing Item in Revision History",
                "version " + std::to_string(majors[i - 1] + 1) + " is missing");
        return;
      }
    }
  }

  CsafAdvisory advisory_;
  std::vector<CsafProblem> problems_;
  std::string lang_;
  std::string source_lang_;
  std::optional<DocVersion> version_;
  std::vector<RevisionVersion> revision_versions_;
  bool history_complete_ = true;
  bool self_is_json_ = false;
  bool document_has_summary_note_ = false;
  bool document_has_external_reference_ = false;
  std::map<std::string, std::string> product_definitions_;  // id → where
  std::map<std::string, std::string> group_definitions_;
  std::vector<std::pair<std::string, std::string>> product_references_;  // (where, id)
  std::vector<std::pair<std::string, std::string>> group_references_;
};

v1::Tlp TlpOf(std::string_view label) {
  if (label == "GREEN") return v1::TLP_GREEN;
  if (label == "AMBER") return v1::TLP_AMBER;
  if (label == "AMBER+STRICT") return v1::TLP_AMBER_STRICT;
  if (label == "RED") return v1::TLP_RED;
  return v1::TLP_CLEAR;  // WHITE (TLP 1.0) is CLEAR (TLP 2.0)
}

void SetTime(const CsafTime& time, google::protobuf::Timestamp& out) {
  out.set_seconds(time.seconds);
  out.set_nanos(time.nanos);
}

void AddUnique(google::protobuf::RepeatedPtrField<std::string>& list, const std::string& value) {
  if (value.empty() || std::find(list.begin(), list.end(), value) != list.end()) return;
  list.Add(std::string(value));
}

}  // namespace

CsafParseResult ParseCsaf(std::string_view json) {
  CsafParseResult result;
  if (json.size() > kMaxCsafBytes) {
    result.problems.push_back({"", "limit: size",
                               "the document is " + std::to_string(json.size()) +
                                   " bytes; at most " + std::to_string(kMaxCsafBytes) +
                                   " are read"});
    return result;
  }
  if (int depth = NestingDepth(json); depth > kMaxCsafDepth) {
    result.problems.push_back({"", "limit: nesting depth",
                               "the document nests " + std::to_string(depth) +
                                   " levels deep; at most " + std::to_string(kMaxCsafDepth) +
                                   " are read"});
    return result;
  }
  Json root;
  try {
    root = Json::parse(json.begin(), json.end());
  } catch (const Json::parse_error& error) {
    result.problems.push_back(
        {"", "JSON syntax", "not JSON at byte " + std::to_string(error.byte) + " (RFC 8259)"});
    return result;
  } catch (const Json::exception&) {
    result.problems.push_back({"", "JSON syntax", "not readable JSON (RFC 8259)"});
    return result;
  }
  return Reader().Read(root);
}

std::string DescribeProblem(const CsafProblem& problem) {
  return (problem.path.empty() ? std::string("/") : problem.path) + ": " + problem.rule + ": " +
         problem.message;
}

std::string CsafReasonCode(std::string_view rule) {
  if (rule.starts_with("schema")) return "CSAF_SCHEMA";
  if (rule.starts_with("limit")) return "CSAF_TOO_LARGE";
  if (rule.starts_with("JSON")) return "CSAF_NOT_JSON";
  if (!rule.starts_with("6.1.")) return "CSAF_INVALID";
  std::string code = "CSAF_TEST_";
  for (const char c : rule.substr(0, rule.find(' '))) code += c == '.' ? '_' : c;
  return code;
}

void FillAdvisory(const CsafAdvisory& parsed, v1::Advisory& out) {
  out.set_tracking_id(parsed.tracking_id);
  out.set_title(parsed.title);
  out.set_url(parsed.self_url);
  out.set_version(parsed.version);
  SetTime(parsed.initial_release, *out.mutable_published_time());
  SetTime(parsed.current_release, *out.mutable_current_release_time());
  out.set_publisher(parsed.publisher_name);
  out.set_tlp(TlpOf(parsed.tlp_label));
  out.clear_revision_history();
  for (const CsafRevision& revision : parsed.revisions) {
    v1::AdvisoryRevision& item = *out.add_revision_history();
    item.set_number(revision.number);
    SetTime(revision.date, *item.mutable_date());
    item.set_summary(revision.summary);
  }
  out.clear_products_affected();
  out.clear_vendors();
  out.clear_products();
  for (const CsafProduct& product : parsed.products) {
    v1::AffectedProduct& item = *out.add_products_affected();
    item.set_product_id(product.product_id);
    item.set_branch_path(product.branch.path);
    item.set_vendor(product.branch.vendor);
    item.set_product(product.branch.product);
    item.set_version_expression(product.branch.expression);
    item.set_is_range(product.branch.is_range);
    AddUnique(*out.mutable_vendors(), product.branch.vendor);
    AddUnique(*out.mutable_products(), product.branch.product);
  }
  out.clear_vulnerabilities();
  out.clear_cve_ids();
  double max_cvss = 0;
  for (const CsafVulnerability& vulnerability : parsed.vulnerabilities) {
    v1::Vulnerability& item = *out.add_vulnerabilities();
    item.set_cve_id(vulnerability.cve);
    item.set_cwe_id(vulnerability.cwe_id);
    item.set_cwe_name(vulnerability.cwe_name);
    item.set_title(vulnerability.title);
    item.set_advisory_id(parsed.tracking_id);
    double max_score = 0;
    for (const CsafScore& score : vulnerability.scores) {
      v1::CvssScore& cvss = *item.add_scores();
      cvss.set_version(score.version);
      cvss.set_base_score(score.base_score);
      cvss.set_base_severity(score.base_severity);
      cvss.set_vector(score.vector);
      max_score = std::max(max_score, score.base_score);
    }
    item.set_max_base_score(max_score);
    max_cvss = std::max(max_cvss, max_score);
    for (const CsafRemediation& remediation : vulnerability.remediations) {
      v1::Remediation& fix = *item.add_remediations();
      fix.set_category(remediation.category);
      fix.set_details(remediation.details);
      fix.set_url(remediation.url);
    }
    for (const std::string& url : vulnerability.references) item.add_references(url);
    for (const std::string& id : vulnerability.known_affected) item.add_product_ids(id);
    AddUnique(*out.mutable_cve_ids(), vulnerability.cve);
  }
  out.set_max_cvss(max_cvss);
}

}  // namespace sitrep::vulns
