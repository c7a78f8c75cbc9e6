#include "vulns/normalise.h"

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "vulns/vendor_aliases_data.h"

namespace sitrep::vulns {
namespace {

struct AliasTable {
  std::vector<std::string> suffixes;
  std::vector<std::string> cuts;
  std::vector<std::pair<std::string, std::string>> prefixes;
  std::map<std::string, std::string, std::less<>> vendors;
};

std::string TrimCopy(std::string_view text) {
  size_t first = text.find_first_not_of(" \t\r");
  if (first == std::string_view::npos) return "";
  size_t last = text.find_last_not_of(" \t\r");
  return std::string(text.substr(first, last - first + 1));
}

std::vector<std::string> SplitCsvLine(std::string_view line) {
  std::vector<std::string> fields;
  size_t start = 0;
  while (true) {
    size_t comma = line.find(',', start);
    fields.push_back(TrimCopy(line.substr(
        start, comma == std::string_view::npos ? std::string_view::npos : comma - start)));
    if (comma == std::string_view::npos) return fields;
    start = comma + 1;
  }
}

// The embedded CSV, parsed once. Its rows were checked by the normalisation test; a malformed
// row is skipped rather than failing the server.
const AliasTable& Table() {
  static const AliasTable table = [] {
    AliasTable t;
    std::string_view csv = kVendorAliasesCsv;
    while (!csv.empty()) {
      size_t end = csv.find('\n');
      std::string_view line = csv.substr(0, end);
      csv = end == std::string_view::npos ? std::string_view() : csv.substr(end + 1);
      if (line.empty() || line.front() == '#') continue;
      std::vector<std::string> f = SplitCsvLine(line);
      if (f.size() != 4 || f[1].empty()) continue;
      if (f[0] == "suffix") t.suffixes.push_back(f[1]);
      if (f[0] == "cut") t.cuts.push_back(" " + f[1] + " ");
      if (f[0] == "prefix") t.prefixes.emplace_back(f[1], f[2]);
      if (f[0] == "vendor") t.vendors.emplace(f[1], f[2]);
    }
    return t;
  }();
  return table;
}

char Lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

// Collapses runs of spaces and trims `trailing` characters and spaces from both ends' tail.
std::string Collapse(std::string_view text, std::string_view trailing) {
  std::string out;
  for (char c : text) {
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
      if (!out.empty() && out.back() != ' ') out += ' ';
    } else {
      out += c;
    }
  }
  while (!out.empty() && (out.back() == ' ' || trailing.find(out.back()) != std::string::npos)) {
    out.pop_back();
  }
  return out;
}

std::string FoldVendor(std::string_view vendor) {
  std::string out;
  int depth = 0;
  for (char c : vendor) {
    if (c == '(') ++depth;
    if (depth == 0) out += c == ',' ? ' ' : Lower(c);
    if (c == ')' && depth > 0) --depth;
  }
  return Collapse(out, ".-");
}

// Drops legal suffixes from the end, one whole word group at a time, never the whole name.
std::string StripSuffixes(std::string name, const std::vector<std::string>& suffixes) {
  bool stripped = true;
  while (stripped) {
    stripped = false;
    for (const std::string& suffix : suffixes) {
      if (name.size() <= suffix.size() + 1 || !name.ends_with(suffix)) continue;
      if (name[name.size() - suffix.size() - 1] != ' ') continue;
      name = Collapse(std::string_view(name).substr(0, name.size() - suffix.size()), ".-");
      stripped = true;
    }
  }
  return name;
}

}  // namespace

std::string Normalise(std::string_view vendor) {
  const AliasTable& table = Table();
  std::string name = FoldVendor(vendor);
  std::string padded = " " + name + " ";
  for (const std::string& cut : table.cuts) {
    size_t at = padded.find(cut);
    if (at != std::string::npos) padded = padded.substr(0, at + 1);
  }
  name = StripSuffixes(Collapse(padded, ".-"), table.suffixes);
  if (auto it = table.vendors.find(name); it != table.vendors.end()) return it->second;
  for (const auto& [prefix, canonical] : table.prefixes) {
    if (name.starts_with(prefix)) return canonical;
  }
  return name;
}

std::string NormaliseProduct(std::string_view product) {
  std::string out;
  for (size_t i = 0; i < product.size(); ++i) {
    std::string_view rest = product.substr(i);
    if (rest.starts_with("\u2122") || rest.starts_with("\u00ae") || rest.starts_with("\u00a9")) {
      i += rest.starts_with("\u2122") ? 2 : 1;
      continue;
    }
    out += product[i] == '_' ? ' ' : Lower(product[i]);
  }
  return Collapse(out, "");
}

std::string ProductKey(std::string_view vendor_norm, std::string_view product) {
  std::string name = NormaliseProduct(product);
  const std::string vendor = NormaliseProduct(vendor_norm);
  // Never down to nothing: a product named as its vendor keeps the name.
  if (!vendor.empty() && name.size() > vendor.size() + 1 && name.starts_with(vendor) &&
      name[vendor.size()] == ' ') {
    name.erase(0, vendor.size() + 1);
  }
  return name;
}

}  // namespace sitrep::vulns
